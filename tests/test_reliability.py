"""Stopping cleanly in the middle of a delivery, and backups while the bot is busy."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.config import load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from tests.conftest import POLICE_ID
from tests.helpers import clean_env, received, seed_residents, start_bot_process, with_broadcast

HEADING = "Polisen informerar"


async def test_sigterm_during_delivery_stops_quickly_and_loses_nothing(
    sandbox: Sandbox, config_file: Path, db_path: Path, tmp_path: Path, rows
):
    config = with_broadcast(config_file, 30)
    residents = range(20_000, 20_400)
    bot = await start_bot_process(sandbox, config, tmp_path / "bot.log")
    seed_residents(sandbox, db_path, residents, ["centrum"])
    officer = sandbox.user(POLICE_ID, "Polis")
    await officer.send("/alert centrum Stäng fönstren, brand i industriområdet", timeout=15)
    await officer.press("Skicka", timeout=15)

    def delivered() -> int:
        return sum(1 for r in residents if received(sandbox, r, HEADING))

    await sandbox.wait_for(lambda: delivered() >= 100, timeout=60)
    asked = time.monotonic()
    bot.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(bot.wait(), 15)
    stopped_after = time.monotonic() - asked
    assert code == 0
    assert stopped_after < 10, stopped_after
    sent = delivered()
    assert sent < len(residents), "the stop came in the middle of the delivery"
    # Every outbox row is still there; exactly the messages that went out are recorded.
    assert rows("SELECT count(*) FROM deliveries") == [(len(residents),)]
    assert rows("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == [(sent,)]

    bot = await start_bot_process(sandbox, config, tmp_path / "bot.log")
    try:
        await sandbox.wait_for(lambda: delivered() == len(residents), timeout=60)
        await sandbox.wait_for(
            lambda: "Klart" in (sandbox.messages(POLICE_ID)[-1].text or ""), timeout=30
        )
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 15)
    # After a clean stop nothing is sent twice.
    assert [received(sandbox, r, HEADING) for r in residents] == [1] * len(residents)


async def test_backup_while_delivering(
    sandbox: Sandbox, config_file: Path, db_path: Path, tmp_path: Path
):
    config = with_broadcast(config_file, 30)
    settings = load_settings(config)
    residents = range(30_000, 30_300)
    async with Grannbot(settings, poll_timeout=1):
        seed_residents(sandbox, db_path, residents, ["norr"])
        officer = sandbox.user(POLICE_ID, "Polis")
        await officer.send("/alert norr Vattnet stängs av i natt")
        await officer.press("Skicka")
        await sandbox.wait_for(lambda: received(sandbox, 30_010, HEADING) == 1, timeout=30)
        copy = tmp_path / "backup.sqlite3"
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", "backup", str(copy), "--config", str(config)],
            capture_output=True,
            text=True,
            env=clean_env(),
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "backup" in result.stdout
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM deliveries").fetchone() == (len(residents),)
        assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] >= len(residents)
    again = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "backup", str(copy), "--config", str(config)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert again.returncode == 1 and "exists already" in again.stderr
