"""Every command of the table in the wrong kind of chat: a private one typed in a group gets
a button into the private chat and nothing else, a group one typed in private says where to
type it; and the menus are the table's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app import COMMANDS
from bot.config import Settings, load_settings
from bot.roles import Role
from bot.sandbox import Sandbox
from handlers.commands import Where
from tests.conftest import COORDINATOR_ID

GROUP = -5400


@pytest.fixture(name="settings")
def flood_guard_off(config_file: Path) -> Settings:
    """Every command of the table from one user in a few seconds: the flood guard would
    drop most of them."""
    return load_settings(config_file, telegram={"flood_burst": 0})


async def test_each_command_answers_in_the_wrong_chat_as_its_row_says(
    sandbox: Sandbox, bot, db_path, rows
):
    sandbox.group(GROUP, "Grannar i Centrum")
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    before = rows("SELECT count(*) FROM audit_log")
    private = [c for c in COMMANDS if c.where is Where.PRIVATE]
    assert len(private) > 20
    for command in private:
        answer = await coordinator.send(f"/{command.name}", chat_id=GROUP)
        assert "privat chatt" in answer.text, command.name
        assert [url for _, url in answer.buttons()] == [
            f"https://t.me/{sandbox.bot_username}?start=from_group"
        ], command.name
    await sandbox.settle()
    assert len(sandbox.messages(GROUP)) == len(private), "one redirect each and nothing else"
    for command in (c for c in COMMANDS if c.where is Where.GROUP):
        answer = await coordinator.send(f"/{command.name} centrum")
        assert "i den gruppchatt" in answer.text, command.name
    # Nothing was done, so nothing was audited either.
    assert rows("SELECT count(*) FROM audit_log") == before


async def test_the_default_menus_come_from_the_table(sandbox: Sandbox, bot):
    def menu(scope_type: str, lang: str) -> list[str]:
        key = json.dumps({"type": scope_type}, separators=(",", ":"))
        return [c["command"] for c in sandbox.commands[key, lang]]

    resident = [c.name for c in COMMANDS.menu(Role.RESIDENT)]
    assert resident == [
        "start", "join", "leave", "areas", "alerts", "tip", "tipstatus", "me", "mydata",
        "forget", "language", "help", "cancel",
    ]  # fmt: skip
    assert menu("all_private_chats", "en") == resident
    assert menu("all_private_chats", "sv") == [
        "start", "join", "lamna", "omraden", "alerts", "tipsa", "tipstatus", "me", "minadata",
        "radera", "language", "hjalp", "cancel",
    ]  # fmt: skip
    assert menu("all_group_chats", "en") == ["start", "join", "areas", "help"]
    assert menu("all_group_chats", "sv") == ["start", "join", "omraden", "hjalp"]
