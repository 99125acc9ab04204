"""SQL for sign-up events: counts for statistics, with no reference to any person."""

from __future__ import annotations

from storage.db import Executor


async def record(tx: Executor, event: str, day: str, area_ids: list[int] | None = None) -> None:
    """One row per area for join/leave; a single row without area for consent/forget. Only
    the date (``day``) is kept: with the area and a time to the second, an event could name
    the one person who signed up then."""
    targets = [None] if area_ids is None else area_ids
    await tx.executemany(
        "INSERT INTO signup_events (at, event, area_id) VALUES (?, ?, ?)",
        [(day, event, area_id) for area_id in targets],
    )


async def area_ids_of(tx: Executor, user_id: int) -> list[int]:
    rows = await tx.fetchall("SELECT area_id FROM memberships WHERE user_id = ?", (user_id,))
    return [r["area_id"] for r in rows]
