"""What a chat allows the bot to send: a tip copy or the weekly summary to a group that takes
text but no photos sends what it can and records what it could not, and a tip copy is sent
part by part so that a retry never repeats a part that already went out."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot import summary
from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import seed_residents, until

RESIDENT = 5101
TEAM_CHAT = -5200
REF = re.compile(r"T-\d{4}-\d{6}")


async def send_photo_tip(sandbox: Sandbox, user_id: int) -> str:
    """A resident of one area sends a tip with a photo and a location through the guided
    flow; returns its reference."""
    user = sandbox.user(user_id, f"Boende {user_id}")
    await user.send("/tip")
    await user.wait_text("Vad gäller det?")
    await user.press("Skadegörelse")
    await user.wait_text("När hände det?")
    await user.press("I går")
    await user.wait_text("Beskriv vad som hände")
    await user.send("Busskuren vid skolan är krossad igen")
    await user.wait_text("bild eller en plats")
    assert "Bilden är tillagd" in (await user.send_photo()).text
    assert "Platsen är tillagd" in (await user.send_location(59.1234, 15.1987)).text
    await user.press("Vidare")
    await user.wait_text("Hur vill du att vi kontaktar dig?")
    await user.press("Anonymt")
    await user.wait_text("Kontrollera ditt tips")
    await user.press("Skicka tipset")
    done = await user.wait_text("Tack!")
    found = REF.search(done.text)
    assert found, done.text
    return found.group()


def calls_to(sandbox: Sandbox, chat_id: int, method: str) -> list:
    return [c for c in sandbox.calls if c.chat_id == chat_id and c.method == method]


@pytest.fixture
async def team_bot(config_file, sandbox: Sandbox):
    """The bot with the coordinators' team chat configured; tip copies go there too."""
    sandbox.group(TEAM_CHAT, "Tipsgruppen")
    settings = load_settings(
        config_file,
        roles={
            "coordinators": [COORDINATOR_ID],
            "police": [POLICE_ID],
            "coordinator_chat_id": TEAM_CHAT,
        },
    )
    async with Grannbot(settings, poll_timeout=1) as running:
        yield running


async def test_photo_that_fails_once_does_not_send_the_card_again(
    sandbox: Sandbox, bot, db_path, rows
):
    sandbox.user(COORDINATOR_ID, "Kerstin")
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    sandbox.faults.fail_next("sendPhoto", status=502, chat_id=COORDINATOR_ID)
    ref = await send_photo_tip(sandbox, RESIDENT)

    await until(lambda: rows("SELECT status, attempts FROM tip_copies") == [("delivered", 2)])
    photos = calls_to(sandbox, COORDINATOR_ID, "sendPhoto")
    assert [c.status for c in photos] == [502, 200], "the photo was tried again"
    cards = [
        c
        for c in calls_to(sandbox, COORDINATOR_ID, "sendMessage")
        if ref in c.params.get("text", "")
    ]
    assert len(cards) == 1, "the card went out twice"
    assert [m.kind for m in sandbox.messages(COORDINATOR_ID)] == ["text", "photo", "location"]
    assert rows("SELECT part, status FROM tip_copy_parts ORDER BY part") == [
        ("card", "sent"),
        ("location", "sent"),
        ("photo:1", "sent"),
    ]
