"""What a chat allows the bot to send: a tip copy or the weekly summary to a group that takes
text but no photos sends what it can and records what it could not, and a tip copy is sent
part by part so that a retry never repeats a part that already went out."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from handlers import jobs
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


async def test_group_without_photo_rights_gets_the_card_and_the_photo_is_recorded(
    sandbox: Sandbox, team_bot, db_path, rows
):
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.set_permissions(TEAM_CHAT, can_send_photos=False)
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    ref = await send_photo_tip(sandbox, RESIDENT)

    team_copy = "SELECT status, attempts FROM tip_copies WHERE chat_id = ?"
    await until(lambda: rows(team_copy, (TEAM_CHAT,)) == [("delivered", 1)])
    assert [m.kind for m in sandbox.messages(TEAM_CHAT)] == ["text", "location"]
    assert ref in sandbox.messages(TEAM_CHAT)[0].text
    assert rows(
        "SELECT part, status, reason FROM tip_copy_parts"
        " WHERE copy_id = (SELECT id FROM tip_copies WHERE chat_id = ?) ORDER BY part",
        (TEAM_CHAT,),
    ) == [
        ("card", "sent", None),
        ("location", "sent", None),
        ("photo:1", "refused", "Not enough rights to send photos to the chat"),
    ]
    # The coordinator's own copy has everything; the group's photo was asked for once only.
    await until(lambda: rows(team_copy, (COORDINATOR_ID,)) == [("delivered", 1)])
    assert [m.kind for m in sandbox.messages(COORDINATOR_ID)] == ["text", "photo", "location"]
    await sandbox.settle()
    assert [c.status for c in calls_to(sandbox, TEAM_CHAT, "sendPhoto")] == [400]


async def test_weekly_summary_to_a_group_without_photo_rights_sends_text_and_a_note(
    sandbox: Sandbox, team_bot, rows
):
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.set_permissions(TEAM_CHAT, can_send_photos=False)
    services = team_bot.services
    fire = datetime(2026, 4, 6, 6, tzinfo=UTC)  # Monday 08:00 local time
    assert await jobs.run_weekly_summary(services, team_bot.application.bot, fire)

    texts = [m.text for m in sandbox.messages(TEAM_CHAT)]
    assert all(m.kind == "text" for m in sandbox.messages(TEAM_CHAT))
    assert texts[0].startswith("Veckosammanfattning – vecka 14, 2026")
    assert "Tips:" in "\n".join(texts)
    assert texts[-1].endswith(
        "Diagrammet kunde inte skickas hit: gruppen tillåter inte bilder. "
        "Skriv /summary till boten i en privat chatt för att se det."
    )
    assert [c.status for c in calls_to(sandbox, TEAM_CHAT, "sendPhoto")] == [400]
    # A chat that allows photos still gets the chart.
    assert [m.kind for m in sandbox.messages(COORDINATOR_ID)] == ["photo"]
