"""Fair handling of incoming updates, the same in polling and in webhook mode.

- Updates from one chat are handled strictly in the order Telegram sent them, so that a
  conversation never sees its steps out of order; updates from different chats are handled
  concurrently, so that no chat waits for another chat's slow handler or for the rest of a
  batch.
- At most ``chats_at_once`` chats are handled at a time (beyond a few dozen, more only makes
  the HTTP connection pool slower). An update waiting for its chat's turn holds no such place.
- A flood guard drops a user's updates past a burst (default 20 in 10 s) before any handler
  runs, with one short notice per burst; the other users are not affected. A dropped update
  counts as handled.
- Whoever hands an update over (``bot/polling.py``, ``bot/webhook.py``) gets a future that
  says when it has been handled, and confirms it to Telegram only then.

PTB's extension point for this is :class:`~telegram.ext.BaseUpdateProcessor`, given to
``ApplicationBuilder().concurrent_updates()``. Updates still travel PTB's own way (its update
queue, ``Application.process_update``, persistence marks); the processor decides when each
one may run. Its ``process_update`` is final and holds PTB's semaphore around
``do_process_update``, so updates waiting for their turn would sit on those slots: PTB's bound
is therefore set far above the number of updates that can ever be in hand (getUpdates hands
out at most 100 unconfirmed updates, a webhook has at most ``max_connections`` requests
open), and the real bound is ours, taken only when it is the chat's turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

from bot.texts import LANGUAGES, t
from storage import participants as people

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger(__name__)

CHATS_AT_ONCE = 32
# PTB's own bound: never reached, see the module docstring.
PTB_BOUND = 4096
FLOOD_BURST = 20
FLOOD_SECONDS = 10.0


class Verdict(enum.Enum):
    ACCEPT = "accept"
    DROP = "drop"
    DROP_AND_NOTIFY = "drop and notify"


class FloodGuard:
    """Per user: at most ``burst`` updates in any ``seconds`` seconds. Dropped updates count
    too, so a user who keeps sending fast stays slowed down until they pause; the first drop
    of a burst asks for a notice, the following ones do not. ``burst=0`` turns it off."""

    _PRUNE_EVERY = 1000

    def __init__(
        self,
        burst: int = FLOOD_BURST,
        seconds: float = FLOOD_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.seconds = seconds
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}
        self._noticed: set[int] = set()
        self._checks = 0

    def check(self, user_id: int | None) -> Verdict:
        if user_id is None or self.burst <= 0:
            return Verdict.ACCEPT
        now = self._clock()
        self._checks += 1
        if self._checks % self._PRUNE_EVERY == 0:
            self._prune(now)
        recent = self._recent.get(user_id)
        if recent is None:
            recent = self._recent[user_id] = deque(maxlen=self.burst)
        over = len(recent) == self.burst and now - recent[0] < self.seconds
        recent.append(now)
        if not over:
            self._noticed.discard(user_id)
            return Verdict.ACCEPT
        if user_id in self._noticed:
            return Verdict.DROP
        self._noticed.add(user_id)
        return Verdict.DROP_AND_NOTIFY

    def _prune(self, now: float) -> None:
        # Users who have been quiet for a whole window need no memory.
        quiet = [uid for uid, recent in self._recent.items() if now - recent[-1] >= self.seconds]
        for uid in quiet:
            del self._recent[uid]
            self._noticed.discard(uid)


def chat_key(update: Update) -> Hashable:
    """What must be handled in order: the chat (a private chat's id is its user's id, so a
    user's inline queries line up with their private chat), else the user, else nothing."""
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    if user is not None:
        return user.id
    return ("update", update.update_id)


@dataclass(eq=False, slots=True)
class _Ticket:
    update_id: int
    chat: Hashable
    done: asyncio.Future[bool]
    turn: asyncio.Event = field(default_factory=asyncio.Event)
    runner: asyncio.Task | None = None
    started: bool = False
    abandoned: bool = False


class FairUpdates(BaseUpdateProcessor):
    """The update processor of the bot; see the module docstring. :meth:`attach` it to the
    application it was built into, then hand updates over with :meth:`submit`."""

    def __init__(
        self,
        *,
        chats_at_once: int = CHATS_AT_ONCE,
        flood: FloodGuard | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates=PTB_BOUND)
        self.chats_at_once = chats_at_once
        self.flood = flood if flood is not None else FloodGuard()
        self._notice: Callable[[Update], Awaitable[Any]] | None = None
        self._slots = asyncio.Semaphore(chats_at_once)
        self._tickets: dict[int, _Ticket] = {}
        self._chats: dict[Hashable, deque[_Ticket]] = {}
        self._application: Application | None = None
        self._stopping = False

    def attach(
        self,
        application: Application,
        on_drop_notice: Callable[[Update], Awaitable[Any]] | None = None,
    ) -> None:
        """Bind to the application whose update queue and handlers are used; the flood
        guard's notice is sent with ``on_drop_notice``."""
        self._application = application
        self._notice = on_drop_notice

    @property
    def in_hand(self) -> int:
        """Updates handed over and not yet handled (or given up)."""
        return len(self._tickets)

    def submit(self, update: Update) -> asyncio.Future[bool]:
        """Hand an update over. The future turns True once it has been handled (or dropped by
        the flood guard) and False if it was given up at a stop (it was not handled, so it
        must not be confirmed). An update already in hand (Telegram sent it again) is not
        handled twice: the future of the first copy is returned."""
        ticket = self._tickets.get(update.update_id)
        if ticket is not None:
            return ticket.done
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        if self._stopping or self._application is None:
            done.set_result(False)
            return done
        user = update.effective_user
        verdict = self.flood.check(user.id if user is not None else None)
        if verdict is not Verdict.ACCEPT:
            if verdict is Verdict.DROP_AND_NOTIFY:
                log.info("a user sends faster than the flood guard allows; updates dropped")
                self._application.create_task(self._notify(update), name="flood notice")
            done.set_result(True)
            return done
        ticket = _Ticket(update.update_id, chat_key(update), done)
        self._tickets[ticket.update_id] = ticket
        line = self._chats.setdefault(ticket.chat, deque())
        line.append(ticket)
        if len(line) == 1:
            ticket.turn.set()
        self._application.update_queue.put_nowait(update)
        return done

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        ticket = self._tickets.get(update.update_id) if isinstance(update, Update) else None
        if ticket is None or ticket.runner is not None:
            # Not handed over through submit(): handled as PTB would.
            await coroutine
            return
        ticket.runner = asyncio.current_task()
        handled = False
        try:
            await ticket.turn.wait()
            if not ticket.abandoned:
                async with self._slots:
                    if not ticket.abandoned:
                        ticket.started = True
                        try:
                            await coroutine
                        except Exception:
                            # Handlers' errors reach the error handler inside PTB; this is a
                            # failure around it, and must not hold up the chat's next update.
                            log.exception("an update could not be processed")
                        handled = True
        finally:
            if not ticket.started:
                coroutine.close()  # type: ignore[attr-defined]
            self._finish(ticket, handled)

    def _finish(self, ticket: _Ticket, handled: bool) -> None:
        if self._tickets.get(ticket.update_id) is ticket:
            del self._tickets[ticket.update_id]
        line = self._chats.get(ticket.chat)
        if line is not None:
            with contextlib.suppress(ValueError):
                line.remove(ticket)
            if line:
                line[0].turn.set()
            else:
                del self._chats[ticket.chat]
        if not ticket.done.done():
            ticket.done.set_result(handled)

    async def drain(self, grace: float) -> None:
        """Stop taking updates; let those being handled finish (up to ``grace`` seconds, then
        cancel them); give up those still waiting for their turn. Given-up updates are not
        confirmed, so Telegram hands them out again after the restart."""
        self._stopping = True
        running = []
        for ticket in list(self._tickets.values()):
            if ticket.started:
                running.append(ticket)
                continue
            # Whether it waits for its turn or is still in PTB's queue, when it gets to
            # do_process_update it finds itself given up.
            ticket.abandoned = True
            ticket.done.set_result(False)
            ticket.turn.set()
        if running:
            futures = [ticket.done for ticket in running]
            _, late = await asyncio.wait(futures, timeout=grace)
            for ticket in running:
                if ticket.done in late and ticket.runner is not None:
                    log.warning("an update was still being handled at the stop; it comes again")
                    ticket.runner.cancel()
            if late:
                await asyncio.wait(late, timeout=1.0)

    async def _notify(self, update: Update) -> None:
        if self._notice is not None:
            try:
                await self._notice(update)
            except TelegramError as exc:
                log.warning("the flood notice could not be sent: %s", exc.message)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close: :meth:`drain` has ended every update in hand."""


def flood_notice(application: Application) -> Callable[[Update], Awaitable[Any]]:
    """The one short notice a flooding user gets, in their language."""

    async def notify(update: Update) -> None:
        services = application.bot_data["services"]
        lang = services.settings.municipality.language
        user = update.effective_user
        if user is not None:
            participant = await people.participant(services.db, user.id)
            if participant is not None and participant.language in LANGUAGES:
                lang = participant.language
        chat = update.effective_chat
        chat_id = chat.id if chat is not None else user.id
        await application.bot.send_message(chat_id, t(lang, "flood_notice"))

    return notify
