"""SQL for single notices: one outbox row per message to one chat (see 0008_notices.sql)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Executor, utcnow


@dataclass(frozen=True, slots=True)
class NoticeRow:
    id: int
    chat_id: int
    text_key: str
    vals: str  # JSON
    purpose: str | None
    subject_id: int | None


async def insert(
    tx: Executor,
    *,
    chat_id: int,
    text_key: str,
    vals: str,
    about_id: int | None = None,
    purpose: str | None = None,
    subject_id: int | None = None,
    not_before: str | None = None,
) -> int:
    cursor = await tx.execute(
        "INSERT INTO notices (chat_id, text_key, vals, about_id, purpose, subject_id, created_at,"
        " not_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (chat_id, text_key, vals, about_id, purpose, subject_id, utcnow(), not_before),
    )
    return cursor.lastrowid


async def withdraw_held(tx: Executor, purpose: str, subject_id: int, now: str) -> int:
    """Delete the notices about ``subject_id`` still held back at ``now`` (not yet due, so
    not yet handed to the outbox); returns how many."""
    cursor = await tx.execute(
        "DELETE FROM notices WHERE purpose = ? AND subject_id = ? AND status = 'pending'"
        " AND not_before IS NOT NULL AND not_before > ?",
        (purpose, subject_id, now),
    )
    return cursor.rowcount


async def notice(db: Executor, notice_id: int) -> NoticeRow | None:
    row = await db.fetchone(
        "SELECT id, chat_id, text_key, vals, purpose, subject_id FROM notices WHERE id = ?",
        (notice_id,),
    )
    if row is None:
        return None
    return NoticeRow(
        row["id"], row["chat_id"], row["text_key"], row["vals"], row["purpose"], row["subject_id"]
    )


async def set_message_id(tx: Executor, notice_id: int, message_id: int) -> None:
    await tx.execute("UPDATE notices SET message_id = ? WHERE id = ?", (message_id, notice_id))


async def latest_key(db: Executor, purpose: str, subject_id: int) -> str | None:
    """The text of the newest notice about ``subject_id`` still on record (sent or queued)."""
    return await db.fetchval(
        "SELECT text_key FROM notices WHERE purpose = ? AND subject_id = ?"
        " ORDER BY id DESC LIMIT 1",
        (purpose, subject_id),
    )
