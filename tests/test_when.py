"""The WHEN grammar of /remind and its next fire times, across both DST changes of 2026 in
Europe/Stockholm (29 March: 02:00 → 03:00; 25 October: 03:00 → 02:00)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.config import ScheduleSettings
from bot.when import WhenError, parse_spec, parse_when, split_command, summary_trigger

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


VALID = [
    # (WHEN, normalised, after, expected next fire in UTC)
    ("once 2026-06-20 09:00", "once 2026-06-20 09:00", utc(2026, 6, 1), utc(2026, 6, 20, 7)),
    ("once 2026-01-15 9:05", "once 2026-01-15 09:05", utc(2026, 1, 1), utc(2026, 1, 15, 8, 5)),
    # Daily at 08:00 is 07:00 UTC in winter and 06:00 UTC from the DST Sunday on.
    ("daily 08:00", "daily 08:00", utc(2026, 3, 28, 7), utc(2026, 3, 29, 6)),
    ("dagligen 08.00", "daily 08:00", utc(2026, 3, 27, 12), utc(2026, 3, 28, 7)),
    ("DAILY 08:00", "daily 08:00", utc(2026, 10, 24, 6), utc(2026, 10, 25, 7)),
    # 02:30 does not exist on 29 March: it fires at 03:30 CEST.
    ("weekly sun 02:30", "weekly sun 02:30", utc(2026, 3, 22, 12), utc(2026, 3, 29, 1, 30)),
    ("weekly sön 02:30", "weekly sun 02:30", utc(2026, 3, 22, 12), utc(2026, 3, 29, 1, 30)),
    # 02:30 exists twice on 25 October: it fires once, at the first (CEST).
    ("weekly SÖN 02:30", "weekly sun 02:30", utc(2026, 10, 18, 12), utc(2026, 10, 25, 0, 30)),
    ("weekly tis 18:30", "weekly tue 18:30", utc(2026, 3, 20), utc(2026, 3, 24, 17, 30)),
    ("weekly Tue 18:30", "weekly tue 18:30", utc(2026, 3, 25), utc(2026, 3, 31, 16, 30)),
    ("weekly mån 08:00", "weekly mon 08:00", utc(2026, 10, 24), utc(2026, 10, 26, 7)),
    ("veckovis Fredag 17:00", "weekly fri 17:00", utc(2026, 10, 20), utc(2026, 10, 23, 15)),
    ("weekly lör 10:00", "weekly sat 10:00", utc(2026, 3, 28, 9), utc(2026, 4, 4, 8)),
    ("weekly thu 07:15", "weekly thu 07:15", utc(2026, 3, 26, 6, 15), utc(2026, 4, 2, 5, 15)),
    # Day 31 is the last day in shorter months.
    ("monthly 31 12:00", "monthly 31 12:00", utc(2026, 4, 1), utc(2026, 4, 30, 10)),
    ("monthly 31 12:00", "monthly 31 12:00", utc(2026, 2, 1), utc(2026, 2, 28, 11)),
    ("månadsvis 29 02:30", "monthly 29 02:30", utc(2026, 3, 1), utc(2026, 3, 29, 1, 30)),
    ("monthly 1 00:00", "monthly 1 00:00", utc(2026, 10, 15), utc(2026, 10, 31, 23)),
]


@pytest.mark.parametrize(("when", "spec", "after", "expected"), VALID)
def test_valid_when(when: str, spec: str, after: datetime, expected: datetime):
    schedule = parse_when(when.split())
    assert schedule.spec == spec
    assert parse_spec(schedule.spec) == schedule
    assert schedule.next_after(after, STOCKHOLM) == expected


INVALID = [
    ("weekly tus 25:00", {"when_bad_day": {"day": "tus"}, "when_bad_time": {"time": "25:00"}}),
    ("weekly fredag 7:60", {"when_bad_time": {"time": "7:60"}}),
    ("weekly onsdagen 10:00", {"when_bad_day": {"day": "onsdagen"}}),
    ("daily 24:00", {"when_bad_time": {"time": "24:00"}}),
    ("daily kväll", {"when_bad_time": {"time": "kväll"}}),
    ("once 2026-02-30 10:00", {"when_bad_date": {"date": "2026-02-30"}}),
    (
        "once 20-06-2026 9:99",
        {"when_bad_date": {"date": "20-06-2026"}, "when_bad_time": {"time": "9:99"}},
    ),
    ("once 2026-06-20", {"when_usage_once": {}}),
    ("monthly 32 10:00", {"when_bad_monthday": {"day": "32"}}),
    ("monthly 0 10:00", {"when_bad_monthday": {"day": "0"}}),
    ("weekly 18:30", {"when_usage_weekly": {}}),
    ("hourly 10:00", {"when_bad_kind": {"kind": "hourly"}}),
    ("", {"when_missing": {}}),
]


@pytest.mark.parametrize(("when", "problems"), INVALID)
def test_invalid_when_names_every_problem(when: str, problems: dict):
    with pytest.raises(WhenError) as caught:
        parse_when(when.split())
    assert dict(caught.value.problems) == problems


def test_once_in_the_past_has_no_next_run():
    schedule = parse_when("once 2026-06-20 09:00".split())
    assert schedule.next_after(utc(2026, 6, 20, 7), STOCKHOLM) is None


def test_daily_runs_once_on_the_night_that_repeats_an_hour():
    schedule = parse_when("daily 02:30".split())
    fires, after = [], utc(2026, 10, 23, 12)
    for _ in range(3):
        after = schedule.next_after(after, STOCKHOLM)
        fires.append(after)
    assert fires == [utc(2026, 10, 24, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]


def test_split_command_keeps_the_text_as_typed():
    assert split_command("/remind weekly tue 18:30 centrum Möte i Folkets hus\nkl 19") == (
        ["weekly", "tue", "18:30"],
        "centrum",
        "Möte i Folkets hus\nkl 19",
    )
    assert split_command("/remind daily 21:00 all Lås cykelförrådet") == (
        ["daily", "21:00"],
        "all",
        "Lås cykelförrådet",
    )
    assert split_command("/remind once 2026-06-20") == (["once", "2026-06-20"], "", "")
    assert split_command("/remind") is None


# ------------------------------------------------------------------ the weekly summary


def fire_times(trigger, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` fire times, asked as bot/summary.py asks: from one second after the
    previous one."""
    fires, previous = [], None
    for _ in range(count):
        previous = trigger.get_next_fire_time(previous, after)
        fires.append(previous)
        after = previous + timedelta(seconds=1)
    return fires


@pytest.mark.parametrize(
    "value", ["weekly mon 08:00", "veckovis mån 08:00", "WEEKLY Måndag 8:00", "mon 08:00"]
)
def test_summary_schedule_in_the_when_grammar_fires_as_the_crontab_did(value: str) -> None:
    # Ten Mondays across the change to summer time on 29 March.
    start = utc(2026, 3, 4, 11)
    expected = fire_times(summary_trigger("0 8 * * 1", STOCKHOLM), start, 10)
    fires = fire_times(summary_trigger(value, STOCKHOLM), start, 10)
    assert fires == expected
    assert [(f.weekday(), f.hour, f.minute) for f in fires] == [(0, 8, 0)] * 10
    assert fires[0].utcoffset() == timedelta(hours=1)
    assert fires[-1].utcoffset() == timedelta(hours=2)


def test_summary_trigger_counts_the_fire_time_itself() -> None:
    # As APScheduler does: the run at exactly "now" is the next one, which is how the summary
    # finds the run it missed while the bot was down.
    monday = datetime(2026, 3, 9, 8, 0, tzinfo=STOCKHOLM)
    trigger = summary_trigger("weekly mon 08:00", "Europe/Stockholm")
    assert trigger.get_next_fire_time(None, monday) == monday
    assert trigger.get_next_fire_time(monday, monday + timedelta(seconds=1)) == monday + timedelta(
        days=7
    )


def test_summary_schedule_is_stored_as_written_with_tidy_spacing() -> None:
    assert ScheduleSettings(weekly_summary="  weekly   tis  18:30 ").weekly_summary == (
        "weekly tis 18:30"
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("weekly someday 08:00", "unknown day 'someday'"),
        ("weekly mon 25:00", "invalid time '25:00'"),
        ("veckovis tus 8:75", "unknown day 'tus'"),
        ("daily 08:00", '"weekly DAY HH:MM"'),
        ("weekly mon", '"weekly DAY HH:MM"'),
        ("mon", "neither"),
        ("0 8 * * 8", "invalid crontab line"),
    ],
)
def test_bad_summary_schedule_says_what_is_wrong(value: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduleSettings(weekly_summary=value)
    assert says in str(caught.value)
