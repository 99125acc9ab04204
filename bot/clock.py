"""The bot's notion of "now", in one place so that tests and the demo can move it.

Every wall-clock time the bot stores, compares or shows comes from :func:`now`, never from
``datetime.now``: jobs are registered with a delay computed from it, so moving the clock
(before the schedule is registered) moves every reminder and summary with it, and rows
written meanwhile carry the moved time. Production never moves it. Timers for rates and
timeouts measure durations, not dates, and use ``time.monotonic``.

Two forms leave this module: :func:`stamp`, the stored form of a moment, and
:func:`local_date` / :func:`today`, the municipality's calendar day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

_offset = timedelta(0)
_frozen: datetime | None = None
# The municipality's zone, for the dates stored about residents; set from the configuration
# when the application is built. The default is the configuration's own default.
_zone: tzinfo = ZoneInfo("Europe/Stockholm")


def now() -> datetime:
    """The current time as an aware UTC datetime."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def use_zone(zone: tzinfo) -> None:
    """The zone whose calendar :func:`today` follows."""
    global _zone
    _zone = zone


def zone() -> tzinfo:
    """The municipality's zone, the one its residents read times in."""
    return _zone


def local_date(moment: datetime | None = None) -> date:
    """The municipality's calendar day at ``moment`` (an aware datetime), by default now."""
    return (now() if moment is None else moment).astimezone(_zone).date()


def today() -> str:
    """The municipality's local date as ``YYYY-MM-DD``. Consent, joins and sign-up events are
    stored as this and nothing finer: a time to the second could tie a new resident to an
    anonymous tip sent at the same moment."""
    return local_date().isoformat()


STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def stamp(moment: datetime | None = None) -> str:
    """The stored form of ``moment`` (an aware datetime), by default now: ISO 8601 in UTC to
    the second with a ``Z``, so that the text sorts as time and reads in any SQLite tool."""
    return (now() if moment is None else moment).astimezone(UTC).strftime(STAMP_FORMAT)


def parse_stamp(text: str) -> datetime:
    """The aware UTC datetime of a stored :func:`stamp`."""
    return datetime.strptime(text, STAMP_FORMAT).replace(tzinfo=UTC)


def travel(to: datetime) -> None:
    """From here on, time runs normally but starts at ``to`` (an aware datetime)."""
    global _offset, _frozen
    _frozen = None
    _offset = _aware(to) - datetime.now(UTC)


def freeze(at: datetime) -> None:
    """Stop the clock at ``at`` until :func:`travel`, :func:`advance` or :func:`reset`."""
    global _frozen
    _frozen = _aware(at).astimezone(UTC)


def advance(delta: timedelta) -> None:
    """Move the clock forward, frozen or not."""
    global _offset, _frozen
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta


def reset() -> None:
    """Back to the real time."""
    global _offset, _frozen
    _offset = timedelta(0)
    _frozen = None


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("the clock needs an aware datetime")
    return value
