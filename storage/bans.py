"""SQL for bans, kept under a keyed hash of the user id (see migration 0010).

The hash is computed inside SQLite by ``hmac_sha256`` (registered in storage/db.py) with the
key read from ``bot_secrets`` in the same statement: the key never passes through Python
objects that could end up in a log or a traceback."""

from __future__ import annotations

from typing import Any

from bot import clock
from storage.db import Executor

# The keyed hash of the user id bound to the next ``?``.
USER_HASH = "hmac_sha256((SELECT value FROM bot_secrets WHERE name = 'ban_key'), ?)"


def today() -> str:
    """A ban keeps the day it was made, not the time (less to know about anyone)."""
    return clock.now().date().isoformat()


async def ban(tx: Executor, user_id: int, reason: str | None) -> None:
    """Ban the user, registered or not; banning again replaces the reason and keeps the day.
    The participant's flag (read by the recipient filters) is set in the same transaction."""
    on = today()
    await tx.execute(
        f"INSERT INTO bans (user_hash, banned_on, reason) VALUES ({USER_HASH}, ?, ?)"
        " ON CONFLICT (user_hash) DO UPDATE SET reason = excluded.reason",
        (user_id, on, reason),
    )
    await tx.execute(
        "UPDATE participants SET banned_at = ? WHERE user_id = ? AND banned_at IS NULL",
        (on, user_id),
    )


async def unban(tx: Executor, user_id: int) -> bool:
    """False when the user was not banned."""
    cursor = await tx.execute(f"DELETE FROM bans WHERE user_hash = {USER_HASH}", (user_id,))
    await tx.execute("UPDATE participants SET banned_at = NULL WHERE user_id = ?", (user_id,))
    return cursor.rowcount > 0


async def is_banned(db: Executor, user_id: int) -> bool:
    found = await db.fetchval(f"SELECT 1 FROM bans WHERE user_hash = {USER_HASH}", (user_id,))
    return found is not None


async def ban_of(db: Executor, user_id: int) -> dict[str, Any] | None:
    """The ban as the user may see it: the day and the reason (no hash)."""
    row = await db.fetchone(
        f"SELECT banned_on, reason FROM bans WHERE user_hash = {USER_HASH}", (user_id,)
    )
    return dict(row) if row else None


async def forget(tx: Executor, user_id: int) -> None:
    """The ban stays through /forget, so that erasing oneself does not lift it; its reason
    goes, since it may name or describe the person."""
    await tx.execute(f"UPDATE bans SET reason = NULL WHERE user_hash = {USER_HASH}", (user_id,))
