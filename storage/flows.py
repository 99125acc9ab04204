"""SQL for flows in progress (bot/persistence.py): one row per user and flow, while it lasts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Executor


@dataclass(frozen=True, slots=True)
class FlowRow:
    user_id: int
    name: str
    chat_id: int | None
    step: str | None  # JSON
    value: str  # JSON
    touched_at: str


def stamp(moment: datetime) -> str:
    """UTC with milliseconds: flows can time out after seconds in tests, and every row uses
    this one form, so that the text still sorts as time."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _flow(row) -> FlowRow:
    return FlowRow(
        row["user_id"], row["name"], row["chat_id"], row["step"], row["value"], row["touched_at"]
    )


async def all_flows(db: Executor) -> list[FlowRow]:
    rows = await db.fetchall(
        "SELECT user_id, name, chat_id, step, value, touched_at FROM flow_state"
    )
    return [_flow(r) for r in rows]


async def save(tx: Executor, rows: Iterable[FlowRow]) -> None:
    await tx.executemany(
        "INSERT INTO flow_state (user_id, name, chat_id, step, value, touched_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id, name) DO UPDATE SET chat_id = excluded.chat_id,"
        " step = excluded.step, value = excluded.value, touched_at = excluded.touched_at",
        [(r.user_id, r.name, r.chat_id, r.step, r.value, r.touched_at) for r in rows],
    )


async def delete(tx: Executor, keys: Iterable[tuple[int, str]]) -> None:
    """Delete the rows of these (user, name) pairs."""
    await tx.executemany("DELETE FROM flow_state WHERE user_id = ? AND name = ?", list(keys))


async def touch(tx: Executor, user_ids: Iterable[int], at: str) -> None:
    """The users were active: their flows' timeouts start again."""
    await tx.executemany(
        "UPDATE flow_state SET touched_at = ? WHERE user_id = ?", [(at, u) for u in user_ids]
    )


async def delete_idle(tx: Executor, name: str, before: str) -> list[tuple[int, int | None]]:
    """Delete ``name`` rows last touched before ``before``; returns their (user, chat)."""
    cursor = await tx.execute(
        "DELETE FROM flow_state WHERE name = ? AND touched_at < ? RETURNING user_id, chat_id",
        (name, before),
    )
    return [(row["user_id"], row["chat_id"]) for row in await cursor.fetchall()]
