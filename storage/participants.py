"""SQL for participants (residents who gave consent) and their area memberships."""

from __future__ import annotations

from dataclasses import dataclass

from storage.areas import Area, areas_by_ids
from storage.bans import USER_HASH
from storage.db import Executor


@dataclass(frozen=True, slots=True)
class Participant:
    user_id: int
    first_name: str
    language: str
    consent_at: str
    active: bool
    banned: bool


def _participant(row) -> Participant:
    return Participant(
        row["user_id"],
        row["first_name"],
        row["language"],
        row["consent_at"],
        bool(row["active"]),
        row["banned_at"] is not None,
    )


async def participant(db: Executor, user_id: int) -> Participant | None:
    row = await db.fetchone("SELECT * FROM participants WHERE user_id = ?", (user_id,))
    return _participant(row) if row else None


async def upsert_consent(
    tx: Executor, user_id: int, first_name: str, language: str, day: str
) -> None:
    """Record consent on ``day`` (a date, never a time); a returning user who had blocked the
    bot becomes reachable again. The ban flag is copied from the bans table in the same
    statement: a ban made while the consent was on its way still keeps the new participant
    out of every recipient list."""
    await tx.execute(
        f"""INSERT INTO participants (user_id, first_name, language, consent_at, banned_at)
           VALUES (?, ?, ?, ?, (SELECT banned_on FROM bans WHERE user_hash = {USER_HASH}))
           ON CONFLICT (user_id) DO UPDATE SET first_name = excluded.first_name, active = 1""",
        (user_id, first_name, language, day, user_id),
    )


async def set_language(tx: Executor, user_id: int, language: str) -> bool:
    cursor = await tx.execute(
        "UPDATE participants SET language = ? WHERE user_id = ?", (language, user_id)
    )
    return cursor.rowcount > 0


async def mark_active(tx: Executor, user_id: int, active: bool) -> None:
    await tx.execute("UPDATE participants SET active = ? WHERE user_id = ?", (int(active), user_id))


async def add_membership(tx: Executor, user_id: int, area_id: int, day: str) -> bool:
    """Join on ``day`` (a date, never a time)."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO memberships (user_id, area_id, joined_at) VALUES (?, ?, ?)",
        (user_id, area_id, day),
    )
    return cursor.rowcount > 0


async def remove_membership(tx: Executor, user_id: int, area_id: int) -> bool:
    cursor = await tx.execute(
        "DELETE FROM memberships WHERE user_id = ? AND area_id = ?", (user_id, area_id)
    )
    return cursor.rowcount > 0


async def remove_all_memberships(tx: Executor, user_id: int) -> int:
    cursor = await tx.execute("DELETE FROM memberships WHERE user_id = ?", (user_id,))
    return cursor.rowcount


async def areas_of(db: Executor, user_id: int) -> list[Area]:
    rows = await db.fetchall(
        "SELECT area_id FROM memberships WHERE user_id = ? ORDER BY joined_at", (user_id,)
    )
    areas = await areas_by_ids(db, [r["area_id"] for r in rows])
    return sorted(areas, key=lambda a: a.name.casefold())


async def member_count(db: Executor, area_id: int) -> int:
    return await db.fetchval("SELECT count(*) FROM memberships WHERE area_id = ?", (area_id,))
