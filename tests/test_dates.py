"""The one date formatter (bot/dates.py): local time in the Swedish style, in both languages,
across summer-time changes, local midnight and the turn of the year."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot import clock, dates
from bot.sandbox import Sandbox
from bot.when import parse_when
from tests.conftest import COORDINATOR_ID
from tests.helpers import seed_residents
from tests.test_alerts import send_alert
from tests.test_retention import write
from tests.test_tips_admin import RESIDENT, send_tip_refs

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Monday 30 November 2026, 01:30 in Stockholm.
NOW = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    clock.use_zone(STOCKHOLM)
    yield
    clock.reset()


@pytest.fixture
def frozen() -> None:
    clock.freeze(NOW)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


Case = tuple[str, Callable[[str], str], str, str]

CASES: list[Case] = [
    # A day, this year and another year.
    ("day this year", lambda lang: dates.day(date(2026, 11, 27), lang), "fre 27 nov", "Fri 27 Nov"),
    (
        "day last year",
        lambda lang: dates.day(date(2025, 11, 27), lang),
        "tors 27 nov 2025",
        "Thu 27 Nov 2025",
    ),
    (
        "day next year",
        lambda lang: dates.day(date(2027, 3, 2), lang),
        "tis 2 mars 2027",
        "Tue 2 Mar 2027",
    ),
    (
        "day stored as a local date",
        lambda lang: dates.day("2026-06-19", lang),
        "fre 19 juni",
        "Fri 19 Jun",
    ),
    # A moment: stored UTC stamps become local time.
    (
        "moment in winter",
        lambda lang: dates.moment("2026-11-29T19:50:00Z", lang),
        "29 nov kl. 20.50",
        "29 Nov, 20:50",
    ),
    (
        "moment in summer",
        lambda lang: dates.moment(at("2026-06-19T12:05:00Z"), lang),
        "19 juni kl. 14.05",
        "19 Jun, 14:05",
    ),
    (
        "moment with its weekday",
        lambda lang: dates.moment("2026-03-03T17:30:00Z", lang, weekday=True),
        "tis 3 mars kl. 18.30",
        "Tue 3 Mar, 18:30",
    ),
    (
        "moment another year",
        lambda lang: dates.moment("2025-11-29T19:50:00Z", lang),
        "29 nov 2025 kl. 20.50",
        "29 Nov 2025, 20:50",
    ),
    # Summer time starts on 29 March 2026: 02:00 CET is 03:00 CEST.
    (
        "last minute of winter time",
        lambda lang: dates.moment("2026-03-29T00:59:00Z", lang),
        "29 mars kl. 01.59",
        "29 Mar, 01:59",
    ),
    (
        "first minute of summer time",
        lambda lang: dates.moment("2026-03-29T01:00:00Z", lang),
        "29 mars kl. 03.00",
        "29 Mar, 03:00",
    ),
    # Summer time ends on 25 October 2026: 02:30 happens twice, an hour apart in UTC.
    (
        "02.30 the first time",
        lambda lang: dates.moment("2026-10-25T00:30:00Z", lang),
        "25 okt kl. 02.30",
        "25 Oct, 02:30",
    ),
    (
        "02.30 the second time",
        lambda lang: dates.moment("2026-10-25T01:30:00Z", lang),
        "25 okt kl. 02.30",
        "25 Oct, 02:30",
    ),
    (
        "after the change",
        lambda lang: dates.time_of_day("2026-10-25T02:00:00Z", lang),
        "kl. 03.00",
        "03:00",
    ),
    # Local midnight in winter is 23:00 UTC: the day changes there, not at 00:00 UTC.
    (
        "just before local midnight",
        lambda lang: dates.moment("2026-11-29T22:59:00Z", lang),
        "29 nov kl. 23.59",
        "29 Nov, 23:59",
    ),
    (
        "just after local midnight",
        lambda lang: dates.moment("2026-11-29T23:01:00Z", lang),
        "30 nov kl. 00.01",
        "30 Nov, 00:01",
    ),
    (
        "the day of a stamp before midnight",
        lambda lang: dates.day("2026-11-29T22:59:00Z", lang),
        "sön 29 nov",
        "Sun 29 Nov",
    ),
    (
        "the day of a stamp after midnight",
        lambda lang: dates.day(at("2026-11-29T23:01:00Z"), lang),
        "mån 30 nov",
        "Mon 30 Nov",
    ),
    # The year changes at local midnight too, and then the year is shown.
    (
        "new year's eve",
        lambda lang: dates.moment("2026-12-31T22:59:00Z", lang),
        "31 dec kl. 23.59",
        "31 Dec, 23:59",
    ),
    (
        "new year's day",
        lambda lang: dates.moment("2026-12-31T23:01:00Z", lang),
        "1 jan 2027 kl. 00.01",
        "1 Jan 2027, 00:01",
    ),
    # A time of day alone.
    ("time of day", lambda lang: dates.time_of_day(time(9, 5), lang), "kl. 09.05", "09:05"),
    ("bare clock time", lambda lang: dates.clock_time(time(18, 30), lang), "18.30", "18:30"),
    # Ranges of days, with an en dash and always the year.
    (
        "range in a month",
        lambda lang: dates.day_range(date(2026, 11, 23), date(2026, 11, 29), lang),
        "23–29 nov 2026",
        "23–29 Nov 2026",
    ),
    (
        "range over two months",
        lambda lang: dates.day_range(date(2026, 11, 30), date(2026, 12, 6), lang),
        "30 nov–6 dec 2026",
        "30 Nov–6 Dec 2026",
    ),
    (
        "range over the new year",
        lambda lang: dates.day_range(date(2025, 12, 29), date(2026, 1, 4), lang),
        "29 dec 2025–4 jan 2026",
        "29 Dec 2025–4 Jan 2026",
    ),
    (
        "range of one day",
        lambda lang: dates.day_range(date(2026, 11, 29), date(2026, 11, 29), lang),
        "29 nov 2026",
        "29 Nov 2026",
    ),
    # Today and yesterday, when asked for: counted in local days.
    (
        "yesterday, just before local midnight",
        lambda lang: dates.moment("2026-11-29T22:59:00Z", lang, relative=True),
        "i går kl. 23.59",
        "yesterday, 23:59",
    ),
    (
        "today, just after local midnight",
        lambda lang: dates.moment("2026-11-29T23:01:00Z", lang, relative=True),
        "i dag kl. 00.01",
        "today, 00:01",
    ),
    (
        "tomorrow",
        lambda lang: dates.day(date(2026, 12, 1), lang, relative=True),
        "i morgon",
        "tomorrow",
    ),
    (
        "further off is a date",
        lambda lang: dates.day(date(2026, 12, 2), lang, relative=True),
        "ons 2 dec",
        "Wed 2 Dec",
    ),
]


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize(("name", "render", "sv", "en"), CASES, ids=[case[0] for case in CASES])
def test_date_forms(name: str, render: Callable[[str], str], sv: str, en: str) -> None:
    assert (render("sv"), render("en")) == (sv, en)


@pytest.mark.usefixtures("frozen")
def test_this_year_is_the_local_year() -> None:
    # 23:30 UTC on 31 December is already 2027 in Stockholm: 2026 is last year there.
    clock.freeze(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert dates.day(date(2026, 12, 31), "sv") == "tors 31 dec 2026"
    assert dates.day(date(2027, 1, 1), "sv", relative=True) == "i dag"
    assert dates.moment("2026-12-31T22:59:00Z", "en", relative=True) == "yesterday, 23:59"
    assert dates.moment("2026-12-31T22:59:00Z", "en") == "31 Dec 2026, 23:59"


@pytest.mark.usefixtures("frozen")
def test_another_zone_when_given() -> None:
    helsinki = ZoneInfo("Europe/Helsinki")
    assert dates.moment("2026-11-29T19:50:00Z", "sv", tz=helsinki) == "29 nov kl. 21.50"
    assert dates.day("2026-11-29T22:30:00Z", "en", tz=helsinki) == "Mon 30 Nov"


@pytest.mark.usefixtures("frozen")
def test_refuses_what_it_cannot_place() -> None:
    with pytest.raises(ValueError, match="zone"):
        dates.moment(datetime(2026, 11, 29, 20, 50), "sv")
    with pytest.raises(ValueError, match="before it starts"):
        dates.day_range(date(2026, 11, 29), date(2026, 11, 23), "sv")


# ------------------------------------------------- where people read dates from the bot
# The clock is moved (and runs on) after the bot has started: its "today" becomes that day.


async def test_alerts_list_shows_local_time_and_yesterday(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [11], ["norr"])
    seed_residents(sandbox, db_path, [12], ["norr"], language="en")
    await send_alert(sandbox, "norr Vattenavstängning på Norrgatan", sender_id=COORDINATOR_ID)
    # Sent at 23:59 local time on Sunday; read at 01:30 on Monday.
    await write(db_path, "UPDATE alerts SET created_at = '2026-11-29T22:59:00Z'")
    clock.travel(datetime(2026, 11, 30, 0, 30, tzinfo=UTC))
    swedish = (await sandbox.user(11, "Boende 11").send("/alerts")).text
    english = (await sandbox.user(12, "Boende 12").send("/alerts")).text
    assert "i går kl. 23.59" in swedish and "Vattenavstängning" in swedish
    assert "yesterday, 23:59" in english
    assert "2026-11-29" not in swedish + english


async def test_audit_lines_show_local_time(sandbox: Sandbox, bot, db_path):
    # The first minute of summer time, and the first minute of a new year.
    for at_, target in (("2026-03-29T01:00:00Z", "sommartid"), ("2026-12-31T23:01:00Z", "nyår")):
        await write(
            db_path,
            "INSERT INTO audit_log (at, actor_id, action, target, outcome, times)"
            " VALUES (?, ?, 'ban', ?, 'ok', 1)",
            (at_, COORDINATOR_ID, target),
        )
    clock.travel(datetime(2027, 1, 1, 12, tzinfo=UTC))
    log = (await sandbox.user(COORDINATOR_ID, "Kerstin").send("/audit 2")).text
    lines = {line.split(" · ")[0] for line in log.splitlines()[1:]}
    assert lines == {"29 mars 2026 kl. 03.00", "1 jan kl. 00.01"}, log
    assert re.search(r"\d{4}-\d{2}-\d{2}|\d:\d{2}:\d{2}", log) is None, log


async def test_tipstatus_shows_the_local_day(sandbox: Sandbox, bot, db_path):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    _, full_ref = await send_tip_refs(sandbox, RESIDENT, "stöld Cykel stulen vid stationen")
    # Changed one minute after local midnight: the next day in Sweden, still the 29th in UTC.
    await write(db_path, "UPDATE tips SET updated_at = '2026-11-29T23:01:00Z'")
    resident = sandbox.user(RESIDENT, "Boende")
    clock.travel(datetime(2026, 12, 2, 10, tzinfo=UTC))
    assert "(senast ändrad mån 30 nov)" in (await resident.send(f"/tipstatus {full_ref}")).text
    clock.travel(datetime(2026, 11, 30, 10, tzinfo=UTC))
    assert "(senast ändrad i dag)" in (await resident.send(f"/tipstatus {full_ref}")).text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_weekdays_it_writes_are_ones_a_reminder_reads(lang: str) -> None:
    monday = date(2026, 11, 23)
    for offset in range(7):
        written = dates.day(date.fromordinal(monday.toordinal() + offset), lang).split()[0]
        assert parse_when(["weekly", written, "18:30"]).weekday == offset, written
