"""`python -m bot run` starts and stops cleanly: a token Telegram rejects ends it at once with
one line and exit code 78, Telegram out of reach at start-up is waited for, and the token
never shows in the output."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from bot.sandbox import Sandbox
from tests.conftest import CONFIG, COORDINATOR_ID, POLICE_ID
from tests.helpers import spawn_bot, until
from tests.test_webhook import free_port

EX_CONFIG = 78
TOKEN_VARIABLE = "GRANNBOT_TELEGRAM__TOKEN"


def write_config(tmp_path: Path, token: str, port: int) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        CONFIG.format(
            token=token,
            base_url=f"http://127.0.0.1:{port}/bot",
            base_file_url=f"http://127.0.0.1:{port}/file/bot",
            db_path=(tmp_path / "grannbot.sqlite3").as_posix(),
            coordinator=COORDINATOR_ID,
            police=POLICE_ID,
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "token",
    [
        "123456:AAH-this-is-a-well-formed-but-revoked-token",  # Telegram answers 401
        "not-a-token-at-all-but-long-enough-to-notice",  # Telegram answers 404
    ],
)
async def test_a_rejected_token_exits_with_one_line_and_78(
    sandbox: Sandbox, tmp_path: Path, token: str
):
    config = write_config(tmp_path, token, sandbox.port)
    log = tmp_path / "bot.log"
    process = await spawn_bot(config, log)
    try:
        code = await asyncio.wait_for(process.wait(), 10)
    finally:
        if process.returncode is None:
            process.kill()
    assert code == EX_CONFIG
    output = log.read_text(encoding="utf-8")
    assert token not in output and token.split(":")[-1] not in output
    assert "Traceback" not in output
    problems = [line for line in output.splitlines() if " INFO " not in line]
    assert len(problems) == 1, output
    assert TOKEN_VARIABLE in problems[0]


async def test_waits_for_telegram_and_serves_once_it_answers(tmp_path: Path):
    port = free_port()
    sandbox = Sandbox()
    config = write_config(tmp_path, sandbox.token, port)
    log = tmp_path / "bot.log"
    process = await spawn_bot(config, log)

    def attempts() -> int:
        return log.read_text(encoding="utf-8").count("cannot be reached")

    try:
        # Telegram stays out of reach for the bot's first 15 seconds.
        started = asyncio.get_running_loop().time()
        await until(lambda: attempts() >= 4, within=30)
        await until(lambda: asyncio.get_running_loop().time() - started >= 15, within=20)
        assert process.returncode is None, "the bot gave up instead of waiting"
        await sandbox.start(port=port)
        try:
            anna = sandbox.user(4711, "Anna")
            await sandbox.wait_for(
                lambda: any(c.method == "getUpdates" for c in sandbox.calls), timeout=30
            )
            answer = await anna.send("/help", timeout=15)
            assert answer.text
        finally:
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), 15) == 0
            await sandbox.stop()
    finally:
        if process.returncode is None:
            process.kill()
    output = log.read_text(encoding="utf-8")
    assert "Traceback" not in output
    assert sandbox.token not in output
    waiting = [line for line in output.splitlines() if "cannot be reached" in line]
    assert len(waiting) >= 4
    assert all("WARNING" in line and "trying again" in line for line in waiting)


async def test_a_stop_signal_while_waiting_for_telegram_ends_it(tmp_path: Path):
    config = write_config(tmp_path, "123456:SANDBOX-not-a-real-token", free_port())
    log = tmp_path / "bot.log"
    process = await spawn_bot(config, log)
    try:
        await until(lambda: "cannot be reached" in log.read_text(encoding="utf-8"), within=20)
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 10)
    finally:
        if process.returncode is None:
            process.kill()
    assert code == 0
    assert "Traceback" not in log.read_text(encoding="utf-8")
