"""Small helpers that make a test read like the scenario it checks."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from bot.sandbox import Msg, Sandbox, SandboxUser
from storage.db import MIGRATIONS_TABLE, available_migrations


def seed_residents(
    sandbox: Sandbox,
    db_path: Path,
    user_ids: range | list[int],
    area_codes: list[str],
    *,
    language: str = "sv",
) -> None:
    """Residents who consented and joined areas earlier: written straight to the database
    (thousands of sign-ups through chat would only slow the test down) and known to the
    sandbox, so that the bot can message them."""
    with sqlite3.connect(db_path, timeout=10) as conn:
        conn.executemany(
            "INSERT INTO participants (user_id, first_name, language, consent_at)"
            " VALUES (?, ?, ?, '2026-01-01')",
            [(uid, f"Boende {uid}", language) for uid in user_ids],
        )
        for code in area_codes:
            conn.execute(
                "INSERT INTO memberships (user_id, area_id, joined_at)"
                " SELECT user_id, (SELECT id FROM areas WHERE code = ?), '2026-01-01'"
                f" FROM participants WHERE user_id IN ({','.join('?' * len(user_ids))})",
                (code, *user_ids),
            )
    for uid in user_ids:
        sandbox.user(uid, f"Boende {uid}")


def grant_role(db_path: Path, user_id: int, role: str, area_code: str | None = None) -> None:
    with sqlite3.connect(db_path, timeout=10) as conn:
        conn.execute(
            "INSERT OR IGNORE INTO participants (user_id, first_name, language, consent_at)"
            " VALUES (?, 'Ombud', 'sv', '2026-01-01')",
            (user_id,),
        )
        conn.execute(
            "INSERT INTO roles (user_id, role, area_id, granted_at)"
            " VALUES (?, ?, (SELECT id FROM areas WHERE code = ?), '2026-01-01')",
            (user_id, role, area_code),
        )


def ban_hash(db_path: Path, user_id: int) -> str:
    """HMAC-SHA256 of the user id in decimal under the key kept in the database, computed
    here independently of the bot's code."""
    with sqlite3.connect(db_path, timeout=10) as conn:
        key = conn.execute("SELECT value FROM bot_secrets WHERE name = 'ban_key'").fetchone()[0]
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()


def ban(db_path: Path, user_id: int) -> None:
    """A ban made earlier, as /ban stores it: the hash row and the participant's flag."""
    user_hash = ban_hash(db_path, user_id)
    with sqlite3.connect(db_path, timeout=10) as conn:
        conn.execute(
            "INSERT INTO bans (user_hash, banned_on) VALUES (?, '2026-01-01')", (user_hash,)
        )
        conn.execute(
            "UPDATE participants SET banned_at = '2026-01-01' WHERE user_id = ?", (user_id,)
        )


def received(sandbox: Sandbox, chat_id: int, heading: str) -> int:
    """How many messages with this heading the chat has received."""
    return sum(1 for m in sandbox.messages(chat_id) if m.text and m.text.startswith(heading))


def clean_env() -> dict[str, str]:
    """The environment without a developer's own GRANNBOT_ settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GRANNBOT_")}


def with_broadcast(config_file: Path, per_second: int, group_per_minute: int = 20) -> Path:
    config_file.write_text(
        config_file.read_text(encoding="utf-8")
        + f"\n[broadcast]\nmessages_per_second = {per_second}\n"
        f"group_messages_per_minute = {group_per_minute}\n",
        encoding="utf-8",
    )
    return config_file


async def spawn_bot(config: Path, log: Path) -> asyncio.subprocess.Process:
    """`python -m bot run` as its own process (so that it can be killed), its output in
    ``log``."""
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--config",
            str(config),
            env=clean_env(),
            stdout=out,
            stderr=out,
        )


async def start_bot_process(
    sandbox: Sandbox, config: Path, log: Path
) -> asyncio.subprocess.Process:
    """`spawn_bot`, ready once it polls the sandbox."""
    process = await spawn_bot(config, log)
    mark = len(sandbox.calls)
    await sandbox.wait_for(
        lambda: any(c.method == "getUpdates" for c in sandbox.calls[mark:]), timeout=30
    )
    return process


async def until(predicate: Callable[[], bool], within: float = 10.0) -> None:
    """Poll ``predicate`` (e.g. a query on the bot's database, which the sandbox cannot
    watch) every 50 ms until it holds; fail after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"condition not met within {within}s")
        await asyncio.sleep(0.05)


class StepFailed(Exception):
    """A person gave up on a step: the bot's answer never came, even after trying again."""


class Persistent:
    """A person who, when the bot's answer does not come, does the same thing again (types it
    again, presses the same button again) a few times, as people do when Telegram is slow.

    Presses are injected directly instead of through `SandboxUser.press`, which waits for the
    button's answer: when Telegram fails, that answer is what gets lost."""

    def __init__(self, sandbox: Sandbox, user_id: int, name: str, *, wait: float = 3.0) -> None:
        self.sandbox = sandbox
        self.user = sandbox.user(user_id, name)
        self.user_id = user_id
        self.wait = wait

    def _button(self, label: str) -> tuple[int, str] | None:
        for msg in reversed(self.sandbox.messages(self.user_id)):
            for row in (msg.reply_markup or {}).get("inline_keyboard", []):
                for button in row:
                    if label in button.get("text", "") and button.get("callback_data"):
                        return msg.message_id, button["callback_data"]
        return None

    async def _answer(self, since: int, expect: str) -> bool:
        try:
            await self.sandbox._wait_event(
                self.user_id, since, self.wait, match=lambda m: expect in (m.text or "")
            )
        except TimeoutError:
            return False
        return True

    async def send(self, text: str, expect: str, *, tries: int = 4) -> None:
        for _ in range(tries):
            mark = self.sandbox.seq
            self.sandbox.inject_message(self.user_id, self.user_id, text)
            if await self._answer(mark, expect):
                return
        raise StepFailed(text)

    async def press(self, label: str, expect: str | None, *, tries: int = 4) -> None:
        """Press the newest button labelled ``label``; with ``expect`` None, press once and
        do not wait (a Send button: pressing it twice would be a second decision)."""
        for _ in range(tries):
            found = self._button(label)
            if found is None:
                raise StepFailed(label)
            mark = self.sandbox.seq
            self.sandbox.inject_callback(self.user_id, self.user_id, *found)
            if expect is None or await self._answer(mark, expect):
                return
        raise StepFailed(label)


def old_database(conn: sqlite3.Connection, before: int = 10) -> None:
    """A database as an older version of the bot left it: the migrations before ``before``
    applied and recorded. (From 0010 on, migrations need the SQL functions the bot's own
    connection provides; Database.open then applies the rest.)"""
    conn.execute(MIGRATIONS_TABLE)
    for version, name, sql in available_migrations():
        if version < before:
            conn.executescript(sql)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')",
                (version, name),
            )


async def mydata_file(user: SandboxUser) -> Msg:
    """/mydata answers in words first, then with the JSON file: the file."""
    await user.send("/mydata")
    return await user.wait_text("(JSON)")


def memberships(rows: Callable[..., list[tuple]], user_id: int) -> list[str]:
    """The codes of the areas the user is a member of, read as an outsider would."""
    return [
        code
        for (code,) in rows(
            "SELECT a.code FROM memberships m JOIN areas a ON a.id = m.area_id"
            " WHERE m.user_id = ? ORDER BY a.code",
            (user_id,),
        )
    ]
