"""Start and stop the whole bot: database, migrations, seeded areas, PTB application, updates
(polling or webhook). Used alike by `python -m bot run`, the demo and the tests.

Start-up waits for Telegram: while it cannot be reached (the network is not up yet at boot)
it tries again with backoff, one log line per attempt, and serves as soon as Telegram
answers. A token Telegram rejects ends start-up with :class:`TokenRejected`. Whatever fails
during start-up, what was opened until then (database, application, outbox, webhook server)
is closed again, so the process can always exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot import groups
from bot.alerts import render
from bot.app import build_application
from bot.config import Settings, check_webhook_secret
from bot.delivery import Outbox
from bot.polling import Poller
from bot.reports import Reports
from bot.services import Services
from bot.tgbot import retry_after_seconds
from bot.updates import FairUpdates
from bot.webhook import MAX_CONNECTIONS, WebhookServer
from handlers import jobs
from handlers.menus import set_all_menus, set_descriptions
from handlers.senders import outbox_senders, report_editor
from storage.areas import seed_areas
from storage.db import Database

log = logging.getLogger(__name__)

FIRST_RETRY = 1.0
MAX_RETRY = 10.0  # a bot started before the network should serve soon after it is up
STOP_GRACE = 8.0  # seconds the updates being handled get to finish at a stop


class TokenRejected(Exception):
    """Telegram does not accept the configured bot token. Deliberately carries no text of
    Telegram's or PTB's: those can contain the token itself."""

    def __init__(self) -> None:
        super().__init__("Telegram rejected the bot token; check GRANNBOT_TELEGRAM__TOKEN")


class Grannbot:
    """A running bot. ``async with Grannbot(settings) as bot:`` starts it and stops it again."""

    def __init__(
        self,
        settings: Settings,
        *,
        poll_timeout: float = 10.0,
        first_retry: float = FIRST_RETRY,
        **outbox_options: Any,
    ) -> None:
        self.settings = settings
        self.poll_timeout = poll_timeout
        self.first_retry = first_retry
        # Tuning for tests and benchmarks (e.g. backoff); production uses the defaults.
        self.outbox_options = outbox_options
        self.db: Database | None = None
        self.application: Application | None = None
        self.source: Poller | WebhookServer | None = None
        # Set when Telegram stops accepting the token while the bot runs.
        self.token_rejected = asyncio.Event()
        self._opened = contextlib.AsyncExitStack()
        self.reports: Reports | None = None

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    @property
    def updates(self) -> FairUpdates:
        return self.application.update_processor  # type: ignore[return-value]

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        settings = self.settings
        opened = self._opened
        if settings.telegram.mode == "webhook":
            # Before anything opens: a weak secret lets anyone post forged updates.
            check_webhook_secret(settings.telegram.webhook_secret.get_secret_value())
        self.db = await Database.open(settings.database.path)
        opened.push_async_callback(self._close_database)
        seeds = [(a.code, a.name, list(a.postcodes)) for a in settings.areas]
        if seeds:
            await seed_areas(self.db, seeds)
        self.application = build_application(Services(settings, self.db))
        opened.push_async_callback(self._shut_down_application)
        await self._reach_telegram()
        await self.application.initialize()
        await set_all_menus(self.application)
        await set_descriptions(self.application)
        await self.application.start()
        opened.push_async_callback(self.application.stop)
        await self._start_outbox()
        opened.push_async_callback(self.services.outbox.stop)
        # Reminders, the weekly summary, retention, idle flows: missed runs first.
        await jobs.start(self.application)
        # Updates last, once everything their handlers need is running.
        await self._start_updates()
        log.info("Grannbot started (%s) for %s", settings.telegram.mode, settings.municipality.name)

    async def _reach_telegram(self) -> None:
        """Ask Telegram who the bot is until it answers; retry while it cannot be reached."""
        bot = self.application.bot
        delay = self.first_retry
        attempt = 1
        while True:
            try:
                await bot.initialize()
                return
            except InvalidToken:
                raise TokenRejected() from None
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                reason = "asks to wait"
            except TelegramError as exc:
                wait = delay
                delay = min(MAX_RETRY, delay * 2)
                reason = f"cannot be reached ({exc.message})"
            log.warning(
                "Telegram %s; start-up attempt %d, trying again in %.0f s", reason, attempt, wait
            )
            attempt += 1
            await asyncio.sleep(wait)

    async def _start_outbox(self) -> None:
        services = self.services
        broadcast = self.settings.broadcast
        bot = self.application.bot
        self.reports = reports = Reports(services, report_editor(bot))
        await reports.start()
        self._opened.push_async_callback(reports.stop)
        services.outbox = Outbox(
            services.db,
            outbox_senders(services, bot, reports),
            render,
            messages_per_second=broadcast.messages_per_second,
            group_messages_per_minute=broadcast.group_messages_per_minute,
            on_progress=reports.update,
            move_chat=functools.partial(groups.move, services),
            **self.outbox_options,
        )
        await services.outbox.start()

    async def _start_updates(self) -> None:
        telegram = self.settings.telegram
        bot = self.application.bot
        if telegram.mode == "webhook":
            server = WebhookServer(
                self.application,
                self.updates,
                listen=telegram.webhook_listen,
                port=telegram.webhook_port,
                # The reverse proxy forwards the public URL's path unchanged.
                path=urlsplit(telegram.webhook_url).path,
                secret=telegram.webhook_secret.get_secret_value(),
            )
            await server.start()
            self.source = server
            self._opened.push_async_callback(self._stop_source)
            await bot.set_webhook(
                telegram.webhook_url,
                secret_token=telegram.webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
                max_connections=MAX_CONNECTIONS,
            )
        else:
            # A webhook left over from webhook mode would make every getUpdates fail.
            await bot.delete_webhook()
            poller = Poller(
                self.application,
                self.updates,
                timeout=self.poll_timeout,
                on_token_rejected=self.token_rejected.set,
            )
            await poller.start()
            self.source = poller
            self._opened.push_async_callback(self._stop_source)

    async def stop(self) -> None:
        """Stop taking updates (those being handled get a few seconds), then close everything
        start() opened, in reverse order. Safe after a failed or partial start."""
        opened, self._opened = self._opened, contextlib.AsyncExitStack()
        await opened.aclose()

    async def _stop_source(self) -> None:
        source, self.source = self.source, None
        if source is not None:
            await source.stop(STOP_GRACE)

    async def _shut_down_application(self) -> None:
        application, self.application = self.application, None
        # shutdown() does nothing for an application that never finished initialize(); the
        # bot's HTTP sessions may be open all the same.
        await application.shutdown()
        await application.bot.shutdown()

    async def _close_database(self) -> None:
        db, self.db = self.db, None
        await db.close()
        self.reports: Reports | None = None
        log.info("Grannbot stopped")

    async def __aenter__(self) -> Grannbot:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


async def run_until_signalled(settings: Settings) -> None:
    """`python -m bot run`: serve until SIGINT or SIGTERM, then stop cleanly. A signal during
    start-up (e.g. while Telegram cannot be reached) stops it too. Raises
    :class:`TokenRejected` when Telegram does not accept the token, at start-up or later."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    bot = Grannbot(settings)
    starting = asyncio.create_task(bot.start())
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            # start() closes what it opened when it is cancelled.
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
            return
        starting.result()
        rejected = asyncio.create_task(bot.token_rejected.wait())
        try:
            await asyncio.wait({stopping, rejected}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            rejected.cancel()
            await bot.stop()
        if bot.token_rejected.is_set():
            raise TokenRejected()
    finally:
        stopping.cancel()
