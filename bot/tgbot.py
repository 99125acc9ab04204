"""The PTB bot object, hardened against updates it cannot parse."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from telegram import Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)


class GrannbotBot(ExtBot):
    """PTB parses a whole getUpdates batch at once, and one update it cannot parse stops the
    polling loop for good. When that happens the same batch is fetched again (it is not
    confirmed yet) and this time each update is checked on its own; one that does not parse
    is logged and replaced by an empty update with the same id, so that the offset still
    moves past it and the updates around it are handled normally. Good batches are parsed
    only once."""

    _check_each_update = False

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            return await super().get_updates(*args, **kwargs)
        except TelegramError:
            raise
        except Exception:
            log.warning("a batch of updates could not be parsed; checking them one by one")
        self._check_each_update = True
        try:
            return await super().get_updates(*args, **kwargs)
        finally:
            self._check_each_update = False

    async def get_update_data(
        self, *, offset: int | None, long_poll: float, limit: int, allowed_updates: list[str]
    ) -> list[Any]:
        """getUpdates without parsing the updates: the poller hands out updates it already
        has again and again until they are confirmed, and parses only the new ones (PTB
        takes about 0.2 ms of CPU per update)."""
        data: dict[str, Any] = {
            "timeout": long_poll,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        if offset is not None:
            data["offset"] = offset
        # As PTB's get_updates: the long poll's timeout comes on top of the read timeout.
        read_timeout = (self._request[0].read_timeout or 0) + long_poll
        result = await super()._post("getUpdates", data, read_timeout=read_timeout)
        return result if isinstance(result, list) else []

    async def _post(self, endpoint: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, *args, **kwargs)
        if self._check_each_update and endpoint == "getUpdates" and isinstance(result, list):
            return [_parseable(raw, self) for raw in result if _has_update_id(raw)]
        return result


def _has_update_id(raw: Any) -> bool:
    if isinstance(raw, dict) and isinstance(raw.get("update_id"), int):
        return True
    # Its content is not logged: it can name the sender.
    log.warning("dropped an update without an update_id (%s)", type(raw).__name__)
    return False


def _parseable(raw: dict, bot: ExtBot) -> dict:
    try:
        Update.de_json(raw, bot)
    except Exception as exc:
        # Without the traceback: parse errors quote the update's fields, names and ids.
        log.warning(
            "ignored update %s that could not be parsed (%s)",
            raw["update_id"],
            type(exc).__name__,
        )
        return {"update_id": raw["update_id"]}
    return raw


def retry_after_seconds(exc: RetryAfter) -> float:
    """PTB 22 gives retry_after as int seconds and warns that it will become a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
