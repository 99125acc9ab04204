"""Tips in plain words, as a conversation over the sandbox: "happening now" asks the resident
to call 112 before any further question and keeps the moment; a status set by one tap can be
undone for 30 seconds, and the reporter hears of it only after that, once; the card says who
changed the status and when; tips with the police stay open in /tips and the summary.

The 30 seconds are on the bot's clock, which these tests move instead of waiting."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import clock
from bot.sandbox import Sandbox
from bot.tip_handling import UNDO_WINDOW
from tests.conftest import COORDINATOR_ID
from tests.helpers import seed_residents
from tests.test_tips import full_reference_in, reference_in, start_guided

REPORTER = 1401


@pytest.fixture(autouse=True)
def _real_time_afterwards() -> Iterator[None]:
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _coordinator_known(sandbox: Sandbox) -> None:
    sandbox.user(COORDINATOR_ID, "Kerstin")


def coordinator_named(db_path: Path, name: str) -> None:
    """The coordinator signed up like anyone else, so the bot knows their first name."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO participants (user_id, first_name, language, consent_at)"
            " VALUES (?, ?, 'sv', '2026-01-01')",
            (COORDINATOR_ID, name),
        )


async def named_tip(sandbox: Sandbox, rows, text: str) -> tuple[int, str, str]:
    """A named tip from REPORTER whose card reached the coordinator: (id, short ref, full
    ref)."""
    cards = len(sandbox.messages(COORDINATOR_ID))
    answer = await sandbox.user(REPORTER, "Boende 1401").send(f"/tip {text}")
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == cards + 1)
    ref = reference_in(answer.text)
    [(tip_id,)] = rows("SELECT id FROM tips WHERE ref = ?", (ref,))
    return tip_id, ref, full_reference_in(answer.text)


def notices_about(sandbox: Sandbox, full_ref: str) -> list[str]:
    return [
        m.text
        for m in sandbox.messages(REPORTER)
        if full_ref in (m.text or "") and m.text.startswith("Tack för ditt tips")
    ]


async def told_now(sandbox: Sandbox, full_ref: str, count: int) -> None:
    """A notice sent at once (not held back) reaches the reporter: whatever was queued and
    due before it has had its turn."""
    await sandbox.wait_for(lambda: len(notices_about(sandbox, full_ref)) == count, timeout=10)


# ------------------------------------------------------------------ happening now


async def test_happening_now_asks_to_call_112_first_and_keeps_the_moment(
    sandbox: Sandbox, bot, db_path, rows
):
    clock.travel(datetime(2026, 11, 29, 19, 53, tzinfo=UTC))  # 20.53 in Kumla
    sandbox.user(COORDINATOR_ID, "Kerstin")
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    user = sandbox.user(REPORTER, "Boende 1401")
    await start_guided(user)
    await user.press("Inbrott")
    await user.wait_text("När hände det?")

    await user.press("Pågår nu")
    urgent = await user.wait_text("Ring 112")
    assert urgent.buttons()[0] == ("Fortsätt ändå", "tip:anyway")
    # Nothing else is asked until the resident chooses to go on.
    refused = await user.send("Två män bryter upp en källardörr")
    assert "Använd knapparna" in refused.text
    assert not any("Beskriv vad som hände" in (m.text or "") for m in sandbox.messages(REPORTER))

    await user.press("Fortsätt ändå")
    await user.wait_text("Beskriv vad som hände")
    await user.send("Två män bryter upp en källardörr")
    await user.wait_text("bild eller en plats")
    await user.press("Vidare")
    await user.press("Anonymt")
    summary = await user.wait_text("Kontrollera ditt tips")
    assert "pågick 29 nov kl. 20.53" in summary.text
    await user.press("Skicka tipset")
    await user.wait_text("Tack!")

    [(occurred, occurred_at)] = rows("SELECT occurred, occurred_at FROM tips")
    assert occurred == "now" and occurred_at.startswith("2026-11-29T19:53:")
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == 1)
    card = sandbox.messages(COORDINATOR_ID)[0].text
    assert "Hände: pågick 29 nov kl. 20.53" in card and "Pågår nu" not in card


async def test_back_from_the_description_skips_the_112_notice(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    user = sandbox.user(REPORTER, "Boende 1401")
    await start_guided(user)
    await user.press("Inbrott")
    await user.press("Pågår nu")
    await user.press("Fortsätt ändå")
    await user.wait_text("Beskriv vad som hände")
    await user.press("Tillbaka")
    await user.wait_text("När hände det?")


# ------------------------------------------------------------------ undo and the held notice


async def test_a_mis_tap_undone_within_30_seconds_tells_the_reporter_nothing(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    tip_id, ref, full = await named_tip(sandbox, rows, "inbrott Källardörren uppbruten")
    _, other_ref, other_full = await named_tip(sandbox, rows, "stöld Cykel stulen vid stationen")
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")

    mistap = await kerstin.press(f"tipst:{tip_id}:false_alarm")
    assert "Status: Ingen åtgärd" in mistap.text
    assert rows("SELECT count(*) FROM notices WHERE not_before IS NOT NULL") == [(1,)]
    undone = await kerstin.press("Ångra")
    assert "Status: Ny" in undone.text and "Ångra" not in str(undone.buttons())
    assert rows("SELECT status FROM tips WHERE ref = ?", (ref,)) == [("new",)]
    # The held notice went with the undo, in the same transaction, and both are audited.
    assert rows("SELECT count(*) FROM notices") == [(0,)]
    assert rows("SELECT action, target FROM audit_log ORDER BY id") == [
        ("tipset", ref),
        ("tipundo", ref),
    ]

    # Past the 30 seconds, a notice sent at once about the other tip arrives; about the
    # undone mis-tap nothing ever does.
    clock.advance(UNDO_WINDOW + timedelta(seconds=1))
    await kerstin.send(f"/tipset {other_ref} reviewed")
    await told_now(sandbox, other_full, 1)
    await sandbox.settle(0.3)
    assert notices_about(sandbox, full) == []


async def test_the_reporter_is_told_once_after_30_seconds_and_undo_is_then_too_late(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    tip_id, ref, full = await named_tip(sandbox, rows, "inbrott Källardörren uppbruten")
    _, other_ref, other_full = await named_tip(sandbox, rows, "stöld Cykel stulen vid stationen")
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")

    await kerstin.press(f"tipst:{tip_id}:reviewed")
    [(changed_at, not_before)] = rows(
        "SELECT h.changed_at, n.not_before FROM tip_status_history h, notices n"
        " WHERE h.status = 'reviewed'"
    )
    held = clock.parse_stamp(not_before) - clock.parse_stamp(changed_at)
    assert held == UNDO_WINDOW
    # Within the 30 seconds: a notice queued later, at once, overtakes the held one.
    await kerstin.send(f"/tipset {other_ref} reviewed")
    await told_now(sandbox, other_full, 1)
    assert notices_about(sandbox, full) == []

    clock.advance(UNDO_WINDOW + timedelta(seconds=1))
    await sandbox.wait_for(lambda: len(notices_about(sandbox, full)) == 1, timeout=10)
    assert notices_about(sandbox, full) == [f"Tack för ditt tips {full}. Det är nu läst."]

    late = await kerstin.press("Ångra")
    assert "Ångra" not in str(late.buttons())
    assert sandbox.callback_answers[max(sandbox.callback_answers)]["text"].startswith(
        "Det går inte att ångra längre"
    )
    assert rows("SELECT status FROM tips WHERE ref = ?", (ref,)) == [("reviewed",)]
    await kerstin.send(f"/tipset {other_ref} closed")
    await told_now(sandbox, other_full, 2)
    assert len(notices_about(sandbox, full)) == 1


async def test_a_second_tap_within_30_seconds_replaces_the_held_notice(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    tip_id, _, full = await named_tip(sandbox, rows, "inbrott Källardörren uppbruten")
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    await kerstin.press(f"tipst:{tip_id}:false_alarm")
    await kerstin.press(f"tipst:{tip_id}:forwarded")
    assert rows("SELECT text_key FROM notices") == [("tip_notice_forwarded",)]
    clock.advance(UNDO_WINDOW + timedelta(seconds=1))
    await sandbox.wait_for(lambda: len(notices_about(sandbox, full)) == 1, timeout=10)
    assert notices_about(sandbox, full) == [f"Tack för ditt tips {full}. Det finns nu hos polisen."]


# ------------------------------------------------------------------ who and when; open


async def test_the_card_says_who_changed_the_status_and_when(sandbox: Sandbox, bot, db_path, rows):
    coordinator_named(db_path, "Kerstin")
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    clock.travel(datetime(2026, 11, 29, 19, 55, tzinfo=UTC))  # 20.55 in Kumla
    tip_id, _, _ = await named_tip(sandbox, rows, "inbrott Källardörren uppbruten")
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    card = sandbox.messages(COORDINATOR_ID)[0]
    assert [label for label, _ in card.buttons()] == [
        "Läst",
        "Till polisen",
        "Klar",
        "Ingen åtgärd",
    ]
    edited = await kerstin.press(f"tipst:{tip_id}:reviewed")
    assert "Status: Läst – Kerstin, 29 nov kl. 20.55" in edited.text
    # The reporter, who sent it under their name, is never shown as the one who changed it.
    assert "Boende 1401" not in edited.text
    listed = await kerstin.send("/tips all")
    assert "visar 1 av 1" in listed.text
    await sandbox.wait_for(lambda: "Läst – Kerstin" in sandbox.messages(COORDINATOR_ID)[-1].text)


async def test_tips_with_the_police_stay_open_in_tips_and_the_summary(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    _, ref, _ = await named_tip(sandbox, rows, "inbrott Källardörren uppbruten")
    _, closed_ref, _ = await named_tip(sandbox, rows, "stöld Cykel stulen vid stationen")
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    await kerstin.send(f"/tipset {ref} forwarded")
    await kerstin.send(f"/tipset {closed_ref} closed")

    header = await kerstin.send("/tips open")
    assert "hos polisen" in header.text and "visar 1 av 1" in header.text
    await sandbox.wait_for(lambda: ref in (sandbox.messages(COORDINATOR_ID)[-1].text or ""))
    assert "Status: Till polisen" in sandbox.messages(COORDINATOR_ID)[-1].text

    summary = await kerstin.send("/summary")
    assert "Väntar hos polisen: 1" in summary.text


async def test_undoing_the_second_of_two_taps_still_tells_the_first(
    sandbox: Sandbox, bot, db_path, rows
):
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    tip_id, _, full = await named_tip(sandbox, rows, "inbrott Källardörren uppbruten")
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    await kerstin.press(f"tipst:{tip_id}:reviewed")
    await kerstin.press(f"tipst:{tip_id}:closed")
    undone = await kerstin.press("Ångra")
    assert "Status: Läst" in undone.text
    await sandbox.wait_for(lambda: len(notices_about(sandbox, full)) == 1, timeout=10)
    assert notices_about(sandbox, full) == [f"Tack för ditt tips {full}. Det är nu läst."]
    assert rows("SELECT text_key FROM notices") == [("tip_notice_reviewed",)]
