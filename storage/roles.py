"""SQL for granted roles (police officers and area contacts)."""

from __future__ import annotations

from storage.db import Executor


async def roles_of(db: Executor, user_id: int) -> list[tuple[str, int | None]]:
    rows = await db.fetchall("SELECT role, area_id FROM roles WHERE user_id = ?", (user_id,))
    return [(r["role"], r["area_id"]) for r in rows]


async def is_banned(db: Executor, user_id: int) -> bool:
    banned = await db.fetchval("SELECT banned_at FROM participants WHERE user_id = ?", (user_id,))
    return banned is not None
