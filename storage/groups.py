"""SQL for group chats linked to areas."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Executor, utcnow


async def link(tx: Executor, chat_id: int, area_id: int, title: str, linked_by: int) -> None:
    """A group belongs to one area: linking it again moves it."""
    await tx.execute(
        """INSERT INTO group_links (chat_id, area_id, title, linked_by, linked_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (chat_id) DO UPDATE SET area_id = excluded.area_id,
               title = excluded.title, linked_by = excluded.linked_by,
               linked_at = excluded.linked_at, active = 1""",
        (chat_id, area_id, title, linked_by, utcnow()),
    )


async def unlink(tx: Executor, chat_id: int) -> bool:
    cursor = await tx.execute("DELETE FROM group_links WHERE chat_id = ?", (chat_id,))
    return cursor.rowcount > 0


async def linked_area_id(db: Executor, chat_id: int) -> int | None:
    return await db.fetchval("SELECT area_id FROM group_links WHERE chat_id = ?", (chat_id,))


# ------------------------------------------------------------------ groups that move


@dataclass(frozen=True, slots=True)
class ChatMove:
    """What moving a chat's references changed. ``new`` is False when the move was known
    already (the outbox and both service messages all report the same move)."""

    new: bool
    links: int
    deliveries: int
    tip_copies: int


async def move_chat(tx: Executor, old_chat_id: int, new_chat_id: int) -> ChatMove:
    """Point every stored reference to ``old_chat_id`` at ``new_chat_id``, and remember the
    move. Rows that exist for both ids already (a group linked again, an alert queued for
    the new id) keep the new one; the old duplicate is dropped while pending, so that nobody
    gets a message twice, and kept as history once finished."""
    known = await tx.fetchval(
        "SELECT new_chat_id FROM chat_moves WHERE old_chat_id = ?", (old_chat_id,)
    )
    await tx.execute(
        "INSERT OR REPLACE INTO chat_moves (old_chat_id, new_chat_id, moved_at) VALUES (?, ?, ?)",
        (old_chat_id, new_chat_id, utcnow()),
    )
    # A chain (a chat that moved twice) points straight at the newest id.
    await tx.execute(
        "UPDATE chat_moves SET new_chat_id = ? WHERE new_chat_id = ?", (new_chat_id, old_chat_id)
    )
    links = await tx.execute(
        "UPDATE OR IGNORE group_links SET chat_id = ? WHERE chat_id = ?",
        (new_chat_id, old_chat_id),
    )
    await tx.execute("DELETE FROM group_links WHERE chat_id = ?", (old_chat_id,))
    moved = {}
    for table in ("deliveries", "tip_copies", "notices"):
        cursor = await tx.execute(
            f"UPDATE OR IGNORE {table} SET chat_id = ? WHERE chat_id = ?",
            (new_chat_id, old_chat_id),
        )
        moved[table] = cursor.rowcount
        await tx.execute(
            f"DELETE FROM {table} WHERE chat_id = ? AND status = 'pending'", (old_chat_id,)
        )
    await tx.execute(
        "UPDATE alerts SET report_chat_id = ? WHERE report_chat_id = ?",
        (new_chat_id, old_chat_id),
    )
    return ChatMove(
        new=known != new_chat_id,
        links=links.rowcount,
        deliveries=moved["deliveries"],
        tip_copies=moved["tip_copies"],
    )


async def moved_to(db: Executor, chat_id: int) -> int | None:
    """The chat's id since it moved, or None if it never did."""
    return await db.fetchval("SELECT new_chat_id FROM chat_moves WHERE old_chat_id = ?", (chat_id,))
