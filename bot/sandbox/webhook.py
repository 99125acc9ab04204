"""Webhook delivery as the Bot API server does it, for tests of a bot in webhook mode.

The webhook URL registered with setWebhook is a public https:// address (in production a
reverse proxy in front of the bot); ``target`` is where that proxy would forward to, e.g.
``http://127.0.0.1:8443/telegram``. While delivery runs, queued updates are POSTed there the
way ``telegram-bot-api``'s WebhookActor does:

- updates of one queue are sent one after the other: the next one only after the previous
  one was answered 2xx. A message's queue is its chat; a callback query's is its user;
- different queues are sent concurrently, over at most ``max_connections`` connections
  (setWebhook's parameter, default 40);
- the ``X-Telegram-Bot-Api-Secret-Token`` header carries setWebhook's ``secret_token``;
- an update is removed from the queue (``updates_pending()``) only on a 2xx answer; any other
  answer or a failed connection sends it again after ``retry_after`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Hashable
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from .server import Sandbox

__all__ = ["WebhookDelivery"]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _queue_of(update: dict) -> Hashable:
    kind = next(k for k in update if k != "update_id")
    payload = update[kind]
    if kind == "callback_query":
        return ("user", payload["from"]["id"])
    chat = payload.get("chat") if isinstance(payload, dict) else None
    if isinstance(chat, dict):
        return ("chat", chat["id"])
    return ("update", update["update_id"])


class WebhookDelivery:
    """``async with WebhookDelivery(sandbox, target):`` delivers while the block runs."""

    def __init__(self, sandbox: Sandbox, target: str, *, retry_after: float = 0.2) -> None:
        self.sandbox = sandbox
        self.target = target
        self.retry_after = retry_after
        # (update_id, HTTP status or 0 for a failed connection, sandbox seq at the answer)
        self.answers: list[tuple[int, int, int]] = []
        self._busy: set[Hashable] = set()  # queues with an update on the way
        self._not_before: dict[int, float] = {}
        self._posts: set[asyncio.Task] = set()
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> WebhookDelivery:
        self._session = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._run(), name="sandbox webhook delivery")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        tasks = [t for t in (self._task, *self._posts) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()

    async def _run(self) -> None:
        while True:
            self._dispatch()
            # Woken by a new update; the timeout brings retries due by now.
            await self.sandbox._updates_signal.wait(0.05)

    def _dispatch(self) -> None:
        webhook = self.sandbox.webhook
        if webhook is None:
            return
        limit = int(webhook.get("max_connections") or 40)
        now = time.monotonic()
        seen: set[Hashable] = set()
        for update_id, update in list(self.sandbox._updates):
            if len(self._busy) >= limit:
                return
            queue = _queue_of(update)
            if queue in seen or queue in self._busy:
                seen.add(queue)
                continue
            seen.add(queue)  # only the head of a queue may go
            if self._not_before.get(update_id, 0.0) > now:
                continue
            self._busy.add(queue)
            post = asyncio.create_task(self._post(queue, update_id, update, webhook))
            self._posts.add(post)
            post.add_done_callback(self._posts.discard)

    async def _post(self, queue: Hashable, update_id: int, update: dict, webhook: dict) -> None:
        headers = {}
        if webhook.get("secret_token"):
            headers[SECRET_HEADER] = str(webhook["secret_token"])
        status = 0
        try:
            async with self._session.post(self.target, json=update, headers=headers) as answer:
                status = answer.status
        except aiohttp.ClientError:
            pass
        finally:
            self._busy.discard(queue)
        self.answers.append((update_id, status, self.sandbox.seq))
        if 200 <= status <= 299:
            self._not_before.pop(update_id, None)
            with contextlib.suppress(ValueError):
                self.sandbox._updates.remove((update_id, update))
            self.sandbox._changed.fire()
        else:
            self._not_before[update_id] = time.monotonic() + self.retry_after
        self._dispatch()
