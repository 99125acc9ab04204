"""The user behind an update is read once per update, before any handler runs, and every
handler and role check after it uses that one reading."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from storage import participants, roles
from tests.conftest import COORDINATOR_ID
from tests.helpers import seed_residents

RESIDENT = 5301


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """How often each user's participant row and roles were read."""
    counted: Counter = Counter()

    def counting(kind: str, read):
        async def wrapper(db, user_id, *args, **kwargs):
            counted[kind, user_id] += 1
            return await read(db, user_id, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        participants, "participant", counting("participant", participants.participant)
    )
    monkeypatch.setattr(roles, "roles_of", counting("roles", roles.roles_of))
    return counted


async def test_one_update_reads_its_caller_once(sandbox: Sandbox, bot, db_path, reads):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum", "norr"])
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    resident = sandbox.user(RESIDENT, "Boende")
    steps = [
        # a role check, then the area check of the same command
        (coordinator, "/members centrum", "Centrum"),
        # a refusal: the check and the refusal's answer
        (resident, "/ban 123", "inte tillgängligt"),
        (resident, "/me", "Centrum"),
        (resident, "/tip", "Vad gäller det?"),
        (resident, "Stöld", "Vilket område"),
    ]
    for user, action, expected in steps:
        await sandbox.settle()
        reads.clear()
        if action.startswith("/"):
            await user.send(action)
        else:
            await user.press(action)
        await user.wait_text(expected)
        # Confirmed to the Bot API only once every handler of the update has finished.
        await sandbox.wait_for(lambda: sandbox.updates_pending() == 0)
        assert reads == {("participant", user.user_id): 1, ("roles", user.user_id): 1}, action


async def test_a_caller_that_cannot_be_read_gets_one_apology_and_no_handler_runs(
    sandbox: Sandbox, settings, db_path, monkeypatch
):
    read = participants.participant
    failures = [sqlite3.OperationalError("disk I/O error")]

    async def failing_once(db, user_id):
        if failures:
            raise failures.pop()
        return await read(db, user_id)

    monkeypatch.setattr(participants, "participant", failing_once)
    async with Grannbot(settings, poll_timeout=1):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        resident = sandbox.user(RESIDENT, "Boende")
        answer = await resident.send("/me")
        assert "Något gick fel" in answer.text
        await sandbox.wait_for(lambda: sandbox.updates_pending() == 0)
        await sandbox.settle()
        assert [m.text for m in sandbox.messages(RESIDENT)] == [answer.text]
        # The bot goes on: the next update is read and answered as usual.
        assert "Centrum" in (await resident.send("/me")).text
