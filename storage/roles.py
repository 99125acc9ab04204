"""SQL for granted roles (police officers and area contacts)."""

from __future__ import annotations

from storage.db import Executor, utcnow


async def roles_of(db: Executor, user_id: int) -> list[tuple[str, int | None]]:
    rows = await db.fetchall("SELECT role, area_id FROM roles WHERE user_id = ?", (user_id,))
    return [(r["role"], r["area_id"]) for r in rows]


async def grant(
    tx: Executor, user_id: int, role: str, area_id: int | None, granted_by: int | None
) -> bool:
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO roles (user_id, role, area_id, granted_by, granted_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (user_id, role, area_id, granted_by, utcnow()),
    )
    return cursor.rowcount > 0


async def revoke_all(tx: Executor, user_id: int) -> int:
    cursor = await tx.execute("DELETE FROM roles WHERE user_id = ?", (user_id,))
    return cursor.rowcount


async def privileged_users(db: Executor) -> list[int]:
    rows = await db.fetchall("SELECT DISTINCT user_id FROM roles")
    return [r["user_id"] for r in rows]
