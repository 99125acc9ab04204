"""Fault injection for the sandbox: latency, scripted failures and random failures."""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Fault", "Faults"]

_DROPS = ("drop", "drop_after")
# the error statuses the Bot API answers with; others are turned into 400 by its server
_STATUSES = frozenset({400, 401, 403, 404, 409, 429, *range(500, 600)})
_PREFIXES = {400: "Bad Request", 403: "Forbidden", 409: "Conflict"}
_DEFAULTS = {
    400: "chat not found",
    403: "bot was blocked by the user",
    409: "terminated by other getUpdates request; make sure that only one bot instance is running",
}
_FIXED = {401: "Unauthorized", 404: "Not Found"}
_SERVER_TEXT = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(slots=True)
class Fault:
    """What to do instead of (or, for "drop_after", after) handling a request."""

    status: int | str  # HTTP status, "drop" or "drop_after"
    retry_after: int = 1
    chat_id: int | None = None
    count: int = 1
    description: str | None = None

    def error_text(self) -> str:
        """The description Telegram would give for this status: 400, 403 and 409 carry
        their prefix ("Bad Request: ...") before the given or a typical description; 401,
        404 and 429 have fixed texts; 5xx keep a given description."""
        status = int(self.status)
        if status == 429:
            return f"Too Many Requests: retry after {self.retry_after}"
        if status in _FIXED:
            return _FIXED[status]
        if status in _PREFIXES:
            return _prefixed(_PREFIXES[status], self.description or _DEFAULTS[status])
        return self.description or _SERVER_TEXT.get(status, "Internal Server Error")


def _prefixed(prefix: str, description: str) -> str:
    """Prefix a description like the Bot API server does (Client.cpp,
    fail_query_with_error): kept if already prefixed; otherwise "Prefix: " and the text
    with its first letter lowered, unless it is an error code such as BUTTON_DATA_INVALID."""
    if description.startswith(prefix):
        return description
    if len(description) >= 2 and (description[1] == "_" or description[1].isupper()):
        return f"{prefix}: {description}"
    return f"{prefix}: {description[:1].lower()}{description[1:]}"


@dataclass(slots=True)
class _Rates:
    p_5xx: float
    p_drop: float
    p_429: float
    retry_after: int


def _key(method: str) -> str:
    # Bot API method names are case-insensitive; "*" matches every method.
    return method.lower()


class Faults:
    """Failure knobs for every Bot API method, getUpdates and answerCallbackQuery included.
    Faulted requests have no side effect, except ``status="drop_after"``, which handles the
    request normally and then closes the connection without answering.

    ``latency`` is added to every request, ``method_latency[name]`` on top of it for one
    method. Method names are case-insensitive and ``"*"`` means every method; a fault for
    the method itself is used before one for ``"*"``.
    """

    def __init__(self) -> None:
        self.latency: float = 0.0
        self.method_latency: dict[str, float] = {}
        self._scripted: dict[str, list[Fault]] = {}
        self._rates: dict[str, _Rates] = {}
        self._random = random.Random(0)

    def seed(self, n: int) -> None:
        """Make the random faults reproducible."""
        self._random.seed(n)

    def fail_next(
        self,
        method: str = "sendMessage",
        *,
        status: int | str = 500,
        count: int = 1,
        retry_after: int = 1,
        chat_id: int | None = None,
        description: str | None = None,
    ) -> None:
        """Fail the next ``count`` calls of ``method`` (optionally only those to ``chat_id``).

        ``status`` is an error status the Bot API uses (400, 401, 403, 404, 409, 429, 5xx),
        "drop" (close the connection, no side effect) or "drop_after" (do the work, then
        close the connection). The answer reads like Telegram's: ``description`` gets the
        status's prefix if it lacks it (400 ``"message to edit not found"`` becomes
        ``"Bad Request: message to edit not found"``); without one, 400 says
        "Bad Request: chat not found" and 403 "Forbidden: bot was blocked by the user".
        429 carries ``retry_after`` in ``parameters``.
        """
        if isinstance(status, str):
            if status not in _DROPS:
                raise ValueError(f"status must be an int, 'drop' or 'drop_after', not {status!r}")
        elif status not in _STATUSES:
            raise ValueError(f"the Bot API never answers with status {status}")
        if count < 1:
            raise ValueError("count must be at least 1")
        self._scripted.setdefault(_key(method), []).append(
            Fault(
                status,
                retry_after=retry_after,
                chat_id=chat_id,
                count=count,
                description=description,
            )
        )

    def rates(
        self,
        method: str = "sendMessage",
        p_5xx: float = 0.0,
        p_drop: float = 0.0,
        p_429: float = 0.0,
        retry_after: int = 1,
    ) -> None:
        """Fail calls of ``method`` at random with these probabilities (5xx is a 502)."""
        if min(p_5xx, p_drop, p_429) < 0 or p_5xx + p_drop + p_429 > 1:
            raise ValueError("probabilities must be >= 0 and sum to at most 1")
        if p_5xx == p_drop == p_429 == 0:
            self._rates.pop(_key(method), None)
        else:
            self._rates[_key(method)] = _Rates(p_5xx, p_drop, p_429, retry_after)

    def clear(self) -> None:
        """Remove all faults and latency (the random seed is kept)."""
        self.latency = 0.0
        self.method_latency.clear()
        self._scripted.clear()
        self._rates.clear()

    def delay(self, method: str) -> float:
        """Seconds to hold a request of ``method`` before handling it."""
        if not self.method_latency:
            return self.latency
        key = _key(method)
        extra = self.method_latency.get("*", 0.0)
        for name, value in self.method_latency.items():
            if name.lower() == key:
                extra += value
        return self.latency + extra

    def pick(self, method: str, chat_id: int | None) -> Fault | None:
        """Consume and return the fault for this request, if any."""
        if self._scripted:
            key = _key(method)
            for name in (key, "*"):
                queue = self._scripted.get(name)
                if not queue:
                    continue
                for index, fault in enumerate(queue):
                    if fault.chat_id is not None and fault.chat_id != chat_id:
                        continue
                    fault.count -= 1
                    if fault.count <= 0:
                        del queue[index]
                    return fault
        if self._rates:
            key = _key(method)
            rates = self._rates.get(key) or self._rates.get("*")
            if rates is not None:
                roll = self._random.random()
                if roll < rates.p_5xx:
                    return Fault(502)
                roll -= rates.p_5xx
                if roll < rates.p_drop:
                    return Fault("drop")
                roll -= rates.p_drop
                if roll < rates.p_429:
                    return Fault(429, retry_after=rates.retry_after)
        return None

    def describe(self) -> dict:
        """Current configuration as JSON-friendly data."""
        return {
            "latency": self.latency,
            "method_latency": dict(self.method_latency),
            "fail_next": {
                name: [
                    {
                        "status": f.status,
                        "count": f.count,
                        "retry_after": f.retry_after,
                        "chat_id": f.chat_id,
                        "description": f.description,
                    }
                    for f in queue
                ]
                for name, queue in self._scripted.items()
                if queue
            },
            "rates": {
                name: {
                    "p_5xx": r.p_5xx,
                    "p_drop": r.p_drop,
                    "p_429": r.p_429,
                    "retry_after": r.retry_after,
                }
                for name, r in self._rates.items()
            },
        }
