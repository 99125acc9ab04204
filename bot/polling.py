"""Long polling that confirms an update to Telegram only after it has been handled.

PTB's Updater confirms each batch of updates (by asking for the next one) before the
handlers have run, so a crash loses whatever was fetched but not yet handled — a resident's
tip among them. Here a batch is handled first and confirmed with the next getUpdates call;
after a crash Telegram hands out the unconfirmed updates again. Updates are therefore handled
at least once: only the batch that was being handled at the moment of a crash can be seen
twice.

Within a batch, updates from different chats are handled concurrently (a few chats at a time:
more only makes the HTTP connection pool slower) and updates from the same chat strictly in
order, so a conversation never sees its steps out of order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.tgbot import retry_after_seconds

log = logging.getLogger(__name__)

BATCH = 100  # Telegram's maximum
MAX_BACKOFF = 30.0
CHATS_AT_ONCE = 8


class Poller:
    def __init__(self, application: Application, *, timeout: float = 10.0) -> None:
        self.application = application
        self.timeout = timeout
        self._offset: int | None = None
        self._task: asyncio.Task | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="poller")

    async def stop(self, grace: float = 8.0) -> None:
        """Let the batch in hand finish (up to ``grace`` seconds), then stop and confirm
        everything that was handled."""
        if self._task is None:
            return
        self._stopping = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._offset is not None:
            # Confirm the last handled batch; updates returned here are not confirmed.
            with contextlib.suppress(TelegramError):
                await self.application.bot.get_updates(offset=self._offset, timeout=0, limit=1)

    async def _run(self) -> None:
        backoff = 1.0
        bot = self.application.bot
        while True:
            try:
                updates = await bot.get_updates(
                    offset=self._offset,
                    timeout=self.timeout,
                    limit=BATCH,
                    allowed_updates=Update.ALL_TYPES,
                )
            except RetryAfter as exc:
                await asyncio.sleep(retry_after_seconds(exc))
                continue
            except InvalidToken:
                log.critical("Telegram does not accept the bot token; polling stops")
                raise
            except TelegramError as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(MAX_BACKOFF, backoff * 2)
                continue
            backoff = 1.0
            if self._stopping:
                return  # fetched but not handled: not confirmed, so they come again
            if not updates:
                continue
            self._idle.clear()
            try:
                await self._handle(updates)
            finally:
                self._offset = updates[-1].update_id + 1
                self._idle.set()

    async def _handle(self, updates: tuple[Update, ...]) -> None:
        by_chat: dict[object, list[Update]] = defaultdict(list)
        for update in updates:
            chat = update.effective_chat
            user = update.effective_user
            key = chat.id if chat else user.id if user else ("update", update.update_id)
            by_chat[key].append(update)
        slots = asyncio.Semaphore(CHATS_AT_ONCE)

        async def chat_in_order(batch: list[Update]) -> None:
            async with slots:
                await self._in_order(batch)

        await asyncio.gather(*(chat_in_order(batch) for batch in by_chat.values()))

    async def _in_order(self, updates: list[Update]) -> None:
        for update in updates:
            try:
                await self.application.process_update(update)
            except Exception:
                # Handlers' own errors reach the error handler inside process_update; this
                # is a failure around it, and must not stop the other updates.
                log.exception("update %s could not be processed", update.update_id)
