"""Signing up: consent, joining and leaving areas, language. Plain functions over storage,
callable from a test without any Telegram update."""

from __future__ import annotations

from dataclasses import dataclass

from bot import area_names, clock
from bot.area_codes import looks_like_postcode, normalise_postcode
from storage import areas as area_rows
from storage import events
from storage import participants as people
from storage.areas import Area
from storage.db import Database, Executor
from storage.participants import Participant

# Nothing longer can be an area code (max 32) or a postcode; refuse before touching SQL.
MAX_AREA_ARGUMENT = 40


@dataclass(frozen=True, slots=True)
class AreaLookup:
    """Result of resolving what someone typed for an area (/join, /leave, /members, ...)."""

    area: Area | None
    problem: str | None = None  # text key explaining why nothing was found
    postcode: str | None = None
    candidates: tuple[Area, ...] = ()  # several areas start that way
    nearest: Area | None = None  # nothing matched; this one looks most like it

    @property
    def values(self) -> dict[str, str]:
        """What the ``problem`` text names."""
        return {
            "postcode": self.postcode or "",
            "names": area_names.names(self.candidates),
            "area": self.nearest.name if self.nearest else "",
        }


async def find_area(db: Database, argument: str) -> AreaLookup:
    """An area by its code or name (any case, accents and spaces optional), the unambiguous
    start of either, or by a postcode such as "69231" or "692 31"."""
    argument = argument.strip()
    if not argument or len(argument) > MAX_AREA_ARGUMENT:
        return AreaLookup(None, "unknown_area")
    if looks_like_postcode(argument):
        postcode = normalise_postcode(argument)
        if postcode is None:
            return AreaLookup(None, "bad_postcode")
        area = await area_rows.area_by_postcode(db, postcode)
        return AreaLookup(area, None if area else "unknown_postcode", postcode)
    found = area_names.resolve(await area_rows.all_areas(db), argument)
    if found.area is not None:
        return AreaLookup(found.area)
    if found.candidates:
        return AreaLookup(None, "area_ambiguous", candidates=found.candidates)
    if found.nearest is not None:
        return AreaLookup(None, "unknown_area_nearest", nearest=found.nearest)
    return AreaLookup(None, "unknown_area")


async def postcode_area(db: Database, text: str) -> AreaLookup | None:
    """A message that is nothing but a postcode ("692 31", "69231"): the area that has it,
    or why none does. None when the text is not a postcode: other digits ("112", a phone
    number) are left to be read as free text."""
    text = text.strip()
    if len(text) > MAX_AREA_ARGUMENT or normalise_postcode(text) is None:
        return None
    return await find_area(db, text)


async def all_areas(db: Database) -> list[Area]:
    return await area_rows.all_areas(db)


async def participant(db: Database, user_id: int) -> Participant | None:
    return await people.participant(db, user_id)


@dataclass(frozen=True, slots=True)
class Consent:
    """What is stored when someone presses the consent button."""

    first_name: str
    language: str


async def record_consent(tx: Executor, user_id: int, consent: Consent) -> None:
    """Inside the caller's transaction, with whatever the same press decided."""
    day = clock.today()
    await people.upsert_consent(tx, user_id, consent.first_name, consent.language, day)
    await events.record(tx, "consent", day)


async def give_consent(db: Database, user_id: int, first_name: str, language: str) -> None:
    async with db.transaction() as tx:
        await record_consent(tx, user_id, Consent(first_name, language))


async def _add_membership(tx: Executor, user_id: int, area: Area) -> bool:
    day = clock.today()
    joined = await people.add_membership(tx, user_id, area.id, day)
    if joined:
        await events.record(tx, "join", day, [area.id])
    return joined


async def register(db: Database, user_id: int, consent: Consent, area: Area | None) -> bool:
    """Consent and, from a sign's deep link, the area's membership: one press, one
    transaction. True when the area was joined now."""
    async with db.transaction() as tx:
        await record_consent(tx, user_id, consent)
        if area is None:
            return False
        return await _add_membership(tx, user_id, area)


async def join(db: Database, user_id: int, area: Area) -> bool:
    """True when the resident was not yet a member."""
    async with db.transaction() as tx:
        return await _add_membership(tx, user_id, area)


async def leave(db: Database, user_id: int, area: Area) -> bool:
    async with db.transaction() as tx:
        left = await people.remove_membership(tx, user_id, area.id)
        if left:
            await events.record(tx, "leave", clock.today(), [area.id])
        return left


async def leave_all(db: Database, user_id: int) -> int:
    async with db.transaction() as tx:
        area_ids = await events.area_ids_of(tx, user_id)
        await events.record(tx, "leave", clock.today(), area_ids)
        return await people.remove_all_memberships(tx, user_id)


async def areas_of(db: Database, user_id: int) -> list[Area]:
    return await people.areas_of(db, user_id)


async def set_language(db: Database, user_id: int, language: str) -> bool:
    """Stores the language for a registered participant; False when there is none."""
    async with db.transaction() as tx:
        return await people.set_language(tx, user_id, language)


async def reactivate(db: Database, user_id: int) -> None:
    async with db.transaction() as tx:
        await people.mark_active(tx, user_id, True)
