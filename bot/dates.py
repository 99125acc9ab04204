"""Dates and times as people read them: the one place the bot writes them for a person.

Everything shown is in the municipality's local time (:func:`bot.clock.zone` unless a zone is
given), whatever the stored form: a stored UTC stamp (:func:`bot.clock.stamp`) or an aware
datetime is converted here; a plain :class:`~datetime.date` is already a local calendar day.
Machines get ISO 8601 elsewhere (the export, the database); never from this module.

The forms, Swedish and English:

- a day, :func:`day`: "fre 27 nov" / "Fri 27 Nov", with the year when it is not this year
  ("fre 27 nov 2025");
- a moment, :func:`moment`: "29 nov kl. 20.50" / "29 Nov, 20:50";
- a time of day, :func:`time_of_day`: "kl. 20.50" / "20:50" (and :func:`clock_time`, the
  bare "20.50" / "20:50" for a text that has its own "kl.");
- a range of days, :func:`day_range`: "23–29 nov 2026", "30 nov–6 dec 2026",
  "29 dec 2025–4 jan 2026", with an en dash.

Where the words come from. Weekday and month names are CLDR's abbreviated names through
Babel ("fre", "mars", "Fri", "Nov"), so they follow the language's own conventions. How they
are arranged is ours, in the catalogues (``dates_*``), because CLDR's patterns are not the
plain-language forms the municipality writes:

- Swedish abbreviated months carry a full stop in CLDR ("27 nov."); the product writes them
  without ("27 nov"), as the municipality's texts and signs do, so the stop is dropped;
- the Swedish time of day is "kl. 20.50" with a full stop between hours and minutes, the form
  of the Swedish government's style guide (Myndigheternas skrivregler); CLDR uses a colon.
  English keeps CLDR's "20:50" (the ``Hm`` skeleton);
- CLDR's English day with a year puts a comma after the weekday ("Fri, 27 Nov 2026") and its
  ranges set thin spaces round the dash ("23 – 29 Nov"); the product writes "Fri 27 Nov 2026"
  and "23–29 Nov 2026", the same shape in both languages.

"Today" and "yesterday" (and "tomorrow") replace the date only when a caller asks
(``relative=True``), for answers read at once (``/alerts``, ``/tipstatus``): a text that
stays in a chat, such as a tip card, would go on saying "today" the next week.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, tzinfo

from babel import Locale
from babel.dates import format_skeleton, get_day_names, get_month_names

from bot import clock
from bot.texts import t

# The separator between hours and minutes where it is not CLDR's; see the module docstring.
_OWN_TIME_SEPARATOR = {"sv": "."}

# A day to show: a local calendar day (a date, or one stored as "2026-11-29"), or a moment
# (an aware datetime, or a stored stamp) whose local day is meant.
Day = date | datetime | str


def day(value: Day, lang: str, *, tz: tzinfo | None = None, relative: bool = False) -> str:
    """A calendar day with its weekday: "fre 27 nov", "Fri 27 Nov 2025"."""
    local = _local_day(value, tz)
    if relative and (word := _relative_word(local, lang, tz)) is not None:
        return word
    return _date_text(local, lang, weekday=True, year=local.year != _this_year(tz))


def moment(
    value: datetime | str,
    lang: str,
    *,
    tz: tzinfo | None = None,
    relative: bool = False,
    weekday: bool = False,
) -> str:
    """A point in time: "29 nov kl. 20.50", "29 Nov, 20:50"; with ``weekday`` for times
    ahead, where the day of the week is what people plan by ("tis 3 mars kl. 18.30")."""
    local = _local_moment(value, tz)
    when = _relative_word(local.date(), lang, tz) if relative else None
    if when is None:
        when = _date_text(local.date(), lang, weekday=weekday, year=local.year != _this_year(tz))
    return t(lang, "dates_moment", date=when, time=clock_time(local.time(), lang))


def time_of_day(value: datetime | str | time, lang: str, *, tz: tzinfo | None = None) -> str:
    """The time alone: "kl. 20.50", "20:50"."""
    local = value if isinstance(value, time) else _local_moment(value, tz).time()
    return t(lang, "dates_time", time=clock_time(local, lang))


def clock_time(value: time, lang: str) -> str:
    """Hours and minutes only, "20.50" / "20:50", for a text that says "kl." itself."""
    separator = _OWN_TIME_SEPARATOR.get(lang)
    if separator is None:
        return format_skeleton("Hm", value, locale=_locale(lang))
    return f"{value.hour:02d}{separator}{value.minute:02d}"


def day_range(first: date, last: date, lang: str) -> str:
    """Days from ``first`` to ``last``, both included, always with the year: "23–29 nov
    2026", "30 nov–6 dec 2026", "29 dec 2025–4 jan 2026"."""
    if last < first:
        raise ValueError("a range of days cannot end before it starts")
    if first == last:
        return _date_text(first, lang, weekday=False, year=True)
    months = _months(lang)
    if first.year != last.year:
        return t(
            lang,
            "dates_range",
            first=_date_text(first, lang, weekday=False, year=True),
            last=_date_text(last, lang, weekday=False, year=True),
        )
    if first.month != last.month:
        return t(
            lang,
            "dates_range_in_year",
            first=_date_text(first, lang, weekday=False, year=False),
            last=_date_text(last, lang, weekday=False, year=False),
            year=last.year,
        )
    return t(
        lang,
        "dates_range_in_month",
        first=first.day,
        last=last.day,
        month=months[last.month],
        year=last.year,
    )


# ---------------------------------------------------------------------------- pieces


def _date_text(value: date, lang: str, *, weekday: bool, year: bool) -> str:
    key = "dates_day" if weekday else "dates_date"
    return t(
        lang,
        key + ("_year" if year else ""),
        weekday=_weekdays(lang)[value.weekday()],
        day=value.day,
        month=_months(lang)[value.month],
        year=value.year,
    )


def _relative_word(value: date, lang: str, tz: tzinfo | None) -> str | None:
    offset = (value - _today(tz)).days
    key = {-1: "dates_yesterday", 0: "dates_today", 1: "dates_tomorrow"}.get(offset)
    return None if key is None else t(lang, key)


def _local_moment(value: datetime | str, tz: tzinfo | None) -> datetime:
    moment_ = clock.parse_stamp(value) if isinstance(value, str) else value
    if moment_.tzinfo is None:
        raise ValueError("a moment to show needs its zone (an aware datetime or a stamp)")
    return moment_.astimezone(tz or clock.zone())


def _local_day(value: Day, tz: tzinfo | None) -> date:
    if isinstance(value, datetime):
        return _local_moment(value, tz).date()
    if isinstance(value, date):
        return value
    if len(value) == len("2026-11-29"):
        return date.fromisoformat(value)  # stored as a local calendar day already
    return _local_moment(value, tz).date()


def _today(tz: tzinfo | None) -> date:
    return clock.now().astimezone(tz or clock.zone()).date()


def _this_year(tz: tzinfo | None) -> int:
    return _today(tz).year


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@functools.cache
def _weekdays(lang: str) -> dict[int, str]:
    """Monday = 0, as ``date.weekday``."""
    return dict(get_day_names("abbreviated", locale=_locale(lang)))


@functools.cache
def _months(lang: str) -> dict[int, str]:
    """January = 1; without CLDR's abbreviation stop ("nov." -> "nov")."""
    names = get_month_names("abbreviated", locale=_locale(lang))
    return {number: name.removesuffix(".") for number, name in names.items()}
