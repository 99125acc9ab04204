"""Webhook mode: a small aiohttp server that answers Telegram's POST only once the update has
been handled.

Telegram deletes an update from its queue when the webhook answers 2xx, and sends it again
later otherwise. PTB's own webhook server answers before the handlers run, so a crash loses
the updates in hand; here each request waits (at most ``handled_within`` seconds) until
:class:`~bot.updates.FairUpdates` has handled its update. A request that waited too long, or
came in while the bot stops, is answered 503 and Telegram sends the update again; a copy
that arrives while the first is still being handled waits for that one instead of running
the handlers twice.

Telegram itself sends the updates of one chat one after the other (the next only after the
previous was answered) and those of different chats over up to ``max_connections``
connections at once, so answering after handling costs a chat nothing and the other chats
nothing.
"""

from __future__ import annotations

import asyncio
import hmac
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.updates import FairUpdates

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_CONNECTIONS = 40  # Telegram's default; at most this many updates in hand at once
HANDLED_WITHIN = 50.0  # seconds a request waits for its update before Telegram is asked to retry


class WebhookServer:
    def __init__(
        self,
        application: Application,
        updates: FairUpdates,
        *,
        listen: str,
        port: int,
        path: str,
        secret: str,
        handled_within: float = HANDLED_WITHIN,
    ) -> None:
        self.application = application
        self.updates = updates
        self.listen = listen
        self.port = port
        self.path = "/" + path.lstrip("/")
        if not secret:
            raise ValueError("a webhook without a secret would accept forged updates")
        self._secret = secret.encode()
        self.handled_within = handled_within
        self._runner: web.AppRunner | None = None
        self._stopping = False

    async def start(self) -> None:
        """Listen for Telegram's requests; the caller registers the webhook afterwards."""
        app = web.Application()
        app.router.add_post(self.path, self._receive)
        # The whole wait of a request is bounded by handled_within, so a short shutdown
        # timeout is enough once drain() has ended every update in hand.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.listen, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner

    async def stop(self, grace: float = 8.0) -> None:
        """Refuse new requests, let the updates in hand finish (up to ``grace`` seconds),
        then close the server. Requests whose update was not handled are answered 503."""
        self._stopping = True
        await self.updates.drain(grace)
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("a webhook request without the right secret was refused")
            return web.Response(status=403)
        if self._stopping or self.updates.in_hand >= 2 * MAX_CONNECTIONS:
            return web.Response(status=503)
        try:
            data = await request.json()
        except ValueError:
            log.warning("a webhook request without a JSON body was refused")
            return web.Response(status=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            log.warning("a webhook request without an update_id was refused")
            return web.Response(status=400)
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception:
            # Answered 200 all the same: Telegram would send it again and again, and the
            # chat's next updates wait behind it.
            log.warning("an update from the webhook could not be parsed; it is skipped")
            return web.Response(status=200)
        handled = self.updates.submit(update)
        try:
            done = await asyncio.wait_for(asyncio.shield(handled), self.handled_within)
        except TimeoutError:
            return web.Response(status=503)
        return web.Response(status=200 if done else 503)
