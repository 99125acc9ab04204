"""SQL for group chats linked to areas."""

from __future__ import annotations

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
