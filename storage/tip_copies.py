"""SQL for the parts of a tip copy (card, photos, location): which went out, which Telegram
refused for good and why."""

from __future__ import annotations

from storage.db import Executor, utcnow

SENT = "sent"
REFUSED = "refused"


async def parts_done(db: Executor, copy_id: int) -> set[str]:
    """Parts that need no further try: sent, or refused for good."""
    rows = await db.fetchall("SELECT part FROM tip_copy_parts WHERE copy_id = ?", (copy_id,))
    return {r["part"] for r in rows}


async def record_part(
    tx: Executor, copy_id: int, part: str, status: str, reason: str | None = None
) -> None:
    await tx.execute(
        "INSERT OR REPLACE INTO tip_copy_parts (copy_id, part, status, reason, at)"
        " VALUES (?, ?, ?, ?, ?)",
        (copy_id, part, status, reason, utcnow()),
    )
