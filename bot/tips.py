"""Incident tips: who may report, what a tip is made of, the reference numbers, routing to
coordinators (and police), status changes and the retention job. Plain functions over
storage; the Telegram side lives in handlers/tip_flow.py and handlers/tip_admin.py."""

from __future__ import annotations

import functools
import hmac
import logging
import re
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot import clock, groups, notices, retry
from bot.guessing import GuessLimit
from bot.retry import Action
from bot.roles import not_banned
from bot.services import Services
from bot.stored import check_stored, of_type
from bot.texts import Safe, plain, t
from handlers.callbacks import TipStatus
from storage import areas as area_rows
from storage import audit
from storage import deliveries as outbox_rows
from storage import flows as flow_rows
from storage import participants as people
from storage import tip_copies as copy_parts
from storage import tips as tip_rows
from storage.areas import Area
from storage.db import Database
from storage.deliveries import TIP, Delivery
from storage.participants import Participant
from storage.tips import NewTip, Tip

log = logging.getLogger(__name__)

FLOW = "tip"  # the guided flow's name, under which its draft is kept

CATEGORIES = (
    "drugs",
    "burglary",
    "theft",
    "traffic",
    "vandalism",
    "suspicious",
    "unsafe_place",
    "other",
)
STATUSES = ("new", "reviewed", "forwarded", "closed", "false_alarm")
OPEN_STATUSES = ("new", "reviewed")
CONTACTS = ("anonymous", "telegram", "phone")
OCCURRED = ("now", "today", "yesterday")

MAX_DESCRIPTION = 2000  # characters; stated in the prompt and in the refusal
MAX_NOTE = 500
# About 100 m: three decimals of latitude are 111 m, of longitude ~55 m at 60° N. Enough to
# find the street corner, not enough to pin one house.
LOCATION_DECIMALS = 3
OLDEST_DATE = timedelta(days=365)  # an "earlier date" further back is surely a typo
# Full reference: T-2026-000042-K7QF. The check part's alphabet leaves out characters that
# look alike (0/O/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B); migration 0012 uses the same alphabet.
CHECK_ALPHABET = "ACEFHJKMNPQRTUVWXY3479"
CHECK_LENGTH = 4
MAX_REF_TYPED = 40  # anything longer is not a reference, however it is spaced
_REF = re.compile(r"^T-?(\d{4})-?(\d{1,6})(?:-?([A-Z0-9]{4}))?$")
_REF_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")
_PHONE = re.compile(r"^\+?[\d\s\-()]{6,20}$")
_ANONYMOUS_WORDS = ("anonym", "anonymt", "anonymous", "anon")


# One-line form: the category may be given as its code or its Swedish or English name (or
# a common short form). Longest names first so that "misstänkt aktivitet" wins over
# "misstänkt".
_ALIASES: dict[str, str] = {
    "narkotika": "drugs",
    "droger": "drugs",
    "knark": "drugs",
    "inbrott": "burglary",
    "stöld": "theft",
    "stold": "theft",
    "rattfylleri/drograttfylleri": "traffic",
    "rattfylleri": "traffic",
    "drograttfylleri": "traffic",
    "rattfylla": "traffic",
    "drink or drug driving": "traffic",
    "drunk driving": "traffic",
    "skadegörelse": "vandalism",
    "skadegorelse": "vandalism",
    "klotter": "vandalism",
    "misstänkt aktivitet": "suspicious",
    "misstänkt": "suspicious",
    "suspicious activity": "suspicious",
    "otrygg plats": "unsafe_place",
    "otrygg": "unsafe_place",
    "unsafe place": "unsafe_place",
    "unsafe": "unsafe_place",
    "övrigt": "other",
    "ovrigt": "other",
    "annat": "other",
    **{code: code for code in CATEGORIES},
    "unsafe-place": "unsafe_place",
}
_ALIAS_ORDER = sorted(_ALIASES, key=len, reverse=True)


@dataclass(slots=True)
class Draft:
    """A tip being put together in the guided flow. Kept until Send or Cancel, in memory and
    (see bot/persistence.py) in the database, so that a restart does not lose it."""

    # Raise when a field's meaning or the flow's steps change: older stored drafts are then
    # dropped instead of being misread.
    STORED_VERSION: ClassVar[int] = 1

    category: str | None = None
    area: Area | None = None
    occurred: str | None = None
    description: str = ""
    photo: tuple[str, str] | None = None  # (file_id, file_unique_id); one photo per tip
    location: tuple[float, float] | None = None  # already rounded
    contact: str | None = None
    phone: str | None = None
    areas: list[Area] = field(default_factory=list)  # the reporter's areas, to choose from
    steps: list[int] = field(default_factory=list)  # the steps shown so far, for "back"

    def to_stored(self) -> dict[str, Any]:
        """Plain JSON values; areas by id, so that a renamed area shows its new name."""
        return {
            "version": self.STORED_VERSION,
            "category": self.category,
            "area": self.area.id if self.area else None,
            "occurred": self.occurred,
            "description": self.description,
            "photo": list(self.photo) if self.photo else None,
            "location": list(self.location) if self.location else None,
            "contact": self.contact,
            "phone": self.phone,
            "areas": [a.id for a in self.areas],
            "steps": list(self.steps),
        }

    @classmethod
    def from_stored(cls, values: dict[str, Any], areas: Mapping[int, Area]) -> Draft:
        """The draft :meth:`to_stored` wrote; ValueError if these values are not one. An
        area deleted in the meantime is left out (a tip without area is still a tip)."""
        check_stored(values, cls.STORED_VERSION, cls().to_stored())
        photo, location = values["photo"], values["location"]
        return cls(
            category=of_type(values["category"], str, optional=True),
            area=areas.get(values["area"]) if values["area"] is not None else None,
            occurred=of_type(values["occurred"], str, optional=True),
            description=of_type(values["description"], str),
            photo=(of_type(photo[0], str), of_type(photo[1], str)) if photo else None,
            location=(float(location[0]), float(location[1])) if location else None,
            contact=of_type(values["contact"], str, optional=True),
            phone=of_type(values["phone"], str, optional=True),
            areas=[areas[i] for i in values["areas"] if i in areas],
            steps=[of_type(step, int) for step in values["steps"]],
        )


@dataclass(frozen=True, slots=True)
class OneLine:
    """``/tip [anonym] CATEGORY TEXT`` taken apart."""

    category: str | None
    text: str
    anonymous: bool
    area_code: str | None = None


def parse_one_line(argument: str) -> OneLine:
    """Split what follows ``/tip`` into category and text. An unknown category gives
    category None and the unparsed text (the caller explains the categories)."""
    rest = argument.strip()
    anonymous = False
    first, _, remainder = rest.partition(" ")
    if first.casefold() in _ANONYMOUS_WORDS:
        anonymous, rest = True, remainder.strip()
    folded = rest.casefold()
    for alias in _ALIAS_ORDER:
        if folded.startswith(alias) and (len(folded) == len(alias) or folded[len(alias)].isspace()):
            return OneLine(_ALIASES[alias], rest[len(alias) :].strip(), anonymous)
    return OneLine(None, rest, anonymous)


def category_name(lang: str, code: str) -> str:
    return plain(lang, f"tip_category_{code}")


def status_name(lang: str, status: str) -> str:
    return plain(lang, f"tip_status_{status}")


@dataclass(frozen=True, slots=True)
class TypedRef:
    """A tip reference as someone typed it: year and number, and the check part if given."""

    year: int
    seq: int
    check: str | None

    @property
    def short(self) -> str:
        return tip_rows.format_ref(self.year, self.seq)


def parse_ref(text: str) -> TypedRef | None:
    """Read a reference the way a person types it: any case, spaces or dashes (also the long
    ones a phone puts in) between the parts or none at all, the number with or without its
    leading zeros. ``t-2026-42``, ``T 2026 000042 k7qf`` and ``T2026000042K7QF`` all parse.
    The check part is upper-cased but not otherwise checked here: a wrong one must fail at
    the comparison, like any other wrong check part."""
    if len(text) > MAX_REF_TYPED:
        return None
    folded = _REF_SEPARATORS.sub("-", text.strip().upper())
    match = _REF.match(folded)
    if not match:
        return None
    year, seq, check = match.groups()
    if int(seq) == 0:
        return None
    return TypedRef(int(year), int(seq), check)


def new_check() -> str:
    """The random check part of a new reference."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def check_matches(tip: Tip, typed: str) -> bool:
    """Constant-time comparison, so that the answer's timing tells nothing about how many
    characters were right. A tip stored without a check part matches nothing."""
    return bool(tip.check) and hmac.compare_digest(tip.check.encode(), typed.encode())


def description_problem(text: str) -> tuple[str, dict] | None:
    """A text key (and values) saying why the description cannot be used, or None."""
    if not text.strip():
        return "tip_empty", {}
    if len(text.strip()) > MAX_DESCRIPTION:
        return "tip_too_long", {"limit": MAX_DESCRIPTION, "length": len(text.strip())}
    return None


def round_location(latitude: float, longitude: float) -> tuple[float, float]:
    return round(latitude, LOCATION_DECIMALS), round(longitude, LOCATION_DECIMALS)


def normalise_phone(text: str) -> str | None:
    text = text.strip()
    return re.sub(r"[\s\-()]", "", text) if _PHONE.match(text) else None


def parse_date(text: str, today: date) -> date | None:
    """A date the reporter typed (YYYY-MM-DD), not in the future and not absurdly old."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    if day > today or day < today - OLDEST_DATE:
        return None
    return day


def local_today(services: Services) -> date:
    return clock.local_date()


# ------------------------------------------------------------------ who may report


class HourlyLimit:
    """At most ``per_hour`` tips per resident in any rolling hour.

    Counted in memory on purpose: a counter in the database would have to say whose tips
    these were, and would link an anonymous tip to its sender. Here the only trace is a few
    timestamps per user id, forgotten after an hour (or at a restart)."""

    def __init__(self, per_hour: int) -> None:
        self.per_hour = per_hour
        self._sent: dict[int, deque[float]] = defaultdict(deque)

    def _recent(self, user_id: int, now: float) -> deque[float]:
        sent = self._sent[user_id]
        while sent and now - sent[0] >= 3600:
            sent.popleft()
        if not sent:
            del self._sent[user_id]
            return deque()
        return sent

    def wait_seconds(self, user_id: int) -> float:
        """0 if the resident may send a tip now, else seconds until they may."""
        now = time.monotonic()
        sent = self._recent(user_id, now)
        if len(sent) < self.per_hour:
            return 0.0
        return 3600 - (now - sent[0])

    def note(self, user_id: int) -> None:
        self._sent[user_id].append(time.monotonic())


@dataclass(frozen=True, slots=True)
class Refusal:
    key: str
    values: dict


async def may_report(
    services: Services, limit: HourlyLimit, user_id: int, person: Participant | None
) -> Refusal | None:
    """Tips need a registered resident who is not banned and is within the hourly limit.
    ``person`` is the user's participant record as the handler has just read it."""
    if person is None:
        return Refusal("tip_not_registered", {})
    if person.banned:
        return Refusal("tip_banned", {})
    wait = limit.wait_seconds(user_id)
    if wait > 0:
        again = clock.now().astimezone(services.settings.municipality.tz) + timedelta(
            seconds=wait + 59
        )
        return Refusal(
            "tip_rate_limited",
            {"limit": services.settings.tips.max_per_hour, "time": again.strftime("%H:%M")},
        )
    return None


async def areas_of(db: Database, user_id: int) -> list[Area]:
    return await people.areas_of(db, user_id)


async def area_for_one_line(
    db: Database, user_id: int, text: str
) -> tuple[Area | None, str, list[Area]]:
    """The area of a one-line tip: the reporter's only area; with several, an area code as
    the first word of the text chooses one (``/tip inbrott norr …``), otherwise none is set
    and the coordinator sees "area not given". Returns (area, text, reporter's areas)."""
    mine = await people.areas_of(db, user_id)
    if len(mine) == 1:
        return mine[0], text, mine
    first, _, rest = text.partition(" ")
    if mine and rest.strip():
        for area in mine:
            if area.code == first.casefold():
                return area, rest.strip(), mine
    return None, text, mine


# ------------------------------------------------------------------ submitting


async def submit(services: Services, limit: HourlyLimit, draft: Draft, reporter_id: int) -> Tip:
    """Store the tip with its reference, attachments, first history row and one outbox row
    per handler, in one transaction, then wake the outbox. For an anonymous tip nothing about
    the reporter is written anywhere."""
    anonymous = draft.contact == "anonymous"
    latitude, longitude = draft.location if draft.location else (None, None)
    new = NewTip(
        category=draft.category or "other",
        area_id=draft.area.id if draft.area else None,
        occurred=draft.occurred,
        description=draft.description.strip(),
        reporter_id=None if anonymous else reporter_id,
        contact=draft.contact or "anonymous",
        phone=draft.phone if draft.contact == "phone" else None,
        latitude=latitude,
        longitude=longitude,
        photos=(draft.photo,) if draft.photo else (),
        area_code=draft.area.code if draft.area else None,
        area_name=draft.area.name if draft.area else None,
    )
    settings = services.settings
    year = clock.local_date().year
    handlers = await recipients(services)
    async with services.db.transaction() as tx:
        tip = await tip_rows.insert_tip(tx, new, year, new_check())
        await outbox_rows.enqueue_tip_copies(tx, tip.id, handlers, settings.municipality.language)
        # The kept draft goes with the decision: the same Send handled again after a crash
        # finds no draft instead of storing the tip twice.
        await flow_rows.delete(tx, [(reporter_id, FLOW)])
    limit.note(reporter_id)
    # The short form: whoever reads the log must not be able to look the tip up.
    log.info("tip %s (%s) received", tip.ref, new.category)
    if services.outbox is not None:
        services.outbox.wake(TIP)
    return tip


async def find_for_resident(db: Database, ref_text: str) -> Tip | None:
    """The tip a resident names by its full reference (check part included); None for an
    unknown number, the short form and a wrong check part alike, so that the answer cannot
    tell which of the three it was."""
    typed = parse_ref(ref_text)
    if typed is None or typed.check is None:
        return None
    tip = await tip_rows.tip_by_ref(db, typed.short)
    return tip if tip is not None and check_matches(tip, typed.check) else None


async def find_for_staff(db: Database, ref_text: str) -> Tip | None:
    """The tip a coordinator or officer names: the short form is enough; a check part, if
    typed, must be the right one (a mistyped reference must not change another tip)."""
    typed = parse_ref(ref_text)
    if typed is None:
        return None
    tip = await tip_rows.tip_by_ref(db, typed.short)
    if tip is None or (typed.check is not None and not check_matches(tip, typed.check)):
        return None
    return tip


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """What /tipstatus may tell: the tip, or nothing, or (``wait_minutes`` > 0) that the
    asker has guessed too often and nothing was looked up."""

    tip: Tip | None
    wait_minutes: int = 0


async def status_for(
    services: Services, guesses: GuessLimit, user_id: int, ref_text: str
) -> StatusAnswer:
    """/tipstatus: the tip by its full reference, within the asker's allowance of misses.
    The moment someone uses up their misses is written to the audit log (once per lock-out,
    not for every refused try, so a guesser cannot fill the log through this)."""
    if guesses.wait_seconds(user_id) > 0:
        return StatusAnswer(None, guesses.wait_minutes(user_id))
    tip = await find_for_resident(services.db, ref_text)
    if tip is None and guesses.miss(user_id):
        async with services.db.transaction() as tx:
            await audit.record(tx, user_id, "tipstatus", outcome="refused", detail="too_many_tries")
        log.info("tipstatus: a user used up their misses and is paused")
    return StatusAnswer(tip)


# ------------------------------------------------------------------ routing


async def recipients(services: Services) -> list[int]:
    """Every coordinator, the coordinators' team chat, and officers when configured; nobody
    who is banned."""
    roles = services.settings.roles
    chats: list[int] = await not_banned(services, list(roles.coordinators))
    team_chat = await groups.coordinator_chat_id(services)
    if team_chat:
        chats.append(team_chat)
    if services.settings.tips.notify_police:
        officers = [*roles.police, *await tip_rows.police_officer_ids(services.db)]
        chats.extend(await not_banned(services, officers))
    return list(dict.fromkeys(chats))


def status_buttons(lang: str, tip: Tip) -> InlineKeyboardMarkup:
    """Callback data handlers.callbacks.TipStatus (at most 28 bytes, well under Telegram's
    64)."""
    buttons = [
        InlineKeyboardButton(
            ("✅ " if status == tip.status else "") + status_name(lang, status),
            callback_data=TipStatus(tip.id, status).pack(),
        )
        for status in STATUSES
        if status != "new"
    ]
    return InlineKeyboardMarkup([buttons[0:2], buttons[2:4]])


def describe(lang: str, tip: Tip, *, tz) -> str:
    """The tip as a coordinator reads it. Anonymous tips carry no identity at all."""
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
    created = clock.parse_stamp(tip.created_at)
    return t(
        lang,
        "tip_card",
        ref=tip.full_ref,  # so that staff can quote to the reporter what they were shown
        category=category_name(lang, tip.category),
        area=tip.area_name or plain(lang, "tip_no_area"),
        occurred=occurred_text(lang, tip.occurred),
        created=created.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        status=status_name(lang, tip.status),
        description=tip.description,
        contact=Safe(contact),
        extras=Safe("".join("\n" + line for line in extras)),
    ).rstrip()


def occurred_text(lang: str, occurred: str | None) -> str:
    if occurred is None:
        return plain(lang, "tip_when_unknown")
    if occurred in OCCURRED:
        return plain(lang, f"tip_when_{occurred}")
    return occurred


CARD = "card"  # the first part of a tip copy; the photos and the location follow it
SendPart = Callable[[], Awaitable[object]]


async def send_copy(services: Services, bot: Bot, copy: Delivery) -> None:
    """One handler's copy of a new tip, sent by the outbox: the card with its status buttons,
    then the photos and the location. Read at sending time, so a tip handled in the meantime
    shows its current status.

    Each part is noted once it went out, so a retry (after a 5xx on the photo, say) goes on
    with the next part instead of sending the card again. A photo or location that Telegram
    refuses with a 400 (a group that allows text but no photos) is noted with the reason and
    skipped: no retry can change that answer. The card itself must go out, or the copy fails."""
    tip = await tip_rows.tip_by_id(services.db, copy.subject_id)
    if tip is None:
        log.info("tip %s was deleted before one of its copies went out", copy.subject_id)
        return
    if copy.chat_id > 0 and not await not_banned(services, [copy.chat_id]):
        # Banned after the copy was queued (or while it waited for a retry): a ban outranks
        # the role the copy was meant for, so nothing goes out and the row says why.
        await _note_part(services, copy, CARD, copy_parts.REFUSED, "recipient banned")
        log.info("tip copy %d not sent: its recipient is banned", copy.id)
        return
    done = await copy_parts.parts_done(services.db, copy.id)
    for part, send in _copy_parts(services, bot, copy, tip):
        if part in done:
            continue
        try:
            await send()
        except BadRequest as exc:
            # The card must go out, and a chat that is gone is the outbox's to record.
            if part == CARD or retry.decide(exc, copy.attempts + 1).action is not Action.GIVE_UP:
                raise
            await _note_part(services, copy, part, copy_parts.REFUSED, exc.message)
            log.warning("tip copy %d: %s not sent: %s", copy.id, part, exc.message)
            continue
        await _note_part(services, copy, part, copy_parts.SENT)


def _copy_parts(
    services: Services, bot: Bot, copy: Delivery, tip: Tip
) -> list[tuple[str, SendPart]]:
    """(part name, how to send it), in the order they go out: card, photos, location."""
    chat, lang = copy.chat_id, copy.language
    tz = services.settings.municipality.tz
    card = t(lang, "tip_new_heading") + "\n" + describe(lang, tip, tz=tz)
    buttons = status_buttons(lang, tip)
    parts = [(CARD, functools.partial(bot.send_message, chat, card, reply_markup=buttons))]
    parts += [
        (f"photo:{number}", functools.partial(bot.send_photo, chat, file_id, caption=tip.full_ref))
        for number, file_id in enumerate(tip.photos, start=1)
    ]
    if tip.latitude is not None and tip.longitude is not None:
        location = functools.partial(bot.send_location, chat, tip.latitude, tip.longitude)
        parts.append(("location", location))
    return parts


async def _note_part(
    services: Services, copy: Delivery, part: str, status: str, reason: str | None = None
) -> None:
    async with services.db.transaction() as tx:
        await copy_parts.record_part(tx, copy.id, part, status, reason)


# ------------------------------------------------------------------ handling


@dataclass(frozen=True, slots=True)
class Change:
    tip: Tip  # after the change
    previous: str


async def change_status(
    services: Services, tip_id: int, status: str, note: str | None, actor_id: int
) -> Change | None:
    """Set the status, keep the change as history (who, when, note), audit it and, for a
    reporter who chose to be reachable, queue their notice: one transaction, so that a
    recorded change is always told and a told change always recorded. A false alarm stays
    in the database and counts in the statistics as such. An anonymous reporter is never
    told (nothing links the tip to them)."""
    if status not in STATUSES:
        raise ValueError(status)
    note = (note or "").strip()[:MAX_NOTE] or None
    told = False
    async with services.db.transaction() as tx:
        before = await tip_rows.tip_by_id(tx, tip_id)
        if before is None:
            return None
        if before.status == status and note is None:
            return Change(before, before.status)  # a second press on the same button
        await tip_rows.set_status(tx, tip_id, status, note, actor_id)
        await audit.record(tx, actor_id, "tipset", target=before.ref, detail=status)
        after = await tip_rows.tip_by_id(tx, tip_id)
        assert after is not None
        if reachable(after) and status != before.status:
            await notices.queue(tx, status_notice(after))
            told = True
    if told:
        notices.wake(services)
    return Change(after, before.status)


def reachable(tip: Tip) -> bool:
    """A reporter who gave their name and is still known (not anonymous, not forgotten)."""
    return tip.reporter_id is not None and tip.contact != "anonymous"


def status_notice(tip: Tip) -> notices.Notice:
    assert tip.reporter_id is not None
    return notices.Notice(
        tip.reporter_id,
        "tip_status_changed",
        {"ref": tip.full_ref, "status": notices.Term(f"tip_status_{tip.status}")},
        purpose=notices.TIP_STATUS,
        subject_id=tip.id,
    )


async def list_for_handlers(
    db: Database, scope: str, area_code: str | None, limit: int
) -> tuple[list[Tip], int, Area | None] | None:
    """``/tips [open|all] [AREA]``; None when the area code is unknown."""
    area = None
    if area_code:
        area = await area_rows.area_by_code(db, area_code.lower())
        if area is None:
            return None
    found, total = await tip_rows.list_tips(
        db, open_only=scope != "all", area_id=area.id if area else None, limit=limit
    )
    return found, total, area


async def references_of(db: Database, user_id: int) -> list[str]:
    """The references of the resident's own named tips (anonymous ones link to nobody)."""
    return await tip_rows.refs_of_reporter(db, user_id)
