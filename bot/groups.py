"""Linking an area's group chat, so that alerts and reminders for the area reach it too."""

from __future__ import annotations

from storage import audit
from storage import groups as group_rows
from storage.areas import Area
from storage.db import Database


async def link(db: Database, chat_id: int, title: str, area: Area, actor_id: int) -> None:
    async with db.transaction() as tx:
        await group_rows.link(tx, chat_id, area.id, title, actor_id)
        await audit.record(tx, actor_id, "linkgroup", target=f"{chat_id}:{area.code}")


async def unlink(db: Database, chat_id: int, actor_id: int) -> bool:
    async with db.transaction() as tx:
        removed = await group_rows.unlink(tx, chat_id)
        if removed:
            await audit.record(tx, actor_id, "unlinkgroup", target=str(chat_id))
    return removed


async def linked_area_id(db: Database, chat_id: int) -> int | None:
    return await group_rows.linked_area_id(db, chat_id)
