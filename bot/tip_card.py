"""A tip as its handlers see it: the card's text, and the copy each handler gets (the card,
then the photos, then the location), with what has gone out of each part. The Telegram side
sends the parts (handlers/senders.py) and builds the card's status buttons
(handlers/keyboards.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot import dates
from bot.roles import not_banned
from bot.services import Services
from bot.texts import Safe, plain, t
from bot.tips import OCCURRED, category_name, status_name
from storage import tip_copies as copy_parts
from storage import tips as tip_rows
from storage.db import Executor
from storage.deliveries import Delivery
from storage.tips import Tip

log = logging.getLogger(__name__)

CARD = "card"  # the first part of a tip copy; the photos and the location follow it


def describe(lang: str, tip: Tip, *, tz, change: tip_rows.LastChange | None = None) -> str:
    """The tip as a coordinator reads it, with who last changed its status and when
    (``change``; staff only, never the reporter). Anonymous tips carry no identity at all."""
    if tip.contact == "anonymous":
        contact = t(lang, "tip_contact_shown_anonymous")
    elif tip.reporter_id is None:
        contact = t(lang, "tip_contact_shown_forgotten")
    elif tip.contact == "phone":
        contact = t(lang, "tip_contact_shown_phone", phone=tip.phone or "?", user=tip.reporter_id)
    else:
        contact = t(lang, "tip_contact_shown_telegram", user=tip.reporter_id)
    extras = []
    if tip.latitude is not None and tip.longitude is not None:
        extras.append(t(lang, "tip_location_shown", lat=tip.latitude, lon=tip.longitude))
    if tip.photos:
        extras.append(t(lang, "tip_photos_shown", count=len(tip.photos)))
    status = status_name(lang, tip.status)
    if change is not None and change.status == tip.status:
        status = Safe(
            t(
                lang,
                "tip_status_by",
                status=status,
                who=changer_name(lang, change),
                when=dates.moment(change.changed_at, lang, tz=tz),
            )
        )
    return t(
        lang,
        "tip_card",
        ref=tip.full_ref,  # so that staff can quote to the reporter what they were shown
        category=category_name(lang, tip.category),
        area=tip.area_name or plain(lang, "tip_no_area"),
        occurred=occurred_text(lang, tip.occurred, tip.occurred_at, tz=tz),
        created=dates.moment(tip.created_at, lang, tz=tz),
        status=status,
        description=tip.description,
        contact=Safe(contact),
        extras=Safe("".join("\n" + line for line in extras)),
    ).rstrip()


async def card_text(db: Executor, lang: str, tip: Tip, *, tz) -> str:
    """:func:`describe` with the tip's latest change read from the database."""
    return describe(lang, tip, tz=tz, change=await tip_rows.last_change(db, tip.id))


def changer_name(lang: str, change: tip_rows.LastChange) -> str:
    """Who changed a status, as staff see it: their first name, else their role."""
    if change.first_name:
        return change.first_name
    return plain(
        lang, "tip_changed_by_police" if "police" in change.roles else "tip_changed_by_staff"
    )


def occurred_text(
    lang: str, occurred: str | None, occurred_at: str | None = None, *, tz=None
) -> str:
    if occurred is None:
        return plain(lang, "tip_when_unknown")
    if occurred == "now" and occurred_at:
        # "Now" read days later means nothing: say when that was.
        moment = dates.moment(occurred_at, lang, tz=tz)
        return plain(lang, "tip_when_was_now").format(moment=moment)
    if occurred in OCCURRED:
        return plain(lang, f"tip_when_{occurred}")
    return dates.day(occurred, lang, tz=tz)  # a day the reporter picked, stored as a date


# ------------------------------------------------------------------ a handler's copy


@dataclass(frozen=True, slots=True)
class Card:
    """The tip's card, with status buttons for ``tip`` in ``lang``."""

    text: str
    tip: Tip
    lang: str
    name: str = CARD


@dataclass(frozen=True, slots=True)
class Photo:
    file_id: str
    caption: str
    name: str


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float
    name: str = "location"


Part = Card | Photo | Location


async def parts_to_send(services: Services, copy: Delivery) -> list[Part]:
    """What of one handler's copy of a new tip is still to go out, in order: the card, the
    photos, the location. Read at sending time, so a tip handled in the meantime shows its
    current status.

    Each part is noted once it went out (:func:`note_sent`), so a retry (after a 5xx on the
    photo, say) goes on with the next part instead of sending the card again. A photo or
    location that Telegram refuses for good (a group that allows text but no photos) is noted
    with the reason (:func:`note_refused`) and skipped; the card itself must go out
    (:func:`may_skip`), or the copy fails. Nothing goes out of a deleted tip or to a
    recipient banned since the copy was queued."""
    tip = await tip_rows.tip_by_id(services.db, copy.subject_id)
    if tip is None:
        log.info("tip %s was deleted before one of its copies went out", copy.subject_id)
        return []
    if copy.chat_id > 0 and not await not_banned(services, [copy.chat_id]):
        # Banned after the copy was queued (or while it waited for a retry): a ban outranks
        # the role the copy was meant for, so nothing goes out and the row says why.
        await note_refused(services, copy, CARD, "recipient banned")
        log.info("tip copy %d not sent: its recipient is banned", copy.id)
        return []
    done = await copy_parts.parts_done(services.db, copy.id)
    change = await tip_rows.last_change(services.db, tip.id)
    return [part for part in _parts(services, copy, tip, change) if part.name not in done]


def may_skip(part: Part) -> bool:
    """A refused photo or location leaves the copy useful; a copy without its card is none."""
    return part.name != CARD


def _parts(
    services: Services, copy: Delivery, tip: Tip, change: tip_rows.LastChange | None
) -> list[Part]:
    lang = copy.language
    tz = services.settings.municipality.tz
    card = t(lang, "tip_new_heading") + "\n" + describe(lang, tip, tz=tz, change=change)
    parts: list[Part] = [Card(card, tip, lang)]
    parts += [
        Photo(file_id, tip.full_ref, f"photo:{number}")
        for number, file_id in enumerate(tip.photos, start=1)
    ]
    if tip.latitude is not None and tip.longitude is not None:
        parts.append(Location(tip.latitude, tip.longitude))
    return parts


async def note_sent(services: Services, copy: Delivery, part: str) -> None:
    await _note_part(services, copy, part, copy_parts.SENT)


async def note_refused(services: Services, copy: Delivery, part: str, reason: str) -> None:
    await _note_part(services, copy, part, copy_parts.REFUSED, reason)


async def _note_part(
    services: Services, copy: Delivery, part: str, status: str, reason: str | None = None
) -> None:
    async with services.db.transaction() as tx:
        await copy_parts.record_part(tx, copy.id, part, status, reason)
