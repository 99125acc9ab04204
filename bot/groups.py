"""Group chats: linking an area's group, so that alerts and reminders for the area reach it
too; following a group that Telegram moved to a new id."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable

from bot.services import Services
from storage import areas as area_rows
from storage import audit
from storage import groups as group_rows
from storage.areas import Area
from storage.db import Database
from storage.groups import ChatMove

log = logging.getLogger(__name__)

COORDINATOR_CHAT_KEY = "[roles] coordinator_chat_id"

# Databases (one per start of the bot) whose log already says that the configured team chat
# moved: the operator is told once per start, not once per tip.
_told_about_config: weakref.WeakSet[Database] = weakref.WeakSet()


async def link(
    db: Database,
    chat_id: int,
    title: str,
    area: Area,
    actor_id: int,
    may_act_for: Callable[[int], bool],
) -> Area | None:
    """Link the group to ``area``; None when done. A group linked to another area moves only
    for someone who may act for that area too (else its alerts would silently stop reaching
    the group): otherwise nothing changes and that area is returned. The check and the move
    share one transaction, so two links at once cannot slip past it."""
    async with db.transaction() as tx:
        current = await group_rows.linked_area_id(tx, chat_id)
        if current is not None and current != area.id and not may_act_for(current):
            # The link's foreign key (ON DELETE CASCADE) keeps its area in existence.
            return (await area_rows.areas_by_ids(tx, [current]))[0]
        await group_rows.link(tx, chat_id, area.id, title, actor_id)
        await audit.record(tx, actor_id, "linkgroup", target=f"{chat_id}:{area.code}")
    return None


async def unlink(db: Database, chat_id: int, actor_id: int) -> bool:
    async with db.transaction() as tx:
        removed = await group_rows.unlink(tx, chat_id)
        if removed:
            await audit.record(tx, actor_id, "unlinkgroup", target=str(chat_id))
    return removed


async def linked_area_id(db: Database, chat_id: int) -> int | None:
    return await group_rows.linked_area_id(db, chat_id)


# ------------------------------------------------------------------ groups that move


async def move_chat(db: Database, old_chat_id: int, new_chat_id: int) -> ChatMove:
    """A basic group became a supergroup (Telegram gives it a new id; the old one is refused
    from then on): its links, pending and past deliveries and tip copies follow, in one
    transaction with the audit row. Reported by the outbox and by both service messages, so
    a move already known changes nothing and is not audited again."""
    async with db.transaction() as tx:
        moved = await group_rows.move_chat(tx, old_chat_id, new_chat_id)
        if moved.new:
            await audit.record(
                tx,
                None,
                "movegroup",
                target=f"{old_chat_id}:{new_chat_id}",
                detail=f"{moved.links} link(s), {moved.deliveries + moved.tip_copies} message(s)",
            )
    if moved.new:
        log.info(
            "a group became a supergroup: moved %d link(s), %d delivery row(s), %d tip copy row(s)",
            moved.links,
            moved.deliveries,
            moved.tip_copies,
        )
    return moved


async def move(services: Services, old_chat_id: int, new_chat_id: int) -> ChatMove:
    """:func:`move_chat`, and if the group is the team chat named in the configuration, a
    loud word to the operator: the file is theirs to change."""
    moved = await move_chat(services.db, old_chat_id, new_chat_id)
    if old_chat_id == services.settings.roles.coordinator_chat_id:
        _tell_operator(services.db)
    return moved


async def coordinator_chat_id(services: Services) -> int:
    """The coordinators' team chat (0 if none is configured), at its current id: the
    configured one, or where that group has moved since."""
    configured = services.settings.roles.coordinator_chat_id
    if not configured:
        return 0
    moved = await group_rows.moved_to(services.db, configured)
    if moved is None:
        return configured
    _tell_operator(services.db)
    return moved


def _tell_operator(db: Database) -> None:
    if db in _told_about_config:
        return
    _told_about_config.add(db)
    # No ids in the log: the new id is in the audit log (/audit, action movegroup).
    log.error(
        "%s names a group that became a supergroup and has a new id; tips and summaries go "
        "to the new id, but change %s in the config file to it (see /audit, movegroup)",
        COORDINATOR_CHAT_KEY,
        COORDINATOR_CHAT_KEY,
    )
