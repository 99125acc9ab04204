"""The weekly summary for coordinators: what it says (computed by SQL aggregates in
storage/stats.py), how it reads in each language, its chart, and when it goes out.

The scheduled summary fires on ``settings.schedule.weekly_summary`` (default Monday 08:00
local time) and covers the last complete ISO week before that moment. Each week is recorded
in ``summary_runs`` when it goes out, so a run missed while the bot was down is sent once at
start-up and never twice. Summaries are only due from the bot's first start on
(``schedule_state.summary_since``): a fresh installation does not send last week's report.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from telegram import Bot, InputFile
from telegram.constants import MessageLimit
from telegram.error import BadRequest, ChatMigrated, TelegramError
from telegram.ext import Application, CallbackContext, JobQueue

from bot import chart, clock, groups
from bot.alerts import Kind, telegram_length
from bot.clock import parse_stamp, stamp
from bot.roles import not_banned
from bot.services import Services
from bot.texts import Safe, t
from bot.tips import CATEGORIES
from storage import audit, stats
from storage import participants as people
from storage import reminders as reminder_rows
from storage.reminders import ReminderRow

log = logging.getLogger(__name__)

CHART_WEEKS = 8
OPEN_TIP_AGE = timedelta(days=7)
OPEN_TIPS_SHOWN = 5
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
MESSAGE_LIMIT = MessageLimit.MAX_TEXT_LENGTH
JOB_NAME = "weekly-summary"
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

    total = await stats.participants_now(db) - after("consent") + after("forget")
    areas = [
        AreaLine(
            a.name,
            max(0, a.members - after("join", a.area_id) + after("leave", a.area_id)),
            during("join", a.area_id),
            during("leave", a.area_id),
        )
        for a in await stats.members_per_area(db)
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


# ---------------------------------------------------------------------------- rendering


def trend(this: int, last: int) -> str:
    change = this - last
    if change > 0:
        return f"↑ +{change}"
    if change < 0:
        return f"↓ −{-change}"
    return "→ ±0"


def _date(day: date, lang: str, *, year: bool) -> str:
    month = t(lang, "months_short").split(",")[day.month - 1]
    text = f"{day.day} {month}"
    return f"{text} {day.year}" if year else text


def render(summary: WeeklySummary, lang: str, tz: tzinfo) -> str:
    """The summary as an HTML message in ``lang``."""
    first = summary.week.monday
    last = (summary.until - timedelta(microseconds=1)).astimezone(tz).date()
    dates = f"{_date(first, lang, year=first.year != last.year)}–{_date(last, lang, year=True)}"
    lines = [
        t(lang, "summary_title", week=summary.week.number, year=summary.week.year),
        t(lang, "summary_dates_partial" if summary.partial else "summary_dates", dates=dates),
        "",
        t(
            lang,
            "summary_participants",
            total=summary.participants,
            new=summary.new,
            left=summary.left,
        ),
    ]
    for area in summary.areas:
        lines.append(
            t(
                lang,
                "summary_area_line",
                area=area.name,
                members=area.members,
                joined=area.joined,
                left=area.left,
            )
        )
    lines += ["", t(lang, "summary_sent_header")]
    for kind in (Kind.POLICE, Kind.MUNICIPALITY, Kind.NOTICE, Kind.REMINDER):
        counts = summary.sent.get(kind)
        name = t(lang, f"summary_kind_{kind}")
        if counts is None or counts.deliveries == 0:
            count = counts.alerts if counts else 0
            lines.append(t(lang, "summary_kind_line_none", kind=Safe(name), count=count))
        else:
            rate = round(100 * counts.delivered / counts.deliveries)
            lines.append(
                t(lang, "summary_kind_line", kind=Safe(name), count=counts.alerts, rate=rate)
            )
    lines += [
        "",
        t(
            lang,
            "summary_tips",
            this=summary.tips_this,
            last=summary.tips_last,
            trend=trend(summary.tips_this, summary.tips_last),
        ),
    ]
    if summary.by_category:
        lines.append(t(lang, "summary_by_category"))
        lines += _tip_lines(
            lang, ((t(lang, f"summary_cat_{r.key}"), r) for r in summary.by_category)
        )
    if summary.by_area:
        lines.append(t(lang, "summary_by_area"))
        named = [(r.key or t(lang, "summary_no_area"), r) for r in summary.by_area]
        lines += _tip_lines(lang, sorted(named, key=lambda item: item[0].casefold()))
    lines += ["", t(lang, "summary_open", count=summary.open_tips)]
    if summary.oldest_open:
        items = ", ".join(
            t(
                lang,
                "summary_open_item",
                ref=tip.ref,
                days=(summary.until - parse_stamp(tip.created_at)).days,
            )
            for tip in summary.oldest_open
        )
        lines.append(t(lang, "summary_open_oldest", items=Safe(items)))
    if summary.missed:
        lines += ["", t(lang, "summary_missed_header")]
        for row in summary.missed:
            due = _local_text(parse_stamp(row.next_run), tz, lang)
            lines.append(t(lang, "summary_missed_item", id=row.id, text=row.text[:60], due=due))
    return "\n".join(lines)


def _tip_lines(lang: str, named: Iterable[tuple[str, stats.TwoWeeks]]) -> list[str]:
    return [
        t(
            lang,
            "summary_tip_line",
            name=name,
            this=row.this_week,
            last=row.last_week,
            trend=trend(row.this_week, row.last_week),
        )
        for name, row in named
    ]


def _local_text(moment: datetime, tz: tzinfo, lang: str) -> str:
    local = moment.astimezone(tz)
    return f"{_date(local.date(), lang, year=True)} {local:%H:%M}"


def render_chart(summary: WeeklySummary, lang: str) -> bytes:
    weeks = [w.number for w in summary.chart_weeks]
    return chart.tips_chart(weeks, summary.chart_counts, lang, focus=summary.chart_focus)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Whole lines per message, each under Telegram's limit."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if current and telegram_length(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks


async def send(bot: Bot, chat_id: int, summary: WeeklySummary, lang: str, tz: tzinfo) -> None:
    """The chart as a photo with the text as its caption, or, when the text is over the
    caption limit, the photo with the title and the text as its own message(s). A chat that
    allows no photos gets the text with a note that the chart could not be sent there."""
    text = render(summary, lang, tz)
    png = await asyncio.to_thread(render_chart, summary, lang)
    photo = InputFile(png, filename=f"summary-{summary.week.label}.png")
    fits = telegram_length(text) <= CAPTION_LIMIT
    title = t(lang, "summary_title", week=summary.week.number, year=summary.week.year)
    try:
        await bot.send_photo(chat_id, photo, caption=text if fits else title)
    except BadRequest as exc:
        if not groups.is_refused_content(exc):
            raise
        log.warning("weekly summary %s: a chat allows no photos; text only", summary.week.label)
        text += "\n\n" + t(lang, "summary_chart_not_allowed")
    else:
        if fits:
            return
    for chunk in split_message(text):
        await bot.send_message(chat_id, chunk)


async def send_following_moves(
    services: Services, bot: Bot, chat_id: int, summary: WeeklySummary, lang: str
) -> None:
    """:func:`send`, and when the chat turns out to be a group that became a supergroup, its
    references move and the summary goes to the new id."""
    tz = services.settings.municipality.tz
    try:
        await send(bot, chat_id, summary, lang, tz)
    except ChatMigrated as exc:
        await groups.move(services, chat_id, exc.new_chat_id)
        await send(bot, exc.new_chat_id, summary, lang, tz)


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


async def run_scheduled(services: Services, bot: Bot, fire: datetime) -> bool:
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
        try:
            await send_following_moves(services, bot, chat_id, summary, lang)
        except TelegramError as exc:
            # No chat ids in the log: whether it was a person or the team chat is enough.
            who = "the team chat" if chat_id < 0 else "a coordinator"
            log.warning("weekly summary %s not sent to %s: %s", week.label, who, exc)
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


def register_next(job_queue: JobQueue, services: Services, after: datetime) -> datetime:
    settings = services.settings
    trigger = settings.schedule.weekly_summary_trigger(settings.municipality.tz)
    fire = trigger.get_next_fire_time(None, after + timedelta(seconds=1)).astimezone(UTC)
    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    job_queue.run_once(
        _weekly_job,
        when=max(0.0, (fire - clock.now()).total_seconds()),
        data={"fire": fire},
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None},
    )
    return fire


async def _weekly_job(context: CallbackContext) -> None:
    services: Services = context.application.bot_data["services"]
    fire: datetime = context.job.data["fire"]
    try:
        await run_scheduled(services, context.bot, fire)
    finally:
        register_next(context.job_queue, services, max(fire, clock.now()))


async def start(application: Application) -> None:
    """At start-up: send the last scheduled summary if it was missed, then schedule the
    next one."""
    services: Services = application.bot_data["services"]
    settings = services.settings
    now = clock.now()
    async with services.db.transaction() as tx:
        await reminder_rows.set_state_default(tx, "summary_since", stamp(now))
    since = parse_stamp(await reminder_rows.state_value(services.db, "summary_since"))
    trigger = settings.schedule.weekly_summary_trigger(settings.municipality.tz)
    missed = previous_fire(trigger, now)
    if missed is not None and missed > since:
        if await run_scheduled(services, application.bot, missed):
            log.info("sent the weekly summary missed at %s", stamp(missed))
    register_next(application.job_queue, services, now)
