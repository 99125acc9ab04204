"""SQL for the audit log of privileged actions."""

from __future__ import annotations

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
