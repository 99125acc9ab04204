"""Incident tips: what a tip is made of, who may report, submitting one and routing it to
coordinators (and police). Plain functions over storage; the Telegram side lives in
handlers/tip_flow.py and handlers/tip_admin.py. Beside this module: references
(:mod:`bot.tip_refs`), the card handlers read (:mod:`bot.tip_card`) and what they do with a
tip (:mod:`bot.tip_handling`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from bot import clock, groups
from bot.guessing import GuessLimit
from bot.message import Message
from bot.roles import not_banned
from bot.services import Services
from bot.stored import check_stored, of_type
from bot.texts import plain
from bot.tip_refs import new_check
from storage import deliveries as outbox_rows
from storage import flows as flow_rows
from storage import participants as people
from storage import tips as tip_rows
from storage.areas import Area
from storage.db import Database
from storage.deliveries import TIP
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
OPEN_STATUSES = ("new", "reviewed", "forwarded")  # forwarded: waiting on the police
CONTACTS = ("anonymous", "telegram", "phone")
OCCURRED = ("now", "today", "yesterday")

MAX_DESCRIPTION = 2000  # characters; stated in the prompt and in the refusal
MAX_NOTE = 500
# About 100 m: three decimals of latitude are 111 m, of longitude ~55 m at 60° N. Enough to
# find the street corner, not enough to pin one house.
LOCATION_DECIMALS = 3
OLDEST_DATE = timedelta(days=365)  # an "earlier date" further back is surely a typo
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
    STORED_VERSION: ClassVar[int] = 2

    category: str | None = None
    area: Area | None = None
    occurred: str | None = None
    occurred_at: str | None = None  # a stamp: when "happening now" was chosen
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
            "occurred_at": self.occurred_at,
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
            occurred_at=of_type(values["occurred_at"], str, optional=True),
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


def now_stamp() -> str:
    """The moment a resident says something is happening, as stored."""
    return clock.stamp()


def status_name(lang: str, status: str) -> str:
    return plain(lang, f"tip_status_{status}")


def description_problem(text: str) -> Message | None:
    """Why the description cannot be used, or None."""
    if not text.strip():
        return Message("tip_empty")
    if len(text.strip()) > MAX_DESCRIPTION:
        return Message("tip_too_long", {"limit": MAX_DESCRIPTION, "length": len(text.strip())})
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


class HourlyLimit(GuessLimit):
    """At most ``per_hour`` tips per resident in any rolling hour: the same rolling window as
    the lookup limit, counting tips sent instead of misses.

    Counted in memory on purpose: a counter in the database would have to say whose tips
    these were, and would link an anonymous tip to its sender. Here the only trace is a few
    timestamps per user id, forgotten after an hour (or at a restart)."""

    def __init__(self, per_hour: int) -> None:
        super().__init__(misses=per_hour, window=3600)
        self.per_hour = per_hour

    def note(self, user_id: int) -> None:
        self.miss(user_id)


async def may_report(
    services: Services, limit: HourlyLimit, user_id: int, person: Participant | None
) -> Message | None:
    """Tips need a registered resident who is not banned and is within the hourly limit.
    ``person`` is the user's participant record as the handler has just read it."""
    if person is None:
        return Message("tip_not_registered", {})
    if person.banned:
        return Message("tip_banned", {})
    wait = limit.wait_seconds(user_id)
    if wait > 0:
        again = clock.now().astimezone(services.settings.municipality.tz) + timedelta(
            seconds=wait + 59
        )
        return Message(
            "tip_rate_limited",
            {"limit": services.settings.tips.max_per_hour, "time": again.time()},
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
        occurred_at=draft.occurred_at if draft.occurred == "now" else None,
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
