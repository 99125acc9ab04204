"""The weekly summary for coordinators: what it says (computed by SQL aggregates in
storage/stats.py), who gets it and when it goes out. How it reads in each language and its
chart are :mod:`bot.summary_text`; the Telegram side sends it (handlers/senders.py) and keeps
its job (handlers/jobs.py).

The scheduled summary fires on ``settings.schedule.weekly_summary`` (default Monday 08:00
local time) and covers the last complete ISO week before that moment. Each week is recorded
in ``summary_runs`` when it goes out, so a run missed while the bot was down is sent once at
start-up and never twice. Summaries are only due from the bot's first start on
(``schedule_state.summary_since``): a fresh installation does not send last week's report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot import clock, groups
from bot.clock import parse_stamp, stamp
from bot.roles import not_banned
from bot.services import Services
from bot.tips import CATEGORIES
from storage import audit, stats
from storage import participants as people
from storage import reminders as reminder_rows
from storage.reminders import ReminderRow

log = logging.getLogger(__name__)

CHART_WEEKS = 8
OPEN_TIP_AGE = timedelta(days=7)
OPEN_TIPS_SHOWN = 5
_WEEK_SPEC = re.compile(r"^(\d{4})-?w(\d{1,2})$", re.IGNORECASE)


# ---------------------------------------------------------------------------- weeks


@dataclass(frozen=True, slots=True, order=True)
class Week:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    def shift(self, weeks: int) -> Week:
        return week_of_date(self.monday + timedelta(weeks=weeks))

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """[local Monday 00:00, next Monday 00:00) in UTC; a DST week is 167 or 169 hours."""
        start = datetime.combine(self.monday, time(0), tzinfo=tz)
        end = datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)


def week_of_date(day: date) -> Week:
    iso = day.isocalendar()
    return Week(iso.year, iso.week)


def week_of(moment: datetime, tz: tzinfo) -> Week:
    return week_of_date(moment.astimezone(tz).date())


def parse_week(arg: str, now: datetime, tz: tzinfo) -> Week | None:
    """``""``/this/denna, last/förra, or ``2026-W05``; None if it is none of those."""
    word = arg.strip().lower()
    current = week_of(now, tz)
    if word in ("", "this", "denna"):
        return current
    if word in ("last", "förra"):
        return current.shift(-1)
    match = _WEEK_SPEC.fullmatch(word)
    if match is None:
        return None
    try:
        date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return Week(int(match[1]), int(match[2]))


def week_before_fire(fire: datetime, tz: tzinfo) -> Week:
    """The last complete week before a scheduled run (Monday 08:00 -> the week just ended)."""
    return week_of(fire, tz).shift(-1)


def signup_days(week: Week, until: datetime, end: datetime, tz: tzinfo) -> tuple[str, str]:
    """The local dates [first, after) that sign-up events of ``week`` up to ``until`` fall
    in: the whole of ``until``'s day when the week is still in progress."""
    if until >= end:
        after = week.monday + timedelta(days=7)
    else:
        after = until.astimezone(tz).date() + timedelta(days=1)
    return week.monday.isoformat(), after.isoformat()


# ---------------------------------------------------------------------------- content


@dataclass(frozen=True, slots=True)
class AreaLine:
    name: str
    members: int
    joined: int
    left: int


@dataclass(slots=True)
class WeeklySummary:
    week: Week
    start: datetime
    until: datetime  # end of the week, or now for the week in progress
    partial: bool
    participants: int
    new: int
    left: int
    areas: list[AreaLine]
    sent: dict[str, stats.KindCounts]
    tips_this: int
    tips_last: int
    by_category: list[stats.TwoWeeks]
    by_area: list[stats.TwoWeeks]
    open_tips: int
    with_police: int  # tips handed to the police, counted among the open ones too
    oldest_open: list[stats.OpenTip]
    missed: list[ReminderRow]
    chart_weeks: list[Week]
    chart_counts: dict[tuple[int, str], int] = field(default_factory=dict)
    chart_focus: tuple[str, ...] = ()


async def compute(services: Services, week: Week, now: datetime | None = None) -> WeeklySummary:
    """Everything the summary says about ``week``, as of ``now`` (default: the clock)."""
    db = services.db
    tz = services.settings.municipality.tz
    now = now or clock.now()
    start, end = week.bounds(tz)
    until = min(end, now)
    last_start = week.shift(-1).bounds(tz)[0]
    start_s, until_s = stamp(start), stamp(until)

    # Counts at the end of a past week: today's counts with later events undone. Sign-up
    # events carry a local date only, so the week in progress runs to the end of today.
    events = await stats.signup_events(db, *signup_days(week, until, end, tz))

    def during(event: str, area_id: int | None = None) -> int:
        return events.get((event, area_id), (0, 0))[0] or 0

    def after(event: str, area_id: int | None = None) -> int:
        return events.get((event, area_id), (0, 0))[1] or 0

    # Coordinators, police and area contacts are not residents, even when they signed up.
    roles = services.settings.roles
    staff = [*roles.coordinators, *roles.police]
    total = await stats.participants_now(db, staff) - after("consent") + after("forget")
    areas = [
        AreaLine(
            a.name,
            max(0, a.members - after("join", a.area_id) + after("leave", a.area_id)),
            during("join", a.area_id),
            during("leave", a.area_id),
        )
        for a in await stats.members_per_area(db, staff)
    ]
    sent = {k.kind: k for k in await stats.alerts_by_kind(db, start_s, until_s)}
    by_category = await stats.tips_by_category(db, stamp(last_start), start_s, until_s)
    by_area = await stats.tips_by_area(db, stamp(last_start), start_s, until_s)
    open_count, oldest = await stats.open_tips_before(
        db, stamp(until - OPEN_TIP_AGE), OPEN_TIPS_SHOWN
    )
    chart_weeks = [week.shift(i - CHART_WEEKS + 1) for i in range(CHART_WEEKS)]
    bounds = [stamp(w.bounds(tz)[0]) for w in chart_weeks] + [until_s]
    return WeeklySummary(
        week=week,
        start=start,
        until=until,
        partial=until < end,
        participants=max(0, total),
        new=during("consent"),
        left=during("forget"),
        areas=areas,
        sent=sent,
        tips_this=sum(row.this_week for row in by_category),
        tips_last=sum(row.last_week for row in by_category),
        by_category=sorted(by_category, key=lambda r: CATEGORIES.index(r.key)),
        by_area=by_area,
        open_tips=open_count,
        with_police=await stats.tips_with_police(db),
        oldest_open=oldest,
        missed=await reminder_rows.missed_unreported(db, until_s),
        chart_weeks=chart_weeks,
        chart_counts=await stats.tips_per_week(db, bounds),
        chart_focus=tuple(services.settings.summary.focus_categories),
    )


async def on_demand(services: Services, week: Week, actor_id: int) -> WeeklySummary:
    """The summary a coordinator asked for, its audit row written before it is shown."""
    report = await compute(services, week)
    async with services.db.transaction() as tx:
        await audit.record(tx, actor_id, "summary", target=week.label)
    return report


async def recipients(services: Services) -> list[tuple[int, str]]:
    """Every coordinator who is not banned (in their own language) and the coordinators'
    team chat."""
    settings = services.settings
    default = settings.municipality.language
    found: list[tuple[int, str]] = []
    for user_id in await not_banned(services, list(settings.roles.coordinators)):
        person = await people.participant(services.db, user_id)
        found.append((user_id, person.language if person else default))
    team_chat = await groups.coordinator_chat_id(services)
    if team_chat:
        found.append((team_chat, default))
    return found


# ---------------------------------------------------------------------------- schedule

# Sends the summary to one chat in one language (chat id, summary, language), and deals with
# what Telegram answers. Given by the Telegram side (handlers/senders.py).
Deliver = Callable[[int, WeeklySummary, str], Awaitable[None]]


async def run_scheduled(services: Services, deliver: Deliver, fire: datetime) -> bool:
    """The scheduled summary for the run at ``fire``; False if that week already went out."""
    tz = services.settings.municipality.tz
    week = week_before_fire(fire, tz)
    async with services.db.transaction() as tx:
        claimed = await reminder_rows.claim_summary_week(tx, week.label, stamp(fire))
    if not claimed:
        return False
    summary = await compute(services, week, max(fire, clock.now()))
    if summary.missed:
        async with services.db.transaction() as tx:
            await reminder_rows.mark_missed_reported(tx, [r.id for r in summary.missed])
    for chat_id, lang in await recipients(services):
        await deliver(chat_id, summary, lang)
    log.info("weekly summary %s sent", week.label)
    return True


def previous_fire(trigger, now: datetime) -> datetime | None:
    """The latest scheduled run at or before ``now`` within the last eight days."""
    latest = None
    fire = trigger.get_next_fire_time(None, now - timedelta(days=8))
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return latest.astimezone(UTC) if latest else None


def next_fire(services: Services, after: datetime) -> datetime:
    """The first scheduled run after ``after``."""
    settings = services.settings
    trigger = settings.schedule.weekly_summary_trigger(settings.municipality.tz)
    return trigger.get_next_fire_time(None, after + timedelta(seconds=1)).astimezone(UTC)


async def missed_run(services: Services, now: datetime) -> datetime | None:
    """At start-up: the latest scheduled run if it passed while the bot was down, None if it
    went out or came before the bot's first start."""
    settings = services.settings
    async with services.db.transaction() as tx:
        await reminder_rows.set_state_default(tx, "summary_since", stamp(now))
    since = parse_stamp(await reminder_rows.state_value(services.db, "summary_since"))
    trigger = settings.schedule.weekly_summary_trigger(settings.municipality.tz)
    missed = previous_fire(trigger, now)
    return missed if missed is not None and missed > since else None
