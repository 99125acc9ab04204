"""Long polling that confirms an update to Telegram only after it has been handled.

PTB's Updater confirms each batch of updates (by asking for the next one) before the
handlers have run, so a crash loses whatever was fetched but not yet handled — a resident's
tip among them. Here every update is handed to :class:`~bot.updates.FairUpdates` as soon as
it arrives, and the offset of the next getUpdates moves only up to the lowest update that is
not handled yet: everything below it is handled, everything from it on comes again. After a
crash Telegram hands out the unconfirmed updates again, so updates are handled at least once;
only those in hand at the moment of a crash can be seen twice.

Because the offset stays at the oldest unhandled update, getUpdates returns the updates in
hand again (and returns at once instead of waiting); those are skipped, and when nothing new
came, the next call waits for an update to be handled (briefly) instead of asking again at
once. Telegram returns at most 100 updates from the offset, so one update that takes long
lets at most 99 later ones be fetched and handled meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from telegram import Update
from telegram.constants import PollingLimit
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.tgbot import retry_after_seconds
from bot.updates import FairUpdates

log = logging.getLogger(__name__)

BATCH = PollingLimit.MAX_LIMIT  # the most updates one getUpdates returns
MAX_BACKOFF = 30.0
# Nothing new came, only updates in hand: ask again once one of them is handled, or after
# this long (new updates from other chats must not wait for a slow one).
REPOLL = 0.1
# While updates are in hand every getUpdates returns at once, and returns them again: at
# most one call per this many seconds, so that a busy bot does not spend its time on them.
MIN_GAP = 0.02


class Poller:
    def __init__(
        self,
        application: Application,
        updates: FairUpdates,
        *,
        timeout: float = 10.0,
        on_token_rejected: Callable[[], None] | None = None,
    ) -> None:
        self.application = application
        self.updates = updates
        self.timeout = timeout
        self._on_token_rejected = on_token_rejected
        self._highest: int | None = None  # the newest update fetched so far
        self._unhandled: set[int] = set()  # fetched and not handled yet
        self._progress = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False

    @property
    def offset(self) -> int | None:
        """What the next getUpdates confirms: every update below it is handled."""
        if self._unhandled:
            return min(self._unhandled)
        return None if self._highest is None else self._highest + 1

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="poller")

    async def stop(self, grace: float = 8.0) -> None:
        """Stop fetching, let the updates being handled finish (up to ``grace`` seconds) and
        confirm everything that was handled."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        # aiohttp can turn the cancellation of a request into a connection error, which the
        # loop survives; it sees _stopping then, or the next cancel ends it.
        while not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        await self.updates.drain(grace)
        offset = self.offset
        if offset is not None:
            # Confirms what was handled; updates returned here are not confirmed.
            with contextlib.suppress(TelegramError):
                await self.application.bot.get_updates(offset=offset, timeout=0, limit=1)

    async def _run(self) -> None:
        backoff = 1.0
        bot = self.application.bot
        loop = asyncio.get_running_loop()
        while not self._stopping:
            self._progress.clear()
            asked = loop.time()
            try:
                batch = await bot.get_update_data(
                    offset=self.offset,
                    long_poll=self.timeout,
                    limit=BATCH,
                    allowed_updates=Update.ALL_TYPES,
                )
            except RetryAfter as exc:
                await asyncio.sleep(retry_after_seconds(exc))
                continue
            except InvalidToken:
                log.critical(
                    "Telegram no longer accepts the bot token (GRANNBOT_TELEGRAM__TOKEN); "
                    "polling stops"
                )
                if self._on_token_rejected is not None:
                    self._on_token_rejected()
                return
            except TelegramError as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc.message, backoff)
                await asyncio.sleep(backoff)
                backoff = min(MAX_BACKOFF, backoff * 2)
                continue
            backoff = 1.0
            if self._stopping:
                return  # fetched but not handed over: not confirmed, so they come again
            fresh = [
                data
                for data in batch
                if isinstance(data, dict)
                and isinstance(data.get("update_id"), int)
                and (self._highest is None or data["update_id"] > self._highest)
            ]
            for data in fresh:
                self._take(data)
            if batch and not fresh:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._progress.wait(), REPOLL)
            if self._unhandled:
                await asyncio.sleep(max(0.0, asked + MIN_GAP - loop.time()))

    def _take(self, data: dict) -> None:
        update_id = data["update_id"]
        self._highest = update_id
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception:
            # Skipped (it counts as handled): it would fail the same way every time, and the
            # updates after it must not wait for it.
            log.warning("update %s could not be parsed; it is skipped", update_id)
            return
        self._unhandled.add(update_id)
        self.updates.submit(update).add_done_callback(lambda done: self._handled(update_id, done))

    def _handled(self, update_id: int, done: asyncio.Future[bool]) -> None:
        if not done.cancelled() and done.result():
            self._unhandled.discard(update_id)
            self._progress.set()
