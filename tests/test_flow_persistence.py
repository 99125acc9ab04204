"""Flows survive restarts: a tip half-way through and an alert in preview are kept in SQLite
(through PTB's persistence) and go on after the bot is stopped — or killed — and started again
on the same database; what is kept expires with the flow's timeout and goes with /forget."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import tips
from bot.config import Settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox, SandboxUser
from bot.services import Services
from handlers import tip_flow
from storage import flows
from storage.db import Database
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import mydata_file, received, seed_residents, start_bot_process, until
from tests.test_privacy import references

RESIDENT = 501
TWO_AREAS = 502
HEADING = "Polisen informerar – Centrum"


@pytest.fixture(autouse=True)
def _no_handler_failed(sandbox: Sandbox, caplog: pytest.LogCaptureFixture):
    """The coordinator can be written to; afterwards, no handler may have failed."""
    sandbox.user(COORDINATOR_ID, "Kerstin")
    caplog.set_level(logging.INFO)
    yield
    failures = [r for r in caplog.records if r.name == "handlers.common" and r.levelno >= 40]
    assert not failures, [r.getMessage() for r in failures]


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Grannbot]:
    async with Grannbot(settings, poll_timeout=1) as bot:
        yield bot


def flow_rows(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path, timeout=10) as conn:
        return conn.execute(
            "SELECT user_id, name, step, value FROM flow_state ORDER BY user_id, name"
        ).fetchall()


def stored_draft(db_path: Path, user_id: int, name: str = "tip") -> dict:
    found = [json.loads(v) for u, n, _, v in flow_rows(db_path) if (u, n) == (user_id, name)]
    assert len(found) == 1, flow_rows(db_path)
    return found[0]


def idle_seconds(db_path: Path, user_id: int) -> float:
    with sqlite3.connect(db_path, timeout=10) as conn:
        (touched,) = conn.execute(
            "SELECT touched_at FROM flow_state WHERE user_id = ?", (user_id,)
        ).fetchone()
    then = datetime.strptime(touched, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return (datetime.now(UTC) - then).total_seconds()


def logged(caplog: pytest.LogCaptureFixture, part: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if part in r.getMessage()]


async def to_description(user: SandboxUser) -> None:
    """/tip, Burglary, happening now: the bot asks for the description (one area only)."""
    await user.send("/tip")
    await user.wait_text("Vad gäller det?")
    await user.press("Inbrott")
    await user.wait_text("När hände det?")
    await user.press("Pågår nu")
    await user.press("Fortsätt ändå")
    await user.wait_text("Beskriv vad som hände")


# ------------------------------------------------------------------ going on after a restart


async def test_guided_tip_goes_on_after_a_restart(sandbox: Sandbox, settings, db_path, rows):
    user = sandbox.user(TWO_AREAS, "Boende 502")
    async with running(settings):
        seed_residents(sandbox, db_path, [TWO_AREAS], ["centrum", "norr"])
        await user.send("/tip")
        await user.press("Stöld")
        await user.press("Norr")
        await user.press("I går")
        await user.wait_text("Beskriv vad som hände")
        await user.send("Cykel stulen från cykelstället vid Norrgatan 4")
        added = await user.send_photo()
        assert "Bilden är tillagd" in added.text
        located = await user.send_location(59.1234567, 15.1987654)
        assert "Platsen är tillagd" in located.text
    # Stored as plain JSON: the chosen area by id, the photo by its Telegram file ids.
    draft = stored_draft(db_path, TWO_AREAS)
    norr = rows("SELECT id FROM areas WHERE code = 'norr'")[0][0]
    assert draft["area"] == norr and draft["category"] == "theft"
    assert draft["description"].endswith("Norrgatan 4") and len(draft["photo"]) == 2

    async with running(settings):
        # A fresh application on the same database: the flow is where it was.
        await user.press("Vidare")
        await user.wait_text("Hur vill du att vi kontaktar dig?")
        await user.press("Ring mig")
        await user.wait_text("telefonnummer")
        await user.send("070-123 45 67")
        summary = await user.wait_text("Kontrollera ditt tips")
        for part in ("Stöld", "Norr", "I går", "Bild: ja", "Plats: ja", "0701234567", "Norrgatan"):
            assert part in summary.text, part
        await user.press("Skicka tipset")
        await user.wait_text("Tack!")
        # The draft, with its phone number, is gone from the database with the Send.
        await until(lambda: flow_rows(db_path) == [])

    assert rows(
        "SELECT category, occurred, description, reporter_id, contact, phone, latitude,"
        " longitude, (SELECT code FROM areas WHERE id = area_id) FROM tips"
    ) == [
        (
            "theft",
            "yesterday",
            "Cykel stulen från cykelstället vid Norrgatan 4",
            TWO_AREAS,
            "phone",
            "0701234567",
            59.123,
            15.199,
            "norr",
        )
    ]
    assert rows("SELECT count(*) FROM tip_attachments") == [(1,)]


async def test_alert_in_preview_is_sent_after_a_restart(sandbox: Sandbox, settings, db_path, rows):
    residents = [601, 602, 603]
    officer = sandbox.user(POLICE_ID, "Polis")
    async with running(settings):
        seed_residents(sandbox, db_path, residents, ["centrum"])
        preview = await officer.send("/alert centrum Vattnet stängs av i natt på Storgatan")
        assert "Förhandsvisning" in preview.text and "Storgatan" in preview.text
    assert stored_draft(db_path, POLICE_ID, "alert")["text"].endswith("Storgatan")

    async with running(settings):
        await officer.press("Skicka")
        await sandbox.wait_for(
            lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=30
        )
        assert [received(sandbox, r, HEADING) for r in residents] == [1, 1, 1]
        assert "Storgatan" in sandbox.messages(residents[0])[-1].text
        await until(lambda: flow_rows(db_path) == [])
    assert rows("SELECT kind, area_names, text FROM alerts") == [
        ("police", "Centrum", "Vattnet stängs av i natt på Storgatan")
    ]


async def test_send_pressed_while_the_bot_is_down_still_sends_the_alert(
    sandbox: Sandbox, settings, db_path, rows
):
    """The officer presses Send while the bot is restarting; by the time it is back the button
    has expired, so Telegram refuses the answer. The alert must go out all the same."""
    residents = [611, 612]
    officer = sandbox.user(POLICE_ID, "Polis")
    async with running(settings):
        seed_residents(sandbox, db_path, residents, ["centrum"])
        await officer.send("/alert centrum Polisen söker vittnen till en brand i natt")
    preview = sandbox.messages(POLICE_ID)[-1]
    (send_data,) = [
        b["callback_data"]
        for row in preview.reply_markup["inline_keyboard"]
        for b in row
        if "Skicka" in b["text"]
    ]
    query_id = sandbox.inject_callback(POLICE_ID, POLICE_ID, preview.message_id, send_data)
    assert sandbox.expire_callbacks() == 1

    async with running(settings):
        await sandbox.wait_for(
            lambda: all(received(sandbox, r, HEADING) == 1 for r in residents), timeout=30
        )
        await sandbox.wait_for(
            lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=30
        )
    answers = [c for c in sandbox.calls if c.method == "answerCallbackQuery"]
    assert [c.params.get("callback_query_id") for c in answers] == [query_id]
    assert answers[0].status == 400 and "query is too old" in answers[0].description
    assert rows("SELECT count(*) FROM alerts") == [(1,)]
    assert flow_rows(db_path) == []


async def test_killed_right_after_a_step_loses_nothing(
    sandbox: Sandbox, config_file: Path, db_path: Path, tmp_path: Path, rows
):
    """A real process killed with SIGKILL as soon as the step is answered: no clean stop
    writes anything for it, so the step must already be in the database."""
    log = tmp_path / "bot.log"
    bot = await start_bot_process(sandbox, config_file, log)
    try:
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        user = sandbox.user(RESIDENT, "Boende 501")
        await to_description(user)
        await user.send("Två personer provar dörrhandtag på Storgatan", timeout=15)
        await user.wait_text("bild eller en plats")
        # Written with the update (PTB alone writes every 60 s), and the update confirmed.
        await until(
            lambda: [(n, s) for _, n, s, _ in flow_rows(db_path)] == [("tip", str(tip_flow.ATTACH))]
        )
        await sandbox.wait_for(lambda: sandbox.updates_pending() == 0)
        bot.send_signal(signal.SIGKILL)
        await bot.wait()

        bot = await start_bot_process(sandbox, config_file, log)
        await user.press("Vidare", timeout=15)
        await user.wait_text("Hur vill du att vi kontaktar dig?")
        await user.press("Svara mig här i Telegram")
        summary = await user.wait_text("Kontrollera ditt tips")
        assert "Storgatan" in summary.text and "pågick" in summary.text
        await user.press("Skicka tipset")
        await user.wait_text("Tack!")
        await until(lambda: flow_rows(db_path) == [])
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 20)
    assert rows("SELECT category, occurred, description, reporter_id FROM tips") == [
        ("burglary", "now", "Två personer provar dörrhandtag på Storgatan", RESIDENT)
    ]


# ------------------------------------------------------------------ expiry


async def test_draft_older_than_the_timeout_is_gone_after_a_restart(
    sandbox: Sandbox, settings, db_path, monkeypatch, caplog
):
    user = sandbox.user(RESIDENT, "Boende 501")
    async with running(settings):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        await to_description(user)
        await user.send("Någon har klottrat på skolans vägg, jag heter Anna 070-1112233")
        await user.wait_text("bild eller en plats")
    assert stored_draft(db_path, RESIDENT)["description"].startswith("Någon har klottrat")

    monkeypatch.setattr(tip_flow, "TIMEOUT", 1.0)
    await until(lambda: idle_seconds(db_path, RESIDENT) > 1.2)
    async with running(settings):
        # Dropped while loading, before any update is handled.
        assert flow_rows(db_path) == []
        assert logged(caplog, "0 restored, 1 past their timeout deleted")
        assert await user.press("Vidare") is None
        assert list(sandbox.callback_answers.values())[-1]["text"] == (
            "Den knappen gäller inte längre."
        )
        again = await user.send("/tip")
        assert "ring 112" in again.text


async def test_flow_idle_past_its_timeout_is_deleted_while_running(
    sandbox: Sandbox, settings, db_path, monkeypatch, rows
):
    monkeypatch.setattr(tip_flow, "TIMEOUT", 1.0)
    user = sandbox.user(RESIDENT, "Boende 501")
    async with running(settings):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        await to_description(user)
        await user.send("Mopeder kör på gångvägen vid ån varje kväll")
        await user.wait_text("bild eller en plats")
        await until(lambda: len(flow_rows(db_path)) == 1)
        await user.wait_text("tog för lång tid", timeout=10)
        await until(lambda: flow_rows(db_path) == [])
    assert rows("SELECT count(*) FROM tips") == [(0,)]


async def test_restored_flow_left_idle_ends_in_memory_too(
    sandbox: Sandbox, settings, db_path, monkeypatch, caplog, rows
):
    """PTB's timeout jobs are not kept over a restart: the sweep ends a restored flow that
    stays idle, so later free text is not taken for its description."""
    user = sandbox.user(RESIDENT, "Boende 501")
    async with running(settings):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        await to_description(user)
    monkeypatch.setattr(tip_flow, "TIMEOUT", 3.0)
    async with running(settings):
        assert logged(caplog, "1 restored, 0 past their timeout deleted")
        await until(lambda: flow_rows(db_path) == [], within=15)
        answer = await user.send("Hej, hur gör jag?")
        # Free text outside a flow: offered as a tip, not taken as a description.
        assert "som ett tips" in answer.text
    assert rows("SELECT count(*) FROM tips") == [(0,)]


# ------------------------------------------------------------------ privacy


async def test_forget_deletes_the_flow_rows(sandbox: Sandbox, settings, db_path):
    user = sandbox.user(RESIDENT, "Boende 501")
    async with running(settings):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        await to_description(user)
        await user.send("Bilen utan skyltar står vid min port, ring 070-9998877")
        await user.wait_text("bild eller en plats")
        await until(lambda: len(flow_rows(db_path)) == 1)
        await user.send("/forget")
        done = await user.press("Ja, radera allt")
        assert "raderade" in done.text
        assert flow_rows(db_path) == [], "deleted with the participant, before the answer"
        # The update's own write does not bring it back.
        await user.send("/help")
        assert flow_rows(db_path) == []
    assert references(db_path, RESIDENT) == []


async def test_mydata_lists_the_draft_in_progress(sandbox: Sandbox, settings, db_path):
    user = sandbox.user(RESIDENT, "Boende 501")
    async with running(settings):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        empty = json.loads((await mydata_file(user)).file_bytes)
        assert empty["in_progress"] == []
        await to_description(user)
        await user.send("Någon lyser med ficklampa in i bilar på parkeringen")
        await user.wait_text("bild eller en plats")
        data = json.loads((await mydata_file(user)).file_bytes)
    [flow] = data["in_progress"]
    assert flow["flow"] == "tip" and flow["draft"]["category"] == "burglary"
    assert flow["draft"]["description"] == "Någon lyser med ficklampa in i bilar på parkeringen"


async def test_anonymous_draft_is_deleted_when_sent_or_cancelled(
    sandbox: Sandbox, settings, db_path, rows
):
    user = sandbox.user(RESIDENT, "Boende 501")
    async with running(settings):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        await to_description(user)
        await user.send("Langning vid busshållplatsen efter skolan")
        await user.press("Vidare")
        await user.press("Anonymt")
        await user.wait_text("Kontrollera ditt tips")
        await until(lambda: [v for *_, v in flow_rows(db_path) if '"anonymous"' in v] != [])
        await user.press("Skicka tipset")
        await user.wait_text("Tack!")
        await until(lambda: flow_rows(db_path) == [])
        assert rows("SELECT reporter_id FROM tips") == [(None,)]

        await to_description(user)
        await user.send("Ännu ett anonymt tips som inte skickas")
        await user.press("Vidare")
        await user.press("Anonymt")
        await user.wait_text("Kontrollera ditt tips")
        await until(lambda: len(flow_rows(db_path)) == 1)
        await user.send("/cancel")
        await until(lambda: flow_rows(db_path) == [])
    assert rows("SELECT count(*) FROM tips") == [(1,)]


async def test_language_chosen_before_consent_survives_a_restart(
    sandbox: Sandbox, settings, db_path
):
    ivan = sandbox.user(RESIDENT, "Ivan")
    async with running(settings):
        await ivan.send("/language en")
        await until(lambda: [(n, v) for _, n, _, v in flow_rows(db_path)] == [("lang", '"en"')])
    async with running(settings):
        welcome = await ivan.send("/start")
        assert "call 112" in welcome.text
        await ivan.press("I agree")
        await ivan.wait_text("Thank you, Ivan")
        # Now it is the participant's language; nothing is kept for signing up any more.
        await until(lambda: flow_rows(db_path) == [])


# ------------------------------------------------------------------ robustness and cost


async def test_unreadable_draft_is_dropped_with_a_log_line(
    sandbox: Sandbox, settings, db_path, caplog
):
    user = sandbox.user(RESIDENT, "Boende 501")
    async with running(settings):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        await to_description(user)
    # As if an older version had written it.
    with sqlite3.connect(db_path) as conn:
        conn.execute('UPDATE flow_state SET value = \'{"version": 0, "what": 1}\'')
    caplog.clear()
    async with running(settings):
        assert flow_rows(db_path) == []
        [line] = logged(caplog, "could not be read")
        assert "'tip'" in line
        assert all(str(RESIDENT) not in r.getMessage() for r in caplog.records)
        answer = await user.send("Text till ett flöde som inte finns längre")
        assert "som ett tips" in answer.text
        again = await user.send("/tip")
        assert "ring 112" in again.text


async def test_updates_without_a_flow_write_nothing(sandbox: Sandbox, settings, db_path):
    """Flushing after every update is cheap: an update from someone with nothing in progress
    commits nothing at all."""
    user = sandbox.user(RESIDENT, "Boende 501")
    async with running(settings):
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        with sqlite3.connect(db_path) as outsider:
            # Changes when another connection commits to the database.
            def version() -> int:
                return outsider.execute("PRAGMA data_version").fetchone()[0]

            before = version()
            # One chat's updates are handled in order, the write after each included: once
            # the last is answered, every one before it has had its chance to write.
            for command in ("/areas", "/help", "/me", "/alerts", "/help"):
                await user.send(command)
            assert version() == before
            await user.send("/tip")
            await user.wait_text("Vad gäller det?")
            await until(lambda: version() != before)  # the flow's first step is written


async def test_a_stored_tip_takes_its_kept_draft_with_it(settings, db_path):
    """The tip and the end of its kept draft commit together: if the bot died before the
    flow's own save, the same Send handled again would find no draft, not store a second tip."""
    db = await Database.open(db_path)
    try:
        async with db.transaction() as tx:
            await flows.save(
                tx, [flows.FlowRow(RESIDENT, tips.FLOW, RESIDENT, "8", "{}", "2026-01-01T00:00Z")]
            )
        draft = tips.Draft(category="other", description="Okänd bil", contact="anonymous")
        await tips.submit(Services(settings, db), tips.HourlyLimit(5), draft, RESIDENT)
        assert await flows.all_flows(db) == []
        assert await db.fetchval("SELECT count(*) FROM tips") == 1
    finally:
        await db.close()
