"""The bot's notion of "now", in one place so that tests and the demo can move it.

Scheduling code asks :func:`now` instead of ``datetime.now``; jobs are registered with a delay
computed from it, so moving the clock (before the schedule is registered) moves every
reminder and summary with it. Production never touches it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
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


def today() -> str:
    """The municipality's local date as ``YYYY-MM-DD``. Consent, joins and sign-up events are
    stored as this and nothing finer: a time to the second could tie a new resident to an
    anonymous tip sent at the same moment."""
    return now().astimezone(_zone).date().isoformat()


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
