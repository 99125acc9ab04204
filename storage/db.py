"""SQLite access: one writer connection behind a lock, one reader connection, migrations.

aiosqlite runs every call of a connection on one thread, but two coroutines can still
interleave their statements at each ``await``. All writes therefore go through
:meth:`Database.transaction`, which holds a lock for the whole ``BEGIN … COMMIT``; reads use a
second connection so that they only ever see committed data (WAL gives readers a snapshot).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot import clock

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]
RowType = TypeVar("RowType")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# The database holds residents' names and tips: readable and writable by the bot's own user
# only, whatever the process umask says.
PRIVATE_MODE = 0o600
# SQLite creates these beside the database and gives them the database file's mode.
_COMPANIONS = ("-wal", "-shm", "-journal")
# Which migrations a database has; laid out as the tables in storage/schema.sql are.
MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
)"""


def keyed_hash(key: bytes | None, value: Any) -> str | None:
    """HMAC-SHA256 of ``value`` in decimal or text form, as hex; registered in SQLite as
    ``hmac_sha256(key, value)`` so that a key kept in the database never has to leave it."""
    if key is None or value is None:
        return None
    return hmac.new(bytes(key), str(value).encode(), hashlib.sha256).hexdigest()


def utcnow() -> str:
    """Timestamps are stored as ISO 8601 UTC text, sortable and readable in any SQLite tool."""
    return clock.stamp()


class Executor:
    """Statement helpers shared by the reader and by an open transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # One call on the connection's thread: execute, fetch and close together. A cursor
        # left open across an await would hold a read snapshot, and a concurrent read on
        # the same connection would then miss writes committed in the meantime.
        return list(await self._conn.execute_fetchall(sql, params))

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


def from_row(cls: type[RowType], row: sqlite3.Row) -> RowType:
    """A dataclass filled from the columns of the same names. A column the dataclass does not
    name is ignored, so a column added to a table breaks no reader; a field the row lacks
    fails at once (IndexError) instead of shifting every value after it."""
    return cls(**{field.name: row[field.name] for field in dataclasses.fields(cls)})


class Database(Executor):
    """The bot's database. Reads go through ``self`` (committed data only); writes through
    ``async with db.transaction() as tx``."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        super().__init__(reader)
        self.path = path
        self._writer = writer
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _make_files_private(path)
        writer = await _connect(path)
        # WAL lets the reader connection see a consistent snapshot while a write is open.
        async with writer.execute("PRAGMA journal_mode = WAL") as cursor:
            await cursor.fetchall()
        reader = await _connect(path)
        db = cls(path, writer, reader)
        if migrate:
            await db.migrate()
        return db

    async def close(self) -> None:
        await self._reader_conn.close()
        await self._writer.close()

    @property
    def _reader_conn(self) -> aiosqlite.Connection:
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Executor]:
        """One atomic write: everything inside commits together or not at all."""
        async with self._write_lock:
            try:
                await self._writer.execute("BEGIN IMMEDIATE")
            except BaseException:
                # Cancelled while waiting, the BEGIN still runs on the connection's thread;
                # left open, every later BEGIN would fail. The ROLLBACK queues behind it.
                await self._rollback()
                raise
            try:
                yield Executor(self._writer)
            except BaseException:
                await self._rollback()
                raise
            else:
                await self._writer.execute("COMMIT")

    async def _rollback(self) -> None:
        try:
            await self._writer.execute("ROLLBACK")
        except sqlite3.OperationalError:
            # No transaction open: BEGIN itself failed (busy), or SQLite already rolled back.
            pass

    async def write(self, sql: str, params: Params = ()) -> int:
        """A single-statement write; returns the number of changed rows."""
        async with self.transaction() as tx:
            cursor = await tx.execute(sql, params)
            return cursor.rowcount

    async def migrate(self) -> list[str]:
        """Apply numbered migrations from ``storage/migrations`` that the database lacks."""
        await self._writer.execute(MIGRATIONS_TABLE)
        async with self._writer.execute("SELECT version FROM schema_migrations") as cursor:
            done = {row["version"] for row in await cursor.fetchall()}
        applied = []
        for version, name, sql in available_migrations():
            if version in done:
                continue
            async with self._write_lock:
                # executescript() would commit on its own; the script carries its own
                # BEGIN/COMMIT so that a failing migration leaves nothing behind.
                try:
                    await self._writer.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\n;"
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        f" VALUES ({version}, '{name}', '{utcnow()}');\nCOMMIT;"
                    )
                except Exception:
                    if self._writer.in_transaction:
                        await self._writer.execute("ROLLBACK")
                    raise
            log.info("applied migration %s", name)
            applied.append(name)
        return applied

    async def erase_traces(self) -> bool:
        """Make an erasure physical: copy the WAL into the database (whose freed space
        ``secure_delete`` has zeroed) and truncate the WAL to nothing, since its older frames
        still hold the erased rows. False when a reader kept SQLite from finishing; the next
        erasure or checkpoint then completes it."""
        # Under the write lock: no transaction of ours is open. A read in progress is waited
        # for (busy_timeout) before SQLite gives up.
        async with self._write_lock:
            async with self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                busy = (await cursor.fetchone())["busy"]
        if busy:
            log.warning("WAL not truncated after an erasure: a reader held it")
        return not busy

    async def backup(self, dest: str | Path) -> None:
        """Consistent online copy (SQLite's backup API), safe while the bot writes. The copy
        is as private as the database."""
        make_private(Path(dest))
        target = await aiosqlite.connect(str(dest))
        try:
            await self._reader_conn.backup(target)
        finally:
            await target.close()


def available_migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"two migrations share a number: {sorted(versions)}")
    return found


def make_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600, or set 0600 on the file that is there.

    ``fchmod`` after creating, because the mode given to ``open`` passes through the umask.
    An existing file is changed by name, never opened: closing any descriptor of a database
    file drops every SQLite lock this process holds on it (POSIX locks belong to the
    process), and another process could then delete the WAL under an open connection."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        os.chmod(path, PRIVATE_MODE)
        return
    try:
        os.fchmod(fd, PRIVATE_MODE)
    finally:
        os.close(fd)


def _make_files_private(path: Path) -> None:
    """The database, created private or made private, and what an earlier run (perhaps under
    a looser umask) left beside it."""
    make_private(path)
    for suffix in _COMPANIONS:
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            make_private(companion)


async def _connect(path: Path) -> aiosqlite.Connection:
    # isolation_level=None: no implicit transactions; Database.transaction() is explicit.
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute("PRAGMA busy_timeout = 5000")
    await conn.execute("PRAGMA foreign_keys = ON")
    await conn.execute("PRAGMA synchronous = NORMAL")
    # Deleted rows are overwritten with zeros on their pages, so that an erased name cannot
    # be read back from free space in the file (the WAL is dealt with by erase_traces).
    await conn.execute("PRAGMA secure_delete = ON")
    await conn.create_function("hmac_sha256", 2, keyed_hash, deterministic=True)
    return conn
