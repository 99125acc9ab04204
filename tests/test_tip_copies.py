"""The handlers' copies of a new tip go through the persistent outbox: written with the tip,
sent after a crash, never held up by a large alert, and paced per chat as Telegram wants."""

from __future__ import annotations

import asyncio
import itertools
import re
import signal
import sqlite3
from pathlib import Path

from bot import tips
from bot.sandbox import Sandbox
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import seed_residents, start_bot_process, until, with_broadcast

RESIDENT = 4101
REF = re.compile(r"T-\d{4}-\d{6}")


async def send_tip(sandbox: Sandbox, user_id: int, text: str) -> str:
    answer = await sandbox.user(user_id, f"Boende {user_id}").send(f"/tip {text}", timeout=15)
    found = REF.search(answer.text or "")
    assert found, answer.text
    return found.group()


def coordinator(sandbox: Sandbox) -> None:
    sandbox.user(COORDINATOR_ID, "Kerstin")


def copies_of(sandbox: Sandbox, ref: str) -> int:
    return sum(1 for m in sandbox.messages(COORDINATOR_ID) if ref in (m.text or ""))


async def test_copy_written_with_the_tip_is_sent_after_a_crash(
    sandbox: Sandbox, config_file: Path, db_path: Path, tmp_path: Path, rows
):
    coordinator(sandbox)
    # The coordinator cannot be reached until after the crash.
    sandbox.faults.fail_next("sendMessage", status=502, count=1000, chat_id=COORDINATOR_ID)
    bot = await start_bot_process(sandbox, config_file, tmp_path / "bot.log")
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    try:
        ref = await send_tip(sandbox, RESIDENT, "inbrott Någon bröt upp källardörren")
        await sandbox.wait_for(
            lambda: any(c.chat_id == COORDINATOR_ID and c.status == 502 for c in sandbox.calls)
        )
        # The crash is about the outbox: the tip's update was confirmed first, or Telegram
        # would hand it out again and the tip would be stored twice (at-least-once handling).
        await sandbox.wait_for(lambda: sandbox.updates_pending() == 0)
    finally:
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
    assert copies_of(sandbox, ref) == 0
    assert rows("SELECT chat_id, status FROM tip_copies") == [(COORDINATOR_ID, "pending")]

    sandbox.faults.clear()
    bot = await start_bot_process(sandbox, config_file, tmp_path / "bot.log")
    try:
        await sandbox.wait_for(lambda: copies_of(sandbox, ref) == 1, timeout=20)
        await until(lambda: rows("SELECT status FROM tip_copies") == [("delivered",)])
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 15)
    assert copies_of(sandbox, ref) == 1


async def test_copy_is_not_held_up_by_a_large_alert(
    sandbox: Sandbox, config_file: Path, db_path: Path, tmp_path: Path, rows
):
    coordinator(sandbox)
    residents = range(30_000, 30_300)
    # 300 residents at 20 messages per second: the alert takes about 15 seconds.
    bot = await start_bot_process(sandbox, with_broadcast(config_file, 20), tmp_path / "bot.log")
    seed_residents(sandbox, db_path, [RESIDENT, *residents], ["centrum"])
    try:
        officer = sandbox.user(POLICE_ID, "Polis")
        await officer.send("/alert centrum Vattenläcka på Storgatan, undvik området", timeout=15)
        await officer.press("Skicka", timeout=15)
        await sandbox.wait_for(
            lambda: sum(1 for r in residents if sandbox.messages(r)) >= 20, timeout=20
        )
        ref = await send_tip(sandbox, RESIDENT, "misstänkt aktivitet Bil som kör sakta runt")
        await sandbox.wait_for(lambda: copies_of(sandbox, ref) == 1, timeout=5)
        pending = rows("SELECT count(*) FROM deliveries WHERE status = 'pending'")[0][0]
        assert pending > 100, "the copy should have gone out while the alert was still going"
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 15)


async def test_copies_to_one_chat_are_paced(sandbox: Sandbox, bot, db_path: Path, rows):
    coordinator(sandbox)
    neighbours = [RESIDENT, RESIDENT + 1, RESIDENT + 2]
    seed_residents(sandbox, db_path, neighbours, ["centrum"])
    refs = await asyncio.gather(
        *(send_tip(sandbox, uid, f"stöld Cykel {uid} stulen vid stationen") for uid in neighbours)
    )
    await sandbox.wait_for(lambda: all(copies_of(sandbox, ref) == 1 for ref in refs), timeout=10)
    sent = sorted(
        c.at
        for c in sandbox.calls
        if c.method == "sendMessage" and c.chat_id == COORDINATOR_ID and c.status == 200
    )
    assert len(sent) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(sent)]
    assert min(gaps) >= 0.9, gaps  # Telegram: about one message per second to one chat
    await until(
        lambda: rows("SELECT count(*) FROM tip_copies WHERE status = 'delivered'") == [(3,)]
    )


async def test_a_blocked_handler_is_recorded(sandbox: Sandbox, bot, db_path: Path, rows):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    coordinator(sandbox)
    sandbox.block(COORDINATOR_ID)
    ref = await send_tip(sandbox, RESIDENT, "skadegörelse Klotter på skolan")
    await until(lambda: rows("SELECT status FROM tip_copies") == [("blocked",)])
    assert copies_of(sandbox, ref) == 0
    # The tip itself is kept and listed for whoever handles it next.
    assert rows("SELECT ref, status FROM tips") == [(ref, "new")]


async def test_a_failure_on_our_side_is_retried_not_dropped(
    sandbox: Sandbox, bot, db_path: Path, rows, monkeypatch, caplog
):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    coordinator(sandbox)
    real_read = tips.tip_rows.tip_by_id
    failures = []

    async def read_fails_once(db, tip_id):
        if not failures:
            failures.append(tip_id)
            raise sqlite3.OperationalError("disk I/O error")
        return await real_read(db, tip_id)

    monkeypatch.setattr(tips.tip_rows, "tip_by_id", read_fails_once)
    ref = await send_tip(sandbox, RESIDENT, "narkotika Langning vid skolgården")
    await sandbox.wait_for(lambda: copies_of(sandbox, ref) == 1, timeout=10)
    assert len(failures) == 1
    await until(lambda: rows("SELECT status, attempts FROM tip_copies") == [("delivered", 2)])
    assert any("disk I/O error" in (r.exc_text or "") for r in caplog.records)
