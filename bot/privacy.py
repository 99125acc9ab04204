"""The resident's data rights: see everything held about them, and delete it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot import clock, signup, tip_refs
from bot.roles import Access, Role
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


@dataclass(frozen=True, slots=True)
class Overview:
    """What a person would want to know first about the data held on them, in words: the
    export has everything, this is what someone who cannot read JSON is shown."""

    first_name: str
    language: str
    consent_at: str
    areas: list[str]
    # Each role with the area it is for (an area contact's), or None.
    roles: list[tuple[Role, str | None]]
    tips: list[str]


async def overview(db: Database, access: Access) -> Overview | None:
    """The overview for the holder of ``access``; None when nothing is held about them as a
    participant (the export still shows whatever else there is)."""
    person = await people.participant(db, access.user_id)
    if person is None:
        return None
    names = {area.id: area.name for area in await signup.all_areas(db)}
    roles: list[tuple[Role, str | None]] = []
    for role in (Role.COORDINATOR, Role.POLICE):
        if access.has(role):
            roles.append((role, None))
    if access.has(Role.CONTACT):
        roles += [(Role.CONTACT, names[a]) for a in sorted(access.contact_areas) if a in names]
    return Overview(
        first_name=person.first_name,
        language=person.language,
        consent_at=person.consent_at,
        areas=[area.name for area in await signup.areas_of(db, access.user_id)],
        roles=roles,
        tips=await tip_refs.references_of(db, access.user_id),
    )


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
