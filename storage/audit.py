"""SQL for the audit log of privileged actions."""

from __future__ import annotations

from typing import Any

from storage.db import Executor, utcnow


async def record(
    tx: Executor,
    actor_id: int | None,
    action: str,
    *,
    target: str | None = None,
    outcome: str = "ok",
    detail: str | None = None,
) -> None:
    await tx.execute(
        "INSERT INTO audit_log (at, actor_id, action, target, outcome, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (utcnow(), actor_id, action, target, outcome, detail),
    )


async def latest(db: Executor, limit: int) -> list[tuple]:
    rows = await db.fetchall(
        "SELECT at, actor_id, action, target, outcome, detail FROM audit_log"
        " ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [tuple(r) for r in rows]


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
