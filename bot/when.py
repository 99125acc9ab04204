"""The WHEN grammar: when something scheduled happens, in the municipality's local time.

``once 2026-06-20 09:00``, ``daily 07:30``, ``weekly tue 18:30``, ``monthly 1 09:00``, with
Swedish words accepted beside the English ones. Reminders (``/remind``) and the weekly
summary (``[schedule] weekly_summary``) both speak it; a parsed WHEN is a :class:`Schedule`,
which knows its next fire time across summer-time changes.

The weekly summary also keeps the forms it was configured with before: ``mon 08:00`` (a
weekly WHEN without its kind word) and a 5-field crontab line, see :func:`summary_trigger`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bot import dates
from bot.texts import t

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

KINDS = {
    "once": "once",
    "engång": "once",
    "daily": "daily",
    "dagligen": "daily",
    "weekly": "weekly",
    "veckovis": "weekly",
    "monthly": "monthly",
    "månadsvis": "monthly",
}
# How many words WHEN takes, kind word included.
WHEN_WORDS = {"once": 3, "daily": 2, "weekly": 3, "monthly": 3}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES: dict[str, int] = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{name: i for i, name in enumerate(("mån", "tis", "ons", "tor", "fre", "lör", "sön"))},
    # The dates the bot writes abbreviate Thursday as CLDR does; what it writes, it reads.
    "tors": 3,
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{
        name: i
        for i, name in enumerate(
            ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
        )
    },
}
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The second word of the older summary form ``mon 08:00``: a time, right or wrong (``8:75``).
_TIME_LIKE = re.compile(r"^\d{1,2}[:.]\d+$|^\d{1,2}$")

Problem = tuple[str, dict]


class WhenError(ValueError):
    """WHEN could not be understood; ``problems`` are catalogue keys with their values, one
    per thing that is wrong (so ``weekly tus 25:00`` names both the day and the time)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(key for key, _ in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Schedule:
    kind: str  # once | daily | weekly | monthly
    hour: int
    minute: int
    on_date: date | None = None  # once
    weekday: int | None = None  # weekly, Monday = 0
    day: int | None = None  # monthly, 1-31

    @property
    def spec(self) -> str:
        """The normalised WHEN, as stored and shown: ``weekly tue 18:30``."""
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == "once":
            return f"once {self.on_date.isoformat()} {at}"
        if self.kind == "weekly":
            return f"weekly {WEEKDAYS[self.weekday]} {at}"
        if self.kind == "monthly":
            return f"monthly {self.day} {at}"
        return f"daily {at}"

    @property
    def recurring(self) -> bool:
        return self.kind != "once"

    def next_after(self, after: datetime, tz: tzinfo) -> datetime | None:
        """The first fire time strictly after ``after`` (aware), in UTC; None if none is left.

        Wall-clock times are local. A time that does not exist (02:30 on the last Sunday of
        March) fires an hour later by the clock, at 03:30; a time that exists twice (02:30 on
        the last Sunday of October) fires once, at the first of the two.
        """
        if self.kind == "once":
            fire = local_instant(self.on_date, self.hour, self.minute, tz)
            return fire if fire > after else None
        day = after.astimezone(tz).date() - timedelta(days=1)
        for _ in range(400):
            if self._matches(day):
                fire = local_instant(day, self.hour, self.minute, tz)
                if fire > after:
                    return fire
            day += timedelta(days=1)
        raise AssertionError(f"no fire time for {self.spec} within 400 days")  # pragma: no cover

    def _matches(self, day: date) -> bool:
        if self.kind == "weekly":
            return day.weekday() == self.weekday
        if self.kind == "monthly":
            # Day 31 means the last day in shorter months, rather than skipping them.
            last = calendar.monthrange(day.year, day.month)[1]
            return day.day == min(self.day, last)
        return True


def local_instant(day: date, hour: int, minute: int, tz: tzinfo) -> datetime:
    """Local wall time -> UTC. ``fold=0`` takes the offset before a DST change, which moves a
    non-existent time forward and picks the first of two ambiguous ones."""
    local = datetime.combine(day, time(hour, minute), tzinfo=tz)
    return local.astimezone(UTC)


def parse_when(words: list[str]) -> Schedule:
    """``["weekly", "tis", "18:30"]`` -> Schedule, or :class:`WhenError`."""
    if not words:
        raise WhenError([("when_missing", {})])
    kind = KINDS.get(words[0].lower())
    if kind is None:
        raise WhenError([("when_bad_kind", {"kind": words[0][:20]})])
    if len(words) != WHEN_WORDS[kind]:
        raise WhenError([(f"when_usage_{kind}", {})])
    problems: list[Problem] = []
    clock_time = _parse_time(words[-1], problems)
    on_date = weekday = day = None
    if kind == "once":
        on_date = _parse_date(words[1], problems)
    elif kind == "weekly":
        weekday = _DAY_NAMES.get(words[1].lower())
        if weekday is None:
            problems.append(("when_bad_day", {"day": words[1][:20]}))
    elif kind == "monthly":
        if words[1].isdigit() and 1 <= int(words[1]) <= 31:
            day = int(words[1])
        else:
            problems.append(("when_bad_monthday", {"day": words[1][:20]}))
    if problems:
        raise WhenError(problems)
    hour, minute = clock_time
    return Schedule(kind, hour, minute, on_date, weekday, day)


def parse_spec(spec: str) -> Schedule:
    """A stored, normalised WHEN back to a Schedule."""
    return parse_when(spec.split())


def _parse_time(word: str, problems: list[Problem]) -> tuple[int, int]:
    match = _TIME.fullmatch(word)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        problems.append(("when_bad_time", {"time": word[:20]}))
        return 0, 0
    return int(match[1]), int(match[2])


def _parse_date(word: str, problems: list[Problem]) -> date | None:
    try:
        if not _DATE.fullmatch(word):
            raise ValueError(word)
        return date.fromisoformat(word)
    except ValueError:
        problems.append(("when_bad_date", {"date": word[:20]}))
        return None


def split_command(text: str) -> tuple[list[str], str, str] | None:
    """``/remind weekly tue 18:30 centrum Möte kl 19`` -> (WHEN words, target, text); the
    text keeps its line breaks. None when there is not even a WHEN kind."""
    parts = text.split(maxsplit=1)
    if len(parts) < 2:
        return None
    rest = parts[1]
    kind = KINDS.get(rest.split(maxsplit=1)[0].lower())
    count = WHEN_WORDS.get(kind, 1)
    words = rest.split(maxsplit=count + 1)
    when, tail = words[:count], words[count:]
    target = tail[0] if tail else ""
    body = tail[1] if len(tail) > 1 else ""
    return when, target, body


# ---------------------------------------------------------------------------- presentation


def local_text(moment: datetime, tz: tzinfo, lang: str) -> str:
    """``tis 3 mars kl. 18.30`` / ``Tue 3 Mar, 18:30``: with the weekday, which is what a
    schedule is planned by, and the year only when it is not this one."""
    return dates.moment(moment, lang, tz=tz, weekday=True)


def describe(schedule: Schedule, lang: str) -> str:
    at = dates.clock_time(time(schedule.hour, schedule.minute), lang)
    if schedule.kind == "once":
        return t(lang, "schedule_once", date=dates.day(schedule.on_date, lang), time=at)
    if schedule.kind == "weekly":
        day = t(lang, "weekdays_long").split(",")[schedule.weekday]
        return t(lang, "schedule_weekly", day=day, time=at)
    if schedule.kind == "monthly":
        return t(lang, "schedule_monthly", day=schedule.day, time=at)
    return t(lang, "schedule_daily", time=at)


# ------------------------------------------------------------------ the weekly summary


class Trigger(Protocol):
    """What the weekly summary asks of its schedule; APScheduler's CronTrigger has it too."""

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class ScheduleTrigger:
    """A :class:`Schedule` in zone ``tz``, asked as APScheduler asks a trigger: the first fire
    time at or after ``now``, in local time."""

    schedule: Schedule
    tz: tzinfo

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        fire = self.schedule.next_after(now - timedelta(microseconds=1), self.tz)
        return None if fire is None else fire.astimezone(self.tz)


# English messages: these are for the operator reading a configuration error, not for users.
_CONFIG_PROBLEMS = {
    "when_bad_day": "unknown day {day!r} (use mon…sun or mån, tis, ons, tor, fre, lör, sön)",
    "when_bad_time": "invalid time {time!r}",
}
# Crontab numbers weekdays from Sunday (0 and 7); its names are the English ones.
_CRONTAB_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def summary_schedule(value: str) -> Schedule | None:
    """``weekly mon 08:00``, or the older ``mon 08:00``, as a weekly Schedule; None when
    ``value`` is neither (a crontab line, then); ValueError when it is one of them but
    wrong."""
    words = value.split()
    kind = KINDS.get(words[0].lower()) if words else None
    if kind is None:
        if not (len(words) == 2 and _TIME_LIKE.fullmatch(words[1])):
            return None
        words = ["weekly", *words]
    elif kind != "weekly" or len(words) != 3:
        raise ValueError(f'{value!r}: the summary is weekly, "weekly DAY HH:MM" (weekly mon 08:00)')
    try:
        return parse_when(words)
    except WhenError as exc:
        reasons = [_CONFIG_PROBLEMS.get(key, key).format(**vals) for key, vals in exc.problems]
        raise ValueError(f"{'; '.join(reasons)} in {value!r}") from None


def check_summary(value: str) -> str:
    """The configured summary schedule with its spacing tidied; ValueError when it is neither
    a weekly WHEN nor a crontab line APScheduler accepts."""
    value = " ".join(value.split())
    if summary_schedule(value) is None:
        _cron_trigger(value, UTC)
    return value


def summary_trigger(value: str, tz: tzinfo | str) -> Trigger:
    """When the weekly summary fires, in local time ``tz``.

    A crontab line restricting both day of month and day of week fires when both match in
    APScheduler, whereas classic cron fires when either matches."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    schedule = summary_schedule(value)
    if schedule is not None:
        return ScheduleTrigger(schedule, zone)
    return _cron_trigger(value, zone)


def _cron_trigger(line: str, tz: tzinfo) -> CronTrigger:
    from apscheduler.triggers.cron import CronTrigger

    fields = line.split()
    if len(fields) != 5:
        raise ValueError(
            f'{line!r} is neither "weekly DAY HH:MM" nor a 5-field crontab line'
            f" (got {len(fields)} fields)"
        )
    try:
        fields[4] = _crontab_dow_to_apscheduler(fields[4])
        return CronTrigger.from_crontab(" ".join(fields), timezone=tz)
    except ValueError as exc:
        raise ValueError(f"invalid crontab line {line!r}: {exc}") from None


def _crontab_weekday(token: str) -> int:
    token = token.strip().lower()
    if token in _CRONTAB_DOW_NAMES:
        return _CRONTAB_DOW_NAMES.index(token)
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)
    raise ValueError(f"invalid day of week {token!r}")


def _crontab_dow_to_apscheduler(field: str) -> str:
    """Translate a crontab day-of-week field into APScheduler 3 weekday names.

    The pitfall: APScheduler 3.x numbers weekdays from Monday = 0, while crontab uses
    Sunday = 0 (and 7), and ``CronTrigger.from_crontab`` passes the field through unchanged,
    so ``"0 8 * * 1"`` would fire on Tuesdays. Spelling every day out by name makes the field
    mean the same thing to both. Ranges are expanded because crontab's ``5-7`` (fri-sun) and
    ``0-2`` (sun-tue) do not map onto a single Monday-based range.
    """
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.split(","):
        span, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) < 1:
                raise ValueError(f"invalid step in day of week {part!r}")
            step = int(step_text)
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            start, _, end = span.partition("-")
            first, last = _crontab_weekday(start), _crontab_weekday(end)
            if first > last:
                raise ValueError(f"invalid range in day of week {part!r}")
        else:
            first = _crontab_weekday(span)
            last = 6 if slash else first
        days.update(day % 7 for day in range(first, last + 1, step))
    # Monday-first order, the order APScheduler itself uses.
    ordered = sorted(days, key=lambda day: (day - 1) % 7)
    return ",".join(_CRONTAB_DOW_NAMES[day] for day in ordered)
