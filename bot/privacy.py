"""The resident's data rights: see everything held about them, and delete it."""

from __future__ import annotations

import json

from bot import clock
from storage import audit, bans, events
from storage import participants as people
from storage import privacy as privacy_rows
from storage.db import Database, Executor


async def export(db: Database, user_id: int, municipality: str) -> bytes:
    """All data held about the user as a JSON document."""
    rows = await privacy_rows.rows_about(db, user_id)
    for flow in rows["in_progress"]:
        flow["draft"] = json.loads(flow["draft"])  # stored as JSON text; shown as it is
    document = {
        "controller": municipality,
        "telegram_user_id": user_id,
        "exported_at": clock.stamp(),
        **rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


async def is_banned(db: Database, user_id: int) -> bool:
    return await bans.is_banned(db, user_id)


async def erase_person(db: Database, user_id: int) -> None:
    """One transaction: either every trace goes, or nothing changes. Then the erased rows
    leave the disk too (the WAL still holds them until it is truncated). A ban stays, as a
    keyed hash without its reason: erasing oneself must not be a way to lift it."""
    async with db.transaction() as tx:
        await erase_within(tx, user_id)
        await audit.record(tx, None, "forget")
    await db.erase_traces()


async def erase_within(tx: Executor, user_id: int) -> None:
    """Every trace of the person, inside the caller's transaction (also used by retention).
    The statistics count them as having left their areas and the service."""
    if await people.participant(tx, user_id) is not None:
        day = clock.today()
        await events.record(tx, "leave", day, await events.area_ids_of(tx, user_id))
        await events.record(tx, "forget", day)
    await privacy_rows.erase(tx, user_id)
