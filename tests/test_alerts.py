"""Police alerts and notices: preview, outbox delivery, faults, reports, rights."""

from __future__ import annotations

import pytest

from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import grant_role, received, seed_residents

HEADING = "Polisen informerar – Centrum, Norr"
GROUP_CENTRUM = -1001
GROUP_NORR = -1002


async def link_group(sandbox: Sandbox, chat_id: int, title: str, area: str) -> None:
    sandbox.group(chat_id, title)
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    answer = await coordinator.send(f"/linkgroup {area}", chat_id=chat_id)
    assert "kopplad till" in answer.text


async def send_alert(sandbox: Sandbox, text: str, *, sender_id: int = POLICE_ID) -> str:
    """The officer types a one-line alert, checks the preview and presses Send; returns the
    final delivery report."""
    officer = sandbox.user(sender_id, "Polis")
    preview = await officer.send(f"/alert {text}")
    assert "Förhandsvisning" in preview.text, preview.text
    await officer.press("Skicka")
    report = await officer.wait_text("har fått meddelandet")
    await sandbox.wait_for(
        lambda: "Klart" in (sandbox.messages(officer.chat_id)[-1].text or ""), timeout=60
    )
    assert sandbox.messages(officer.chat_id)[-1].message_id == report.message_id
    return sandbox.messages(officer.chat_id)[-1].text


async def test_alert_to_overlapping_areas_reaches_everyone_once(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [1, 2], ["centrum"])
    seed_residents(sandbox, db_path, [3, 4], ["norr"])
    seed_residents(sandbox, db_path, [5, 6], ["centrum", "norr"])
    seed_residents(sandbox, db_path, [7], ["ostra_mark"])
    await link_group(sandbox, GROUP_CENTRUM, "Grannsamverkan Centrum", "centrum")
    await link_group(sandbox, GROUP_NORR, "Grannsamverkan Norr", "norr")

    report = await send_alert(
        sandbox, "centrum,norr Flera bilinbrott i natt på <b>Storgatan</b> & Torget"
    )
    for chat in (1, 2, 3, 4, 5, 6, GROUP_CENTRUM, GROUP_NORR):
        assert received(sandbox, chat, HEADING) == 1, chat
    assert received(sandbox, 7, "Polisen informerar") == 0
    message = sandbox.messages(1)[-1].text
    assert "<b>Storgatan</b> & Torget" in message, "the sender's markup is shown, not applied"
    assert "Ring 112" in message and "114 14" in message
    assert "8 av 8 har fått meddelandet" in report and "blockerat" not in report
    assert rows("SELECT kind, area_names, finished_at IS NOT NULL FROM alerts") == [
        ("police", "Centrum, Norr", 1)
    ]
    assert rows("SELECT count(*) FROM audit_log WHERE action = 'police'") == [(1,)]


async def test_coordinator_alert_is_headed_municipality_and_residents_read_it_with_alerts(
    sandbox: Sandbox, bot, db_path
):
    anna = sandbox.user(11, "Anna")
    await anna.send("/start")
    await anna.press("Jag godkänner")
    await anna.wait_text("Välj ditt område")
    await anna.send("/join norr")
    await send_alert(
        sandbox, "norr Vattenavstängning på Norrgatan i morgon", sender_id=COORDINATOR_ID
    )
    assert received(sandbox, 11, "Kommunen informerar – Norr") == 1
    recent = await anna.send("/alerts")
    assert "Kommunen informerar – Norr" in recent.text and "Vattenavstängning" in recent.text


async def test_english_residents_get_the_english_heading(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [21], ["centrum"], language="en")
    await send_alert(sandbox, "centrum Cykelstölder vid stationen")
    assert received(sandbox, 21, "Police information – Centrum") == 1


async def test_guided_alert_with_toggles_and_cancel(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [31, 32], ["ostra_mark"])
    officer = sandbox.user(POLICE_ID, "Polis")
    chooser = await officer.send("/alert")
    assert "Välj vilka områden" in chooser.text
    # Nothing chosen yet: a hint on the button, no next step.
    assert await officer.press("Nästa") is None
    assert list(sandbox.callback_answers.values())[-1]["text"] == "Välj minst ett område."
    await officer.press("Östra Mark")
    assert "✅ Östra Mark" in [label for label, _ in officer.last_message().buttons()]
    await officer.press("Nästa")
    await officer.wait_text("Skriv meddelandet till Östra Mark")
    preview = await officer.send("Inbrottsvåg i villaområdet, håll utkik")
    assert "Går till 2 personer i Östra Mark." in preview.text
    cancelled = await officer.send("/cancel")
    assert "skickades inte" in cancelled.text
    assert rows("SELECT count(*) FROM alerts") == [(0,)]
    # The old Send button no longer sends anything.
    await officer.press("Skicka")
    assert rows("SELECT count(*) FROM deliveries") == [(0,)]


async def test_text_too_long_is_refused_with_the_limit(sandbox: Sandbox, bot, rows):
    officer = sandbox.user(POLICE_ID, "Polis")
    answer = await officer.send("/alert centrum " + "å" * 5000)
    assert "för lång" in answer.text and "högst" in answer.text
    assert rows("SELECT count(*) FROM alerts") == [(0,)]


async def test_unknown_area_in_alert(sandbox: Sandbox, bot, rows):
    officer = sandbox.user(POLICE_ID, "Polis")
    answer = await officer.send("/alert centrum,atlantis Hej")
    assert "inget område som heter atlantis" in answer.text and "text finns kvar" in answer.text
    assert rows("SELECT count(*) FROM alerts") == [(0,)]


async def test_unauthorised_alert_and_notice_queue_nothing(sandbox: Sandbox, bot, db_path, rows):
    seed_residents(sandbox, db_path, [41, 42], ["centrum", "norr"])
    grant_role(db_path, 43, "contact", "centrum")
    resident = sandbox.user(41, "Boende 41")
    contact = sandbox.user(43, "Ombud")
    assert "inte tillgängligt" in (await resident.send("/alert centrum Falsk varning")).text
    assert "inte tillgängligt" in (await resident.send("/notice centrum Falsk")).text
    assert "inte kontaktombud för Norr" in (await contact.send("/notice norr Hej")).text
    assert "inte tillgängligt" in (await contact.send("/alert centrum Hej")).text
    assert rows("SELECT count(*) FROM alerts") == [(0,)]
    assert rows("SELECT count(*) FROM deliveries") == [(0,)]
    refused = rows("SELECT actor_id, outcome FROM audit_log ORDER BY id")
    assert refused == [(41, "refused"), (41, "refused"), (43, "refused"), (43, "refused")]


async def test_contact_notice_to_own_area(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [51], ["centrum"])
    grant_role(db_path, 52, "contact", "centrum")
    contact = sandbox.user(52, "Ombud")
    preview = await contact.send("/notice centrum Grannsamverkansmöte i Folkets hus kl 19")
    assert "Förhandsvisning" in preview.text
    await contact.press("Skicka")
    await sandbox.wait_for(lambda: received(sandbox, 51, "Meddelande från kontaktombudet") == 1)


@pytest.fixture
async def patient_bot(settings):
    """The bot with a short retry backoff, so that fault tests finish quickly."""
    async with Grannbot(settings, poll_timeout=1, backoff=0.05) as running:
        yield running


async def test_faults_every_recipient_exactly_once_and_blocked_counted(
    sandbox: Sandbox, patient_bot, db_path, rows
):
    residents = list(range(100, 160))
    seed_residents(sandbox, db_path, residents, ["centrum"])
    blocked = [100, 117, 133]
    for chat in blocked:
        sandbox.block(chat)
    sandbox.faults.seed(7)
    officer = sandbox.user(POLICE_ID, "Polis")
    await officer.send("/alert centrum,norr Misstänkta personer provar dörrhandtag")
    await officer.press("Skicka")
    await officer.wait_text("har fått meddelandet")
    # From here on the outbox's sends meet every kind of trouble.
    sandbox.faults.fail_next("sendMessage", status=429, retry_after=1, count=2)
    sandbox.faults.rates("sendMessage", p_5xx=0.15, p_drop=0.1)
    await sandbox.wait_for(
        lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=60
    )
    sandbox.faults.clear()
    for chat in residents:
        expected = 0 if chat in blocked else 1
        assert received(sandbox, chat, HEADING) == expected, chat
    failures = [c for c in sandbox.calls if c.method == "sendMessage" and c.status != 200]
    assert any(c.status == 429 for c in failures) and any(c.status == 502 for c in failures)
    assert any(c.status == 0 for c in failures), "some connections were dropped"
    report = sandbox.messages(POLICE_ID)[-1].text
    assert "57 av 60 har fått meddelandet" in report and "3 har blockerat boten" in report
    assert "gick inte att nå" not in report
    inactive = rows("SELECT user_id FROM participants WHERE active = 0 ORDER BY user_id")
    assert inactive == [(c,) for c in blocked]


async def test_blocked_resident_is_skipped_until_they_start_again(
    sandbox: Sandbox, patient_bot, db_path, rows
):
    seed_residents(sandbox, db_path, [61, 62], ["norr"])
    sandbox.block(61)
    await send_alert(sandbox, "norr Första")
    assert rows("SELECT active FROM participants WHERE user_id = 61") == [(0,)]
    await send_alert(sandbox, "norr Andra")
    assert rows("SELECT count(*) FROM deliveries WHERE chat_id = 61") == [(1,)]
    again = sandbox.user(61, "Boende 61")
    await again.send("/start")
    assert rows("SELECT active FROM participants WHERE user_id = 61") == [(1,)]
    await send_alert(sandbox, "norr Tredje")
    assert received(sandbox, 61, "Polisen informerar – Norr") == 1


async def test_group_the_bot_has_left_is_counted_and_deactivated(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [71], ["centrum"])
    await link_group(sandbox, GROUP_CENTRUM, "Grannsamverkan Centrum", "centrum")
    sandbox.set_bot_membership(GROUP_CENTRUM, "kicked")
    report = await send_alert(sandbox, "centrum Hej")
    assert "1 av 2 har fått meddelandet" in report and "1 har blockerat boten" in report
    assert rows("SELECT active FROM group_links") == [(0,)]
