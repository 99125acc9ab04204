"""Attacks on the audit log: a resident who keeps pressing a refused button to flood it, and a
log so long or so full of long text that /audit would pass Telegram's 4096 characters."""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.alerts import telegram_length
from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from bot.sandbox.objects import Msg
from tests.conftest import COORDINATOR_ID
from tests.helpers import seed_residents, until

RESIDENT = 484101
PRESSES = 50
LOG_ROWS = 300
# Telegram's limit for a message, in UTF-16 code units after the markup is parsed.
MESSAGE_LIMIT = 4096


@pytest.fixture
async def unthrottled_bot(config_file: Path, sandbox: Sandbox, caplog: pytest.LogCaptureFixture):
    """The flood guard lets 20 updates in 10 seconds through, 7,200 an hour: the audit log
    must hold up on its own. It is off here so that all 50 presses reach the handlers (and a
    coordinator can page through 300 entries as fast as the test presses)."""
    sandbox.user(COORDINATOR_ID, "Kerstin")
    settings = load_settings(config_file, telegram={"flood_burst": 0})
    caplog.set_level(logging.INFO)
    async with Grannbot(settings, poll_timeout=1) as running:
        yield running
    failures = [r for r in caplog.records if r.name == "handlers.common" and r.levelno >= 40]
    assert not failures, [r.getMessage() for r in failures]


async def press_refused(sandbox: Sandbox, data: str, times: int) -> None:
    """Forged presses of a coordinator's button, each waited for until the bot answered."""
    for _ in range(times):
        query_id = sandbox.inject_callback(RESIDENT, RESIDENT, 1, data)
        await sandbox.wait_for(lambda q=query_id: q in sandbox.callback_answers, timeout=5)


async def test_fifty_refused_presses_in_an_hour_leave_one_row(
    sandbox: Sandbox, unthrottled_bot, db_path: Path, rows
):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    # The presses must fall into one clock hour: not too close to its end.
    await until(lambda: datetime.now(UTC).minute < 58, within=150)
    await press_refused(sandbox, "arearm:centrum", PRESSES)
    answers = [a.get("text") or "" for a in sandbox.callback_answers.values()]
    assert len(answers) == PRESSES and all("inte tillgängligt" in a for a in answers)
    refused = "SELECT action, times FROM audit_log WHERE actor_id = ? ORDER BY id"
    assert rows(refused, (RESIDENT,)) == [("on_remove_area", PRESSES)]
    assert rows("SELECT count(*) FROM areas WHERE code = 'centrum'") == [(1,)]

    # A typed command is another action: a row of its own, counting on its own.
    resident = sandbox.user(RESIDENT, "Boende")
    for _ in range(3):
        assert "inte tillgängligt" in (await resident.send("/area remove centrum")).text
    assert rows(refused, (RESIDENT,)) == [("on_remove_area", PRESSES), ("area", 3)]

    # The hour is over (the row is moved back an hour, as if it had been written then):
    # the next press starts a new row.
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%SZ', at, '-1 hour')"
            " WHERE action = 'on_remove_area'"
        )
    await press_refused(sandbox, "arearm:centrum", 2)
    assert rows(refused, (RESIDENT,)) == [
        ("on_remove_area", PRESSES),
        ("area", 3),
        ("on_remove_area", 2),
    ]

    # The coordinator sees how often.
    log = await sandbox.user(COORDINATOR_ID, "Kerstin").send("/audit")
    assert f"×{PRESSES}" in log.text and "×3" in log.text and "×2" in log.text


def seed_log(db_path: Path, count: int) -> None:
    """A long log whose every entry is as long as a coordinator could make it: a long area
    code as target, a ban reason of 4,000 characters with markup and emoji."""
    reason = ("<b>&amp; 🚲 " * 400)[:4000]
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO audit_log (at, actor_id, action, target, outcome, detail, times)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    f"2026-03-{1 + n // 24:02d}T{n % 24:02d}:00:00Z",
                    COORDINATOR_ID,
                    "ban" if n % 2 else "unban",
                    f"entry{n:03d}-" + "🚲" * 200,
                    "refused" if n % 7 == 0 else "ok",
                    reason,
                    1 + n % 9,
                )
                for n in range(1, count + 1)
            ],
        )


def entries_on(page: Msg) -> list[int]:
    return [int(n) for n in re.findall(r"entry(\d{3})-", page.text or "")]


def assert_fits(page: Msg) -> None:
    assert telegram_length(page.raw_text or "") <= MESSAGE_LIMIT
    assert len((page.text or "").encode("utf-16-le")) // 2 <= MESSAGE_LIMIT


async def page_through(user, first: Msg) -> list[list[int]]:
    """Press "Older" until the oldest page; every page's entries, in order."""
    pages = [entries_on(first)]
    assert_fits(first)
    while any("Äldre" in label for label, _ in first.buttons()):
        first = await user.press("Äldre")
        assert_fits(first)
        pages.append(entries_on(first))
    return pages


async def test_audit_pages_fit_and_reach_the_oldest_entry(
    sandbox: Sandbox, unthrottled_bot, db_path, rows
):
    seed_log(db_path, LOG_ROWS)
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    first = await kerstin.send("/audit")
    assert "1–" in first.text and f"av {LOG_ROWS}" in first.text
    assert not any("Nyare" in label for label, _ in first.buttons())
    pages = await page_through(kerstin, first)
    shown = [n for page in pages for n in page]
    # Newest first, every entry once, down to the very first.
    assert shown == list(range(LOG_ROWS, 0, -1))
    assert len(pages) > 1 and all(pages)
    last = await kerstin.send("/audit")
    assert "nekad ×7" in last.text  # entry 294: refused, 7 times

    # And back: "Newer" from the second page leads to the newest entries again.
    second = await kerstin.press("Äldre")
    assert entries_on(second) == pages[1]
    back = await kerstin.press("Nyare")
    assert entries_on(back) == pages[0] and entries_on(last) == pages[0]
    assert_fits(back)


async def test_audit_latest_n_pages_through_n_entries(sandbox: Sandbox, unthrottled_bot, db_path):
    seed_log(db_path, LOG_ROWS)
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    first = await kerstin.send("/audit 100")
    assert "av 100" in first.text
    pages = await page_through(kerstin, first)
    assert [n for page in pages for n in page] == list(range(LOG_ROWS, LOG_ROWS - 100, -1))
    assert "Skriv /audit" in (await kerstin.send("/audit 0")).text
    assert "Skriv /audit" in (await kerstin.send("/audit många")).text


async def test_forged_audit_page_buttons(sandbox: Sandbox, unthrottled_bot, db_path, rows):
    seed_log(db_path, 40)
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    await kerstin.send("/audit")
    message_id = kerstin.last_message().message_id
    # Data this bot never made, ids past SQLite's integers, a page past the oldest entry:
    # each turns the message back to the newest page.
    forged = (
        "auditpg:o:abc:0",
        "auditpg:x:1:0",
        "auditpg:o:" + "9" * 30 + ":0",
        f"auditpg:n:{2**63}:0",
        "auditpg:o:1:0",
    )

    def shown() -> Msg:
        return next(m for m in sandbox.messages(COORDINATOR_ID) if m.message_id == message_id)

    for data in forged:
        assert entries_on(await kerstin.press("Äldre"))[0] < 40
        sandbox.inject_callback(COORDINATOR_ID, COORDINATOR_ID, message_id, data)
        await sandbox.wait_for(lambda: entries_on(shown())[:1] == [40], timeout=5)
        assert_fits(shown())
    # A resident's forged press is refused like any other coordinator's button.
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    before = rows("SELECT count(*) FROM audit_log")[0][0]
    query_id = sandbox.inject_callback(RESIDENT, RESIDENT, 1, "auditpg:o:41:0")
    await sandbox.wait_for(lambda: query_id in sandbox.callback_answers, timeout=5)
    assert "inte tillgängligt" in sandbox.callback_answers[query_id].get("text", "")
    assert not any("entry" in (m.text or "") for m in sandbox.messages(RESIDENT))
    assert rows("SELECT count(*) FROM audit_log")[0][0] == before + 1
