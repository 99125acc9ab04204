"""A brake on guessing: lookups by something secret-ish that a person types (a tip reference
with its check part, an invite code) allow a few misses per user, then stop looking anything
up for a while. Successes do not count, and they do not wipe earlier misses either: otherwise
someone could look up their own tip between guesses and never be stopped.

Kept in memory on purpose. A counter in the database would write a row for every guess
(another way to fill the disk) and would keep, next to a user id, a trace of which lookups
they tried. Here the only trace is a few timestamps per user id, forgotten after the window
or at a restart; a restart is not something a guesser can cause, and it only gives them one
more window's worth of tries."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, MutableMapping
from typing import Any

MAX_MISSES = 5
WINDOW = 15 * 60  # seconds
# Above this many tracked users, the next miss first drops everyone whose misses have all
# expired, so that many accounts guessing once each cannot grow the table without bound.
SWEEP_AT = 10_000

TIPSTATUS = "guesses_tipstatus"  # bot_data keys: one limit per kind of lookup
REDEEM = "guesses_redeem"


class GuessLimit:
    """At most ``misses`` noted events (failed lookups; see also tips.HourlyLimit) per user in
    any rolling ``window`` seconds."""

    def __init__(
        self,
        misses: int = MAX_MISSES,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.misses = misses
        self.window = window
        self._clock = clock
        self._missed: dict[int, deque[float]] = {}

    def _recent(self, user_id: int, now: float) -> deque[float]:
        missed = self._missed.get(user_id)
        if missed is None:
            return deque()
        while missed and now - missed[0] >= self.window:
            missed.popleft()
        if not missed:
            del self._missed[user_id]
        return missed

    def wait_seconds(self, user_id: int) -> float:
        """0 when the user may look something up now, else the seconds until they may."""
        now = self._clock()
        missed = self._recent(user_id, now)
        if len(missed) < self.misses:
            return 0.0
        return self.window - (now - missed[-self.misses])

    def wait_minutes(self, user_id: int) -> int:
        """:meth:`wait_seconds` in whole minutes, rounded up: what the user is told."""
        return max(1, math.ceil(self.wait_seconds(user_id) / 60))

    def miss(self, user_id: int) -> bool:
        """Note a failed lookup; True when this miss used up the user's last try."""
        now = self._clock()
        if len(self._missed) >= SWEEP_AT:
            for other in list(self._missed):
                self._recent(other, now)
        missed = self._recent(user_id, now)
        if not missed:
            missed = self._missed[user_id] = deque()
        missed.append(now)
        return len(missed) >= self.misses

    def tracked(self) -> int:
        """How many users have misses on record (for tests of the sweep)."""
        return len(self._missed)


def limit_in(store: MutableMapping[str, Any], key: str) -> GuessLimit:
    """The application's limit for one kind of lookup, made on first use."""
    limit = store.get(key)
    if limit is None:
        limit = store[key] = GuessLimit()
    return limit
