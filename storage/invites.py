"""SQL for invite codes (stored only as hashes)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Executor, from_row, utcnow


@dataclass(frozen=True, slots=True)
class Invite:
    id: int
    role: str
    area_id: int | None
    expires_at: str
    used_at: str | None
    created_by: int | None = None


async def insert(
    tx: Executor,
    code_hash: str,
    role: str,
    area_id: int | None,
    created_by: int,
    expires_at: str,
) -> int:
    cursor = await tx.execute(
        "INSERT INTO invites (code_hash, role, area_id, created_by, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (code_hash, role, area_id, created_by, utcnow(), expires_at),
    )
    return cursor.lastrowid


async def by_hash(db: Executor, code_hash: str) -> Invite | None:
    row = await db.fetchone(
        "SELECT id, role, area_id, expires_at, used_at, created_by FROM invites"
        " WHERE code_hash = ?",
        (code_hash,),
    )
    return from_row(Invite, row) if row else None


async def mark_used(tx: Executor, invite_id: int) -> bool:
    """Single use: only the first of two simultaneous redeems succeeds."""
    cursor = await tx.execute(
        "UPDATE invites SET used_at = ? WHERE id = ? AND used_at IS NULL", (utcnow(), invite_id)
    )
    return cursor.rowcount > 0
