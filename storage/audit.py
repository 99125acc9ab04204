"""SQL for the audit log of privileged actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.db import Executor, from_row, utcnow


async def record(
    tx: Executor,
    actor_id: int | None,
    action: str,
    *,
    target: str | None = None,
    outcome: str = "ok",
    detail: str | None = None,
) -> None:
    """One row per action. A refusal is the exception: the first of a user's refusals of an
    action in a clock hour gets a row, the rest of that hour count up on it (its target and
    detail stay those of the first), so that repeated presses cannot flood the log."""
    now = utcnow()
    if outcome == "refused":
        hour = now[:13] + ":00:00Z"
        cursor = await tx.execute(
            """UPDATE audit_log SET times = times + 1
               WHERE id = (SELECT id FROM audit_log
                           WHERE outcome = 'refused' AND actor_id IS ? AND action = ?
                             AND at >= ?
                           ORDER BY id DESC LIMIT 1)""",
            (actor_id, action, hour),
        )
        if cursor.rowcount:
            return
    await tx.execute(
        "INSERT INTO audit_log (at, actor_id, action, target, outcome, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (now, actor_id, action, target, outcome, detail),
    )


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    at: str
    actor_id: int | None
    action: str
    target: str | None
    outcome: str
    detail: str | None
    times: int


_ENTRY = "SELECT id, at, actor_id, action, target, outcome, detail, times FROM audit_log"


async def older(db: Executor, before: int | None, floor: int, limit: int) -> list[Entry]:
    """Up to ``limit`` entries with ids in (floor, before), newest first (``before`` None:
    from the newest)."""
    rows = await db.fetchall(
        f"{_ENTRY} WHERE id > ? AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
        (floor, before, before, limit),
    )
    return [from_row(Entry, r) for r in rows]


async def newer(db: Executor, after: int, limit: int) -> list[Entry]:
    """Up to ``limit`` entries right after ``after``, oldest first."""
    rows = await db.fetchall(f"{_ENTRY} WHERE id > ? ORDER BY id LIMIT ?", (after, limit))
    return [from_row(Entry, r) for r in rows]


async def count_above(db: Executor, after: int) -> int:
    return await db.fetchval("SELECT count(*) FROM audit_log WHERE id > ?", (after,))


async def count_between(db: Executor, above: int, below: int) -> int:
    return await db.fetchval(
        "SELECT count(*) FROM audit_log WHERE id > ? AND id < ?", (above, below)
    )


async def floor_of_latest(db: Executor, count: int) -> int:
    """The id just below the newest ``count`` entries (0 when there are no more)."""
    value = await db.fetchval(
        "SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?", (count,)
    )
    return value or 0


# A row is about a person when its target is their user id (a revoke, a ban) or their private
# chat, which has the same id (a refusal there).
def _target_of(user_id: int) -> str:
    return str(user_id)


async def about(db: Executor, user_id: int) -> list[dict[str, Any]]:
    """What others did to the user, or were refused, with the user as the target. Who did it
    is not shown: that is the coordinator's data, not the user's."""
    rows = await db.fetchall(
        "SELECT at, action, outcome, detail FROM audit_log"
        " WHERE target = ? AND actor_id IS NOT ? ORDER BY id",
        (_target_of(user_id), user_id),
    )
    return [dict(row) for row in rows]


async def forget(tx: Executor, user_id: int) -> None:
    """Take the user out of the log: the entries stay, as a record of what the coordinators
    did, but no longer say whom it was done to or by. A detail of an entry about the user (a
    ban's reason) is about the user too."""
    await tx.execute(
        "UPDATE audit_log SET target = NULL, detail = NULL WHERE target = ?",
        (_target_of(user_id),),
    )
    await tx.execute("UPDATE audit_log SET actor_id = NULL WHERE actor_id = ?", (user_id,))
