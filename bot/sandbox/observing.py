"""What a test sees of the sandbox: the bot's messages in a chat, and waiting for the bot,
for a message or for a quiet moment, with a deadline and a useful error when it passes."""

# ruff: noqa: ASYNC109  -- the public API takes explicit timeouts by design

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from .objects import Msg
from .params import ApiBase
from .state import _Signal


class Observing(ApiBase):
    """Part of `Sandbox`; the state it reads lives there."""

    _seq: int
    _bot_texts: dict[tuple[str, str], str]
    _changed: _Signal
    _inflight: int

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[Msg]:
        """The bot's messages in a chat, oldest first, as they currently are."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            m.snapshot() for m in chat.bot_messages.values() if include_deleted or not m.deleted
        ]

    def bot_text(self, field: str, language: str = "") -> str:
        """The bot's ``description``, ``short_description`` or ``name`` as set for
        ``language`` ("" for the text shown to every other language), "" if none is set."""
        return self._bot_texts.get((field, language), "")

    def updates_pending(self) -> int:
        """Updates the bot has not confirmed yet via getUpdates offset."""
        return len(self._updates)

    def _first_event(
        self,
        chat_id: int,
        *,
        since: int,
        after: int | None = None,
        match: Callable[[Msg], bool] | None = None,
    ) -> Msg | None:
        """Earliest bot send/edit in the chat newer than mark ``since`` (or a message with
        id > ``after``) that satisfies ``match``."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return None
        best = None
        events = chat.events
        for index in range(len(events) - 1, -1, -1):
            seq, msg, is_edit = events[index]
            is_new = not is_edit and after is not None and msg.message_id > after
            if seq <= since and not is_new:
                if after is None or (not is_edit and msg.message_id <= after):
                    break
                continue
            if not msg.deleted and (match is None or match(msg)):
                best = msg
        return best.snapshot() if best is not None else None

    def _describe_chat(self, chat_id: int) -> str:
        lines = []
        chat = self._chats.get(chat_id)
        if chat is None:
            return f"chat {chat_id} is not registered"
        if chat.undelivered:
            lines.append(chat.undelivered)
        recent = [m for m in chat.bot_messages.values() if not m.deleted][-3:]
        if recent:
            lines.append(
                "last bot messages: " + "; ".join(f"#{m.message_id} {m.text!r}" for m in recent)
            )
        failures = [
            c for c in self.calls[-200:] if c.chat_id == chat_id and c.status not in (200, -1)
        ][-3:]
        for c in failures:
            lines.append(f"failed call {c.method} -> {c.status} {c.description}")
        if self._updates:
            lines.append(f"{len(self._updates)} update(s) not yet confirmed by the bot")
        return "\n".join(lines)

    def _describe_activity(self) -> str:
        recent = self.calls[-5:]
        if not recent:
            return "the bot has made no Bot API calls"
        return "last calls: " + "; ".join(
            f"{c.method}({c.chat_id}) -> {c.status}"
            + (f" {c.description}" if c.status != 200 else "")
            for c in recent
        )

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,
        *,
        message: str | Callable[[], str] | None = None,
    ) -> None:
        """Wait until ``predicate()`` is true, re-checking whenever the server state changes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                detail = message() if callable(message) else message
                name = getattr(predicate, "__name__", repr(predicate))
                raise TimeoutError(
                    (detail or f"condition {name} not met")
                    + f" within {timeout}s\n{self._describe_activity()}"
                )
            await self._changed.wait(remaining)

    async def _wait_event(
        self,
        chat_id: int,
        since: int,
        timeout: float,
        *,
        after: int | None = None,
        match: Callable[[Msg], bool] | None = None,
        what: str = "a bot message",
    ) -> Msg:
        found: Msg | None = None

        def arrived() -> bool:
            nonlocal found
            found = self._first_event(chat_id, since=since, after=after, match=match)
            return found is not None

        await self.wait_for(
            arrived,
            timeout,
            message=lambda: f"no {what} in chat {chat_id}\n{self._describe_chat(chat_id)}",
        )
        assert found is not None
        return found

    def _idle_for(self) -> float | None:
        """Seconds the bot has looked idle, or None while it certainly is busy: a request is
        in flight, or a waiting poller has not been handed the queued updates yet."""
        if self._inflight:
            return None
        if self._polls_waiting and self._updates and self._updates[-1][0] > self._delivered_upto:
            return None
        return time.monotonic() - self._last_activity

    async def settle(self, quiet: float = 0.05, timeout: float = 1.0) -> bool:
        """Wait until the bot looks idle: no Bot API request in flight or started for ``quiet``
        seconds and every queued update handed to its poller. Returns False if that did not
        happen within ``timeout`` (e.g. a background job keeps sending).

        The bot's work is invisible to the server between two requests, so idleness can only
        be judged over a short quiet window; this is what lets a test take turns like a person.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            idle = self._idle_for()
            if idle is not None and idle >= quiet:
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            wait = remaining if idle is None else min(remaining, quiet - idle)
            await self._changed.wait(wait)

    async def wait_for_message(
        self, chat_id: int, *, after: int = 0, timeout: float = 5.0, since_seq: int | None = None
    ) -> Msg:
        """First bot message in the chat with message_id > ``after``, or the first edit made
        after the mark ``since_seq`` (default: now)."""
        since = self._seq if since_seq is None else since_seq
        return await self._wait_event(chat_id, since, timeout, after=after)
