"""Attacks on the bot's secrets: forged webhook updates are refused, the bot token shows up
neither in logs nor in the database, and log lines never name a tip's reporter."""

from __future__ import annotations

import asyncio
import copy
import io
import logging
import re
import socket
import sqlite3
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

import aiohttp
import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

import bot.app
from bot import alerts
from bot.config import (
    WEBHOOK_SECRET_MIN_LENGTH,
    ConfigError,
    check_config,
    check_webhook_secret,
    load_settings,
)
from bot.logsafety import TokenFilter, pseudonym
from bot.maintenance import backup_database
from bot.request import AiohttpRequest
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from storage.areas import all_areas
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import seed_residents, spawn_bot, until
from tests.test_webhook import free_port

EX_CONFIG = 78
GOOD_SECRET = "Ett_riktigt-hemligt-webhook-losen_2026"
WEBHOOK_URL = "https://grannbot.example/telegram"
_SUGGESTED = re.compile(r'webhook_secret = "([^"]*)"')


def with_webhook(config_file: Path, secret: str, port: int = 8443) -> Path:
    text = config_file.read_text(encoding="utf-8").replace(
        "[telegram]\n",
        f'[telegram]\nmode = "webhook"\nwebhook_url = "{WEBHOOK_URL}"\n'
        f'webhook_listen = "127.0.0.1"\nwebhook_port = {port}\nwebhook_secret = "{secret}"\n',
        1,
    )
    config_file.write_text(text, encoding="utf-8")
    return config_file


# --------------------------------------------------------------------------- webhook


WEAK_SECRETS = {
    "empty": "",
    "short": "kort_hemlighet-123",
    "bad characters": "det här är inte tillåtet men långt nog!!",
}


@pytest.mark.parametrize("secret", WEAK_SECRETS.values(), ids=WEAK_SECRETS.keys())
async def test_webhook_mode_without_a_strong_secret_does_not_start(
    sandbox: Sandbox, config_file: Path, db_path: Path, tmp_path: Path, secret: str
):
    config = with_webhook(config_file, secret)
    log = tmp_path / "bot.log"
    process = await spawn_bot(config, log)
    await asyncio.wait_for(process.wait(), 30)
    output = await asyncio.to_thread(log.read_text, encoding="utf-8")
    assert process.returncode == EX_CONFIG, output
    assert "telegram.webhook_secret" in output
    if secret:
        assert secret not in output, "a secret is never echoed"
    assert "Traceback" not in output
    assert not await asyncio.to_thread(db_path.exists), "nothing was opened"
    assert not any(c.method == "setWebhook" for c in sandbox.calls)


@pytest.mark.parametrize("secret", ["", "kort_hemlighet-123"], ids=["empty", "short"])
def test_check_config_explains_and_suggests_a_fresh_secret(
    config_file: Path, capsys: pytest.CaptureFixture[str], secret: str
):
    config = with_webhook(config_file, secret)
    check_config(config)
    first = capsys.readouterr().err
    check_config(config)
    second = capsys.readouterr().err
    assert "telegram.webhook_secret" in first and "forged" in first
    suggested = _SUGGESTED.search(first)[1]
    assert len(suggested) >= WEBHOOK_SECRET_MIN_LENGTH
    assert re.fullmatch(r"[A-Za-z0-9_-]+", suggested)
    assert suggested != _SUGGESTED.search(second)[1], "a new secret each time, not a constant"
    check_webhook_secret(suggested)  # the suggestion itself is accepted
    with pytest.raises(ConfigError):
        check_webhook_secret(secret)


def test_a_secret_with_bad_characters_is_refused_without_being_echoed(
    config_file: Path, capsys: pytest.CaptureFixture[str]
):
    secret = WEAK_SECRETS["bad characters"]
    assert check_config(with_webhook(config_file, secret)) == 1
    err = capsys.readouterr().err
    assert "telegram.webhook_secret" in err and secret not in err
    check_webhook_secret(_SUGGESTED.search(err)[1])


def table_contents(db_path: Path) -> dict[str, list[tuple]]:
    """Every table's rows except the audit trail, as an outsider reads the file."""
    with sqlite3.connect(db_path) as conn:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'audit'"
            )
        ]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr) for name in names}


async def test_forged_webhook_updates_are_refused_and_change_nothing(
    sandbox: Sandbox, config_file: Path, db_path: Path
):
    port = free_port()
    settings = load_settings(with_webhook(config_file, GOOD_SECRET, port))
    sandbox.user(COORDINATOR_ID, "Kerstin")
    forged = {
        "update_id": 77,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": COORDINATOR_ID, "type": "private", "first_name": "Kerstin"},
            "from": {"id": COORDINATOR_ID, "is_bot": False, "first_name": "Kerstin"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    url = f"http://127.0.0.1:{port}/telegram"
    wrong = ["", "fel", GOOD_SECRET[:-1], GOOD_SECRET + "x", GOOD_SECRET.upper()]
    async with Grannbot(settings) as running, aiohttp.ClientSession() as http:
        assert sandbox.webhook["secret_token"] == GOOD_SECRET
        before = table_contents(db_path)
        sent_before = len(sandbox.messages(COORDINATOR_ID))
        async with http.post(url, json=forged) as answer:
            assert answer.status == 403, "no secret header"
        for secret in wrong:
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
            async with http.post(url, json=forged, headers=headers) as answer:
                assert answer.status == 403, secret
        assert running.updates.in_hand == 0
        assert await sandbox.settle(timeout=3)
        assert table_contents(db_path) == before
        assert len(sandbox.messages(COORDINATOR_ID)) == sent_before

        # The same request with the right secret is answered: the checks above could fail.
        headers = {"X-Telegram-Bot-Api-Secret-Token": GOOD_SECRET}
        async with http.post(url, json=forged, headers=headers) as answer:
            assert answer.status == 200
        await sandbox.wait_for(lambda: len(sandbox.messages(COORDINATOR_ID)) > sent_before)


# --------------------------------------------------------------------------- token


def token_parts(token: str) -> list[bytes]:
    """The token and its secret half: neither may be stored or logged."""
    return [token.encode(), token.split(":", 1)[1].encode()]


def leaked(data: bytes, token: str) -> bool:
    return any(part in data for part in token_parts(token))


def as_text(records: Iterable[logging.LogRecord]) -> str:
    """Records as a handler writes them, tracebacks included."""
    formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    return "\n".join(formatter.format(r) for r in records)


def full_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


async def test_transport_errors_never_carry_the_token(sandbox: Sandbox):
    """Connect refused, connect timeout (a listener whose queue is full), pool timeout and
    read timeout, straight from the transport: message and whole traceback are clean."""
    token = sandbox.token
    seen: list[BaseException] = []

    async def attempt(base_url: str, request: AiohttpRequest, expected: type) -> None:
        async with Bot(token, base_url=base_url, request=request) as tg:
            sends = (tg.send_message(COORDINATOR_ID, "x") for _ in range(3))
            results = await asyncio.gather(*sends, return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        assert failures and all(isinstance(f, expected) for f in failures), results
        seen.extend(failures)

    sandbox.user(COORDINATOR_ID, "Kerstin")
    closed = f"http://127.0.0.1:{free_port()}/bot"
    with pytest.raises(NetworkError) as refused:
        async with Bot(token, base_url=closed, request=AiohttpRequest()) as tg:
            await tg.get_me()
    seen.append(refused.value)

    # A listener that never accepts, with its queue filled: the next connect hangs.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        full = f"http://127.0.0.1:{listener.getsockname()[1]}/bot"
        try:
            with pytest.raises(TimedOut) as hung:
                async with Bot(token, base_url=full, request=AiohttpRequest(connect_timeout=0.3)):
                    pass
            seen.append(hung.value)
        finally:
            for filler in fillers:
                filler.close()

    # Now against the sandbox: getMe answers at once, sendMessage is slow.
    sandbox.faults.method_latency["sendMessage"] = 0.6
    pool = AiohttpRequest(1, connect_timeout=0.05, pool_timeout=0.05)
    await attempt(sandbox.base_url, pool, TimedOut)
    await attempt(sandbox.base_url, AiohttpRequest(4, read_timeout=0.2), TimedOut)

    texts = [full_text(exc) for exc in seen]
    assert all(not leaked(text.encode(), token) for text in texts), texts
    # The pool timeout's own text names the URL; what is left of it is masked.
    assert any("Connection timeout to host" in text and "/bot<token>/" in text for text in texts)


@pytest.fixture
def tight_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot's transport with one connection and short timeouts, so that faults in the
    sandbox turn into pool and read timeouts within a test's time."""

    def tight(connection_pool_size: int = 1) -> AiohttpRequest:
        return AiohttpRequest(1, read_timeout=0.5, connect_timeout=0.5, pool_timeout=0.05)

    monkeypatch.setattr(bot.app, "AiohttpRequest", tight)


async def test_timeouts_and_5xx_leave_no_token_in_logs_database_or_backup(
    sandbox: Sandbox,
    settings,
    db_path: Path,
    tmp_path: Path,
    rows: Callable[..., list[tuple]],
    tight_transport: None,
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    token = sandbox.token
    residents = list(range(5001, 5013))
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")
    async with Grannbot(settings, poll_timeout=0.5, backoff=0.05, max_attempts=50) as running:
        seed_residents(sandbox, db_path, residents, ["centrum"])
        areas = [a for a in await all_areas(running.db) if a.code == "centrum"]
        sandbox.faults.seed(3)
        sandbox.faults.rates("sendMessage", p_5xx=0.3)
        # First slower than the read timeout: read timeouts, and pool timeouts behind them.
        sandbox.faults.method_latency["sendMessage"] = 0.8
        await alerts.queue(
            running.services, alerts.Draft("police", None, areas, "Inbrott på Storgatan")
        )

        # A row keeps only its latest error; every one seen along the way is collected.
        seen: set[str] = set()

        def errors_seen(*markers: str) -> bool:
            seen.update(e for (e,) in rows("SELECT last_error FROM deliveries") if e)
            return all(any(marker in e for e in seen) for marker in markers)

        await until(lambda: errors_seen("Connection timeout", "reading"), within=30)
        # Then quick answers, some of them 502s.
        sandbox.faults.method_latency.clear()
        await until(lambda: errors_seen("Bad Gateway"), within=30)
        sandbox.faults.rates("sendMessage")
        await until(
            lambda: (
                rows("SELECT count(*) FROM deliveries WHERE status = 'delivered'")
                == [(len(residents),)]
            ),
            within=60,
        )
    backup = tmp_path / "backup.sqlite3"
    assert await asyncio.to_thread(backup_database, settings, backup) == 0

    # What the bot itself logs (INFO and up, the level it runs at) is clean at the source.
    logged = as_text(r for r in caplog.records if r.levelno >= logging.INFO)
    assert "outbox" in logged or "Timeout" in logged
    assert not leaked(logged.encode(), token)
    # PTB logs its API URL, token and all, at DEBUG: the filter `run` installs masks it.
    token_filter = TokenFilter(token)
    masked = [copy.copy(r) for r in caplog.records]
    assert all(token_filter.filter(r) for r in masked)
    assert not leaked(as_text(masked).encode(), token)
    assert "/bot<token>" in as_text(masked)
    files = [db_path, Path(f"{db_path}-wal"), backup]
    for path in files:
        if path.exists():
            assert not leaked(path.read_bytes(), token), path
    assert any("/bot<token>/" in e for e in seen), "the stored error was masked, not avoided"


def test_the_log_filter_masks_message_arguments_and_tracebacks():
    token = "7788990011:AAF_abcdefghijklmnopqrstuvwxyz012345"
    other = "1234567:ZZZ-a-different-token-shaped-value"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenFilter(token))
    logger = logging.getLogger("test_attack_token.filter")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.warning("calling %s", f"https://api.telegram.org/bot{token}/getMe")
        logger.warning("plain %s and %s", token.split(":")[1], other)
        try:
            raise RuntimeError(f"failed at https://api.telegram.org/bot{token}/sendMessage")
        except RuntimeError:
            logger.exception("with a traceback")
        logger.warning("a custom base url http://h/botSECRETPART123/sendMessage")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert token.split(":")[1] not in text and other not in text
    assert "SECRETPART123" not in text
    assert text.count("<token>") >= 5
    assert "Traceback" in text and "RuntimeError" in text


# --------------------------------------------------------------------------- who sent it

REPORTER = 60417
REPORTER_NAME = "Ingegerd Blomqvist"


async def test_an_anonymous_tip_with_faults_all_around_names_nobody_in_the_log(
    sandbox: Sandbox,
    settings,
    db_path: Path,
    rows: Callable[..., list[tuple]],
    caplog: pytest.LogCaptureFixture,
):
    # The level the bot runs at (PTB's own debug lines name every chat it writes to).
    caplog.set_level(logging.INFO)
    sandbox.user(COORDINATOR_ID, "Kerstin")
    sandbox.user(POLICE_ID, "Polis")
    async with Grannbot(settings, poll_timeout=0.5, backoff=0.05):
        seed_residents(sandbox, db_path, [REPORTER], ["centrum"])
        sandbox.user(REPORTER, REPORTER_NAME, username="ingegerd_b")
        sandbox.faults.seed(7)
        sandbox.faults.rates("*", p_5xx=0.2, p_drop=0.1)
        # The confirmation to the reporter fails with a 5xx, as do the tries after it.
        sandbox.faults.fail_next("sendMessage", status=502, chat_id=REPORTER, count=3)
        sandbox.inject_message(REPORTER, REPORTER, "/tip anonym narkotika Langning vid skolan")
        await until(lambda: rows("SELECT count(*) FROM tips")[0][0] >= 1, within=30)
        await until(lambda: "answer after a committed change not sent" in caplog.text, 30)
        # Right after, a failure the error handler logs: /tip whose first answer fails.
        sandbox.faults.fail_next("sendMessage", status=502, chat_id=REPORTER, count=3)
        sandbox.inject_message(REPORTER, REPORTER, "/tip")
        await until(lambda: "error while handling" in caplog.text, within=30)
        sandbox.faults.clear()
        await until(lambda: len(sandbox.messages(COORDINATOR_ID)) >= 1, within=30)
    assert set(rows("SELECT reporter_id, contact FROM tips")) == {(None, "anonymous")}

    records = caplog.records
    texts = [r.getMessage() for r in records] + [
        full_text(r.exc_info[1]) for r in records if r.exc_info and r.exc_info[1]
    ]
    logged = "\n".join(texts)
    assert re.search(r"tip T-\d{4}-\d{6} \(drugs\) received", logged)
    assert f"chat {pseudonym(REPORTER)}" in logged, "the failure is still told apart by chat"
    for needle in (str(REPORTER), REPORTER_NAME, REPORTER_NAME.split()[0], "ingegerd_b"):
        assert needle not in logged, needle
