"""Decide, commit, then talk: every decision is in the database before the bot says a word,
and everything someone relies on receiving goes through the outbox, so that Telegram failing
at any call after a press loses nothing and tells nothing twice."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from bot import clock, notices
from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Msg, Sandbox
from bot.tip_handling import UNDO_WINDOW
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import mydata_file, received, seed_residents, until, with_broadcast
from tests.test_tips import full_reference_in, reference_in, to_contact

HEADING = "Polisen informerar – Centrum, Norr"
_expired_ids = itertools.count(1)


@pytest.fixture
async def patient_bot(settings):
    """The bot with short retry backoffs, so that fault tests finish quickly."""
    async with Grannbot(settings, poll_timeout=1, backoff=0.05) as running:
        running.reports.backoff = 0.05
        yield running


def button(sandbox: Sandbox, chat_id: int, label: str) -> tuple[Msg, str]:
    """The newest inline button in the chat whose label contains ``label``."""
    for msg in reversed(sandbox.messages(chat_id)):
        for text, data in msg.buttons():
            if label.casefold() in text.casefold() and data is not None:
                return msg, data
    raise LookupError(f"no button {label!r} in chat {chat_id}")


def press_nowait(sandbox: Sandbox, user_id: int, label: str, chat_id: int | None = None) -> str:
    """Press a button without waiting for the answer (which a fault may swallow)."""
    chat = user_id if chat_id is None else chat_id
    msg, data = button(sandbox, chat, label)
    return sandbox.inject_callback(user_id, chat, msg.message_id, data, check=True)


def press_expired(sandbox: Sandbox, user_id: int, label: str, chat_id: int | None = None) -> str:
    """A press whose query Telegram no longer knows by the time the bot answers it (the bot
    was slow or restarting past Telegram's timeout): the server answers 400 "query is too
    old and response timeout expired or query ID is invalid"."""
    chat = user_id if chat_id is None else chat_id
    msg, data = button(sandbox, chat, label)
    query_id = f"expired{next(_expired_ids)}"
    sandbox.inject_update(
        {
            "callback_query": {
                "id": query_id,
                "from": {"id": user_id, "is_bot": False, "first_name": f"Användare {user_id}"},
                "message": msg.raw,
                "chat_instance": str(abs(chat) * 7919 + 424242),
                "data": data,
            }
        }
    )
    return query_id


def answer_calls(sandbox: Sandbox, query_id: str) -> list:
    return [
        c
        for c in sandbox.calls
        if c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
    ]


def not_modified(sandbox: Sandbox) -> list:
    return [c for c in sandbox.calls if "not modified" in (c.description or "")]


def apologies(sandbox: Sandbox, chat_id: int) -> int:
    return sum(1 for m in sandbox.messages(chat_id) if "Något gick fel" in (m.text or ""))


def report_messages(sandbox: Sandbox, chat_id: int) -> list[Msg]:
    return [m for m in sandbox.messages(chat_id) if "har fått meddelandet" in (m.text or "")]


# ------------------------------------------------------------------ Send under faults


async def test_send_under_faults_queues_one_alert_that_reaches_everyone(
    sandbox: Sandbox, patient_bot, db_path, rows
):
    residents = list(range(600, 640))
    seed_residents(sandbox, db_path, residents[:25], ["centrum"])
    seed_residents(sandbox, db_path, residents[25:], ["norr"])
    officer = sandbox.user(POLICE_ID, "Polis")
    preview = await officer.send("/alert centrum,norr Inbrott i förråd på Storgatan i natt")
    assert "Förhandsvisning" in preview.text

    # From the press on, every call may fail, and the first of each of the officer's calls
    # does: the answer to the press, taking the Send button away, the report's first message
    # and its first edit.
    sandbox.faults.seed(2026)
    sandbox.faults.rates("*", p_5xx=0.1, p_drop=0.05)
    sandbox.faults.fail_next("answerCallbackQuery", status=502)
    sandbox.faults.fail_next("editMessageReplyMarkup", status="drop")
    sandbox.faults.fail_next("sendMessage", status=502, chat_id=POLICE_ID)
    sandbox.faults.fail_next("editMessageText", status=502)
    query_id = press_nowait(sandbox, POLICE_ID, "Skicka")

    await sandbox.wait_for(
        lambda: all(received(sandbox, r, HEADING) == 1 for r in residents), timeout=60
    )
    await sandbox.wait_for(
        lambda: any("Klart" in (m.text or "") for m in report_messages(sandbox, POLICE_ID)),
        timeout=60,
    )
    sandbox.faults.clear()

    assert [c.status for c in answer_calls(sandbox, query_id)] == [502]
    troubled = [c for c in sandbox.calls if c.chat_id in residents and c.status in (0, 502)]
    assert troubled, "some sends to residents met a fault and were retried"
    assert rows("SELECT count(*) FROM alerts") == [(1,)]
    [(alert_id,)] = rows("SELECT id FROM alerts")
    assert rows("SELECT actor_id, action, detail FROM audit_log WHERE outcome = 'ok'") == [
        (POLICE_ID, "police", f"alert {alert_id}")
    ]
    assert rows("SELECT status, count(*) FROM deliveries GROUP BY status") == [("delivered", 40)]
    assert all(received(sandbox, r, HEADING) == 1 for r in residents), "nobody got it twice"
    # One report message, created by the outbox and edited to the final counts.
    [report] = report_messages(sandbox, POLICE_ID)
    assert "40 av 40 har fått meddelandet" in report.text and "Klart" in report.text
    # The outbox records the report's own delivery after handing its message id on, so the
    # first edit may come before that row says "delivered".
    await until(
        lambda: (
            rows("SELECT purpose, subject_id, message_id, status FROM notices")
            == [("report", alert_id, report.message_id, "delivered")]
        )
    )
    report_edits = [
        c.status for c in sandbox.calls if c.method == "editMessageText" and c.chat_id == POLICE_ID
    ]
    assert report_edits[0] == 502 and report_edits[-1] == 200, "a failed edit is made again"
    assert apologies(sandbox, POLICE_ID) == 0
    assert not_modified(sandbox) == []
    # Taking the Send button away was lost on the way, so the officer can press it again:
    # that sends nothing a second time.
    assert await officer.press("Skicka") is None
    assert list(sandbox.callback_answers.values())[-1]["text"] == "Den knappen gäller inte längre."
    assert rows("SELECT count(*) FROM alerts") == [(1,)]


# ------------------------------------------------------------------ status change under faults

REPORTER = 650


async def tip_card(sandbox: Sandbox, db_path: Path, text: str = "inbrott Källardörren uppbruten"):
    """A named resident's tip, and its card in the coordinator's chat; returns the reference
    in its short form (as stored) and in full (as the reporter is shown it)."""
    seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
    sandbox.user(COORDINATOR_ID, "Kerstin")
    answer = await sandbox.user(REPORTER, "Boende 650").send(f"/tip {text}")
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == 1)
    return reference_in(answer.text), full_reference_in(answer.text)


def told(sandbox: Sandbox) -> list[str]:
    return [m.text for m in sandbox.messages(REPORTER) if "Tack för ditt tips" in (m.text or "")]


@pytest.fixture
def moved_clock() -> Iterator[None]:
    yield
    clock.reset()


def past_undo() -> None:
    """Move the bot's clock past the time in which a status set by button can be undone."""
    clock.advance(UNDO_WINDOW + timedelta(seconds=1))


async def test_status_button_under_faults_is_recorded_and_told_once(
    sandbox: Sandbox, patient_bot, db_path, rows, moved_clock
):
    ref, full_ref = await tip_card(sandbox, db_path)
    sandbox.faults.seed(7)
    sandbox.faults.rates("*", p_5xx=0.1, p_drop=0.05)
    sandbox.faults.fail_next("answerCallbackQuery", status="drop")
    sandbox.faults.fail_next("editMessageText", status=502)
    sandbox.faults.fail_next("sendMessage", status=502, chat_id=REPORTER)
    press_nowait(sandbox, COORDINATOR_ID, "Läst")
    await until(lambda: rows("SELECT status FROM tips") == [("reviewed",)], within=30)
    past_undo()
    await sandbox.wait_for(lambda: len(told(sandbox)) == 1, timeout=30)
    await sandbox.settle(0.5, timeout=5)
    sandbox.faults.clear()

    assert told(sandbox) == [f"Tack för ditt tips {full_ref}. Det är nu läst."]
    assert rows("SELECT status FROM tips") == [("reviewed",)]
    assert rows("SELECT actor_id, action, target, detail FROM audit_log") == [
        (COORDINATOR_ID, "tipset", ref, "reviewed")
    ]
    assert rows("SELECT chat_id, text_key, purpose, status FROM notices") == [
        (REPORTER, "tip_notice_reviewed", "tip_status", "delivered")
    ]
    # The first try of the reporter's notice failed and was sent again by the outbox.
    sends = [
        c.status
        for c in sandbox.calls
        if c.chat_id == REPORTER and "Tack för ditt tips" in c.params.get("text", "")
    ]
    assert sends[0] == 502 and sends[-1] == 200
    assert apologies(sandbox, COORDINATOR_ID) == 0
    assert not_modified(sandbox) == []


async def test_status_told_once_per_change_and_never_to_an_anonymous_reporter(
    sandbox: Sandbox, bot, db_path, rows, moved_clock
):
    ref, _ = await tip_card(sandbox, db_path)
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    edited = await kerstin.press("Läst")
    assert "Läst" in edited.text
    past_undo()
    await sandbox.wait_for(lambda: len(told(sandbox)) == 1)
    # The same button again: nothing changes, nobody is told, and the card (already showing
    # this) is not edited into the same content.
    await kerstin.press("Läst")
    await kerstin.press("Klar")
    past_undo()
    await sandbox.wait_for(lambda: len(told(sandbox)) == 2)
    await sandbox.settle(0.3)
    assert [t.split(". ", 1)[1] for t in told(sandbox)] == [
        "Det är nu läst.",
        "Vi är klara med det nu.",
    ]
    assert not_modified(sandbox) == []

    anonymous = await sandbox.user(REPORTER, "Boende 650").send("/tip anonym stöld Cykel tagen")
    anonymous_ref = reference_in(anonymous.text)
    await kerstin.send(f"/tipset {anonymous_ref} forwarded")
    await sandbox.settle(0.3)
    assert len(told(sandbox)) == 2
    # No notice row can link the anonymous tip to anyone.
    assert rows("SELECT count(*) FROM notices") == [(2,)]
    assert not any(anonymous_ref in v for (v,) in rows("SELECT vals FROM notices"))
    assert ref in rows("SELECT vals FROM notices")[0][0]


# ------------------------------------------------------------------ role changes


def invite_code(text: str) -> str:
    return re.search(r"/redeem (\S+)", text).group(1)


async def test_role_changes_under_faults_are_told_once(
    sandbox: Sandbox, patient_bot, db_path, rows
):
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    code = invite_code((await coordinator.send("/invite contact norr")).text)
    olle = sandbox.user(660, "Olle")
    prompt = await olle.send(f"/redeem {code}")
    assert "112" in prompt.text, "a new user consents first"

    sandbox.faults.seed(3)
    sandbox.faults.rates("*", p_5xx=0.1, p_drop=0.05)
    sandbox.faults.fail_next("answerCallbackQuery", status=502)
    sandbox.faults.fail_next("sendMessage", status=502, chat_id=COORDINATOR_ID)
    press_nowait(sandbox, 660, "Jag godkänner")

    def used() -> list[str]:
        return [m.text for m in sandbox.messages(COORDINATOR_ID) if "har använts" in (m.text or "")]

    await sandbox.wait_for(lambda: len(used()) == 1, timeout=30)
    assert used() == [
        "Din inbjudan för kontaktombud i Norr har använts av Olle (användar-id 660). "
        "Var det fel person? Ta bort behörigheten med /revoke 660."
    ]
    assert rows(
        "SELECT r.role, a.code FROM roles r JOIN areas a ON a.id = r.area_id WHERE user_id = 660"
    ) == [("contact", "norr")]
    assert rows("SELECT count(*) FROM participants WHERE user_id = 660") == [(1,)]

    sandbox.faults.fail_next("sendMessage", status="drop", chat_id=660)
    coordinator.send_nowait("/revoke 660")

    def removed() -> list[str]:
        return [
            m.text for m in sandbox.messages(660) if "tagit bort din behörighet" in (m.text or "")
        ]

    await sandbox.wait_for(lambda: len(removed()) == 1, timeout=30)
    await sandbox.settle(0.5, timeout=5)
    sandbox.faults.clear()
    assert len(removed()) == 1 and len(used()) == 1
    assert rows("SELECT count(*) FROM roles WHERE user_id = 660") == [(0,)]
    assert rows("SELECT actor_id, action, outcome FROM audit_log ORDER BY id") == [
        (COORDINATOR_ID, "invite", "ok"),
        (660, "redeem", "ok"),
        (COORDINATOR_ID, "revoke", "ok"),
    ]
    assert rows("SELECT chat_id, about_id, status FROM notices ORDER BY id") == [
        (COORDINATOR_ID, 660, "delivered"),
        (660, None, "delivered"),
    ]
    assert apologies(sandbox, 660) == 0 and apologies(sandbox, COORDINATOR_ID) == 0


# ------------------------------------------------------------------ failed button answers


@dataclass(frozen=True)
class Press:
    """A button that changes something: how to get to it, who presses it, and the SQL that
    says its work was done."""

    prepare: Callable[[Sandbox, Path], Awaitable[None]]
    user_id: int
    label: str
    done: str  # a query that returns one row with a true value once the work is done
    chat_id: int | None = None


async def _alert_preview(sandbox: Sandbox, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [701], ["centrum"])
    await sandbox.user(POLICE_ID, "Polis").send("/alert centrum Ovanligt många inbrott")


async def _tip_card(sandbox: Sandbox, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [702], ["centrum"])
    sandbox.user(COORDINATOR_ID, "Kerstin")
    await sandbox.user(702, "Boende 702").send("/tip stöld Cykel stulen vid stationen")
    await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) == 1)


async def _consent_from_a_sign(sandbox: Sandbox, db_path: Path) -> None:
    await sandbox.user(703, "Vera").send("/start area_centrum")


async def _join_buttons(sandbox: Sandbox, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [704], ["norr"])
    await sandbox.user(704, "Boende 704").send("/join")


async def _leave_buttons(sandbox: Sandbox, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [705], ["centrum", "norr"])
    await sandbox.user(705, "Boende 705").send("/leave")


async def _leave_all_asked(sandbox: Sandbox, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [706], ["centrum", "norr"])
    resident = sandbox.user(706, "Boende 706")
    await resident.send("/leave")
    await resident.press("Lämna alla områden")


async def _forget_asked(sandbox: Sandbox, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [707], ["centrum"])
    await sandbox.user(707, "Boende 707").send("/forget")


async def _area_removal_asked(sandbox: Sandbox, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [708], ["norr"])
    await sandbox.user(COORDINATOR_ID, "Kerstin").send("/area remove norr")


async def _invite_consent(sandbox: Sandbox, db_path: Path) -> None:
    created = await sandbox.user(COORDINATOR_ID, "Kerstin").send("/invite police")
    await sandbox.user(709, "Olle").send(f"/start inv_{invite_code(created.text)}")


async def _tip_summary(sandbox: Sandbox, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [710], ["centrum"])
    resident = sandbox.user(710, "Boende 710")
    await to_contact(resident, "Någon sprejar klotter på skolans vägg")
    await resident.press("Svara mig här")
    await resident.wait_text("Kontrollera ditt tips")


PRESSES = {
    "alert send": Press(_alert_preview, POLICE_ID, "Skicka", "SELECT count(*) = 1 FROM deliveries"),
    "tip status": Press(
        _tip_card,
        COORDINATOR_ID,
        "Klar",
        "SELECT status = 'closed' AND (SELECT count(*) FROM notices) = 1 FROM tips",
    ),
    "consent with area": Press(
        _consent_from_a_sign,
        703,
        "Jag godkänner",
        "SELECT count(*) = 1 FROM memberships WHERE user_id = 703",
    ),
    "join": Press(
        _join_buttons, 704, "Centrum", "SELECT count(*) = 2 FROM memberships WHERE user_id = 704"
    ),
    "leave": Press(
        _leave_buttons, 705, "Norr", "SELECT count(*) = 1 FROM memberships WHERE user_id = 705"
    ),
    "leave all": Press(
        _leave_all_asked,
        706,
        "Ja, lämna alla",
        "SELECT count(*) = 0 FROM memberships WHERE user_id = 706",
    ),
    "forget": Press(
        _forget_asked,
        707,
        "Ja, radera allt",
        "SELECT count(*) = 0 FROM participants WHERE user_id = 707",
    ),
    "remove area": Press(
        _area_removal_asked,
        COORDINATOR_ID,
        "Ja, ta bort",
        "SELECT count(*) = 0 FROM areas WHERE code = 'norr'",
    ),
    "invite after consent": Press(
        _invite_consent,
        709,
        "Jag godkänner",
        "SELECT count(*) = 1 FROM roles WHERE user_id = 709 AND role = 'police'",
    ),
    "send tip": Press(
        _tip_summary, 710, "Skicka tipset", "SELECT count(*) = 1 FROM tips WHERE reporter_id = 710"
    ),
}


@pytest.mark.parametrize("failure", ["query too old", "connection dropped"])
@pytest.mark.parametrize("name", list(PRESSES))
async def test_a_failed_answer_never_stops_the_work(
    sandbox: Sandbox, bot, db_path, rows, name: str, failure: str
):
    press = PRESSES[name]
    await press.prepare(sandbox, db_path)
    await sandbox.settle(0.2)
    [(done_before,)] = rows(press.done)
    assert not done_before, "the press is what does the work"
    if failure == "query too old":
        query_id = press_expired(sandbox, press.user_id, press.label, press.chat_id)
    else:
        sandbox.faults.fail_next("answerCallbackQuery", status="drop")
        query_id = press_nowait(sandbox, press.user_id, press.label, press.chat_id)
    await until(lambda: rows(press.done)[0][0])
    await sandbox.wait_for(lambda: answer_calls(sandbox, query_id), timeout=5)
    await sandbox.settle(0.3)
    [call] = answer_calls(sandbox, query_id)
    if failure == "query too old":
        assert call.status == 400 and "query is too old" in call.description
    else:
        assert call.status == 0
    chat = press.user_id if press.chat_id is None else press.chat_id
    assert apologies(sandbox, chat) == 0
    assert not_modified(sandbox) == []


# ------------------------------------------------------------------ the delivery report


async def test_report_is_created_by_the_outbox_after_the_answer_and_edited_to_the_end(
    sandbox: Sandbox, config_file: Path, db_path: Path, rows
):
    settings = load_settings(with_broadcast(config_file, 10))
    residents = list(range(720, 750))
    async with Grannbot(settings, poll_timeout=1):
        seed_residents(sandbox, db_path, residents, ["centrum", "norr"])
        officer = sandbox.user(POLICE_ID, "Polis")
        await officer.send("/alert centrum,norr Vattenläcka på Storgatan")
        await officer.press("Skicka")
        await sandbox.wait_for(
            lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=30
        )
        await sandbox.settle(0.3)
    texts = [m.text or "" for m in sandbox.messages(POLICE_ID)]
    assert "Förhandsvisning" in texts[0] and "har fått meddelandet" in texts[1]
    assert len(texts) == 2, "after the preview, one report message, edited"
    report = sandbox.messages(POLICE_ID)[-1]
    assert "30 av 30 har fått meddelandet" in report.text
    # Three seconds of sending at 10 a second: the report showed progress on the way.
    assert report.edit_count >= 2
    edits = [
        c.params["text"]
        for c in sandbox.calls
        if c.method == "editMessageText" and c.chat_id == POLICE_ID and c.status == 200
    ]
    assert len(edits) == len(set(edits)) == report.edit_count, "never the same text twice"
    assert rows("SELECT report_message_id, report_text FROM alerts") == [
        (report.message_id, edits[-1])
    ]
    assert not_modified(sandbox) == []


async def test_report_waiting_for_telegram_is_sent_after_a_restart(
    sandbox: Sandbox, settings, db_path: Path, rows
):
    officer = sandbox.user(POLICE_ID, "Polis")
    async with Grannbot(settings, poll_timeout=1, backoff=30):
        seed_residents(sandbox, db_path, [760, 761], ["centrum"])
        await officer.send("/alert centrum Strömavbrott i kväll")
        # Telegram refuses everything to the officer's chat from now on.
        sandbox.faults.fail_next("*", status=502, chat_id=POLICE_ID, count=100)
        press_nowait(sandbox, POLICE_ID, "Skicka")
        await sandbox.wait_for(
            lambda: received(sandbox, 761, "Polisen informerar") == 1, timeout=10
        )
        await until(lambda: rows("SELECT attempts FROM notices") == [(1,)])
    assert rows("SELECT status, message_id FROM notices") == [("pending", None)]
    sandbox.faults.clear()
    async with Grannbot(settings, poll_timeout=1):
        await sandbox.wait_for(
            lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=20
        )
        await sandbox.settle(0.3)
    assert len(report_messages(sandbox, POLICE_ID)) == 1
    assert "2 av 2 har fått meddelandet" in sandbox.messages(POLICE_ID)[-1].text
    assert rows("SELECT count(*) FROM alerts") == [(1,)]
    assert not_modified(sandbox) == []


def test_notice_values_are_translated_and_escaped_once():
    values = {
        "heading": notices.Term("alert_heading_plain_police", {"areas": "Åby & Ön"}),
        "total": 3,
        "delivered": 1,
        "blocked": 0,
        "failed": 0,
        "pending": 2,
    }
    stored = notices.encode(values)
    swedish = notices.render("sv", "alert_report_progress", stored)
    assert "Polisen informerar – Åby &amp; Ön" in swedish and "&amp;amp;" not in swedish
    assert "Police information – Åby &amp; Ön" in notices.render(
        "en", "alert_report_progress", stored
    )
    assert notices.render("sv", "alert_report_progress", values) == swedish


# ------------------------------------------------------------------ notices and personal data


async def test_mydata_shows_notices_and_forget_removes_them(
    sandbox: Sandbox, bot, db_path: Path, rows
):
    seed_residents(sandbox, db_path, [771], ["centrum"])
    coordinator = sandbox.user(COORDINATOR_ID, "Kerstin")
    code = invite_code((await coordinator.send("/invite police")).text)
    olle = sandbox.user(770, "Olle")
    await olle.send(f"/redeem {code}")
    await olle.press("Jag godkänner")
    await olle.wait_text("Du kan nu skicka meddelanden från polisen")
    await coordinator.send("/revoke 770")
    await olle.wait_text("tagit bort din behörighet")
    await sandbox.wait_for(
        lambda: any(
            "har använts av Olle" in (m.text or "") for m in sandbox.messages(COORDINATOR_ID)
        )
    )
    # A notice about someone else, which must survive Olle's /forget.
    grant = await coordinator.send("/invite contact centrum")
    other = sandbox.user(771, "Boende 771")
    await other.send(f"/redeem {invite_code(grant.text)}")
    await sandbox.wait_for(lambda: rows("SELECT count(*) FROM notices") == [(3,)])

    document = await mydata_file(olle)
    data = json.loads(document.file_bytes)
    assert [n["text_key"] for n in data["notices_received"]] == ["role_revoked_notice"]
    [about] = data["notices_about_you"]
    assert about["text_key"] == "invite_used_notice_police"
    assert about["values"] == {"name": "Olle", "user_id": 770, "area": ""}
    assert "chat_id" not in about, "who received it is not Olle's data"

    await olle.send("/forget")
    await olle.press("Ja, radera allt")
    await until(lambda: rows("SELECT count(*) FROM participants WHERE user_id = 770") == [(0,)])
    left = rows("SELECT chat_id, about_id, text_key FROM notices")
    assert left == [(COORDINATOR_ID, 771, "invite_used_notice_contact")]
    assert not any("770" in v or "Olle" in v for (v,) in rows("SELECT vals FROM notices"))


async def test_a_press_that_changes_nothing_edits_nothing(sandbox: Sandbox, bot):
    officer = sandbox.user(POLICE_ID, "Polis")
    chooser = await officer.send("/alert")
    assert "Välj vilka områden" in chooser.text
    # An area that does not exist (old or forged data): the chooser stays as it is.
    mark = len(sandbox.calls)
    query_id = sandbox.inject_callback(POLICE_ID, POLICE_ID, chooser.message_id, "alert:toggle:x")
    await sandbox.wait_for(lambda: query_id in sandbox.callback_answers, timeout=5)
    await sandbox.settle(0.3)
    assert [c.method for c in sandbox.calls[mark:] if c.method.startswith("edit")] == []
    await officer.press("Centrum")
    assert "✅ Centrum" in [label for label, _ in officer.last_message().buttons()]
    assert not_modified(sandbox) == []
