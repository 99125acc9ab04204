"""Start and stop the whole bot: database, migrations, seeded areas, PTB application, updates
(polling or webhook). Used alike by `python -m bot run`, the demo and the tests."""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

from telegram.ext import Application

from bot import notices
from bot.alerts import Reports, render
from bot.app import build_application
from bot.config import Settings
from bot.delivery import Outbox
from bot.polling import Poller
from bot.reminders import start_schedule
from bot.services import Services
from bot.tips import schedule_retention, send_copy
from handlers.menus import set_all_menus
from storage.areas import seed_areas
from storage.db import Database

log = logging.getLogger(__name__)


class Grannbot:
    """A running bot. ``async with Grannbot(settings) as bot:`` starts it and stops it again."""

    def __init__(
        self, settings: Settings, *, poll_timeout: float = 10.0, **outbox_options: Any
    ) -> None:
        self.settings = settings
        self.poll_timeout = poll_timeout
        # Tuning for tests and benchmarks (e.g. backoff); production uses the defaults.
        self.outbox_options = outbox_options
        self.db: Database | None = None
        self.application: Application | None = None
        self.poller: Poller | None = None
        self.reports: Reports | None = None

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    async def start(self) -> None:
        settings = self.settings
        self.db = await Database.open(settings.database.path)
        seeds = [(a.code, a.name, list(a.postcodes)) for a in settings.areas]
        if seeds:
            await seed_areas(self.db, seeds)
        self.application = build_application(Services(settings, self.db))
        await self.application.initialize()
        await set_all_menus(self.application)
        telegram = settings.telegram
        if telegram.mode == "webhook":
            await self.application.updater.start_webhook(
                listen=telegram.webhook_listen,
                port=telegram.webhook_port,
                # The reverse proxy forwards the public URL's path unchanged.
                url_path=urlsplit(telegram.webhook_url).path.lstrip("/"),
                webhook_url=telegram.webhook_url,
                secret_token=telegram.webhook_secret.get_secret_value() or None,
            )
        await self.application.start()
        await self._start_outbox()
        # Reminders and the weekly summary: jobs rebuilt from the database, missed runs first.
        await start_schedule(self.application)
        # Tips past [tips] retention_days are deleted once a day (local time).
        schedule_retention(self.application)
        # Updates last, once everything their handlers need is running.
        if telegram.mode != "webhook":
            self.poller = Poller(self.application, timeout=self.poll_timeout)
            await self.poller.start()
        log.info("Grannbot started (%s) for %s", telegram.mode, settings.municipality.name)

    async def _start_outbox(self) -> None:
        services = self.services
        broadcast = self.settings.broadcast
        self.reports = reports = Reports(services, self.application.bot)
        await reports.start()
        services.outbox = Outbox(
            services.db,
            self.application.bot,
            render,
            send_tip=functools.partial(send_copy, services),
            send_notice=functools.partial(
                notices.send, services, on_sent={notices.REPORT: reports.first_sent}
            ),
            messages_per_second=broadcast.messages_per_second,
            group_messages_per_minute=broadcast.group_messages_per_minute,
            on_progress=reports.update,
            **self.outbox_options,
        )
        await services.outbox.start()

    async def stop(self) -> None:
        if self.poller is not None:
            await self.poller.stop()
            self.poller = None
        if self.application is not None and self.services.outbox is not None:
            await self.services.outbox.stop()
        if self.reports is not None:
            await self.reports.stop()
            self.reports = None
        if self.application is not None:
            if self.application.updater.running:
                await self.application.updater.stop()
            if self.application.running:
                await self.application.stop()
            await self.application.shutdown()
            self.application = None
        if self.db is not None:
            await self.db.close()
            self.db = None
        log.info("Grannbot stopped")

    async def __aenter__(self) -> Grannbot:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


async def run_until_signalled(settings: Settings) -> None:
    """`python -m bot run`: serve until SIGINT or SIGTERM, then stop cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Grannbot(settings):
        await stop.wait()
