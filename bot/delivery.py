"""The outbox worker: drains pending delivery rows within Telegram's limits and records the
outcome of each.

Every alert, notice and reminder is written to the ``deliveries`` table, every handler's
copy of a new tip to ``tip_copies``, and every single message someone relies on (a reporter's
status notice, a role change, a delivery report's first message) to ``notices``, before
anything is sent; this worker is the only thing that sends them. It drains three lanes: tip
copies and single notices (a few at a time each, never behind an alert to thousands of
residents) and alerts. All share the rates below. How a row becomes Telegram calls (an
alert's text, a tip card with its photos, a notice) is given by the Telegram side as
:class:`Senders`; this worker decides when each goes and what its outcome means. Guarantees:

* rates: overall ``messages_per_second`` (a leaky bucket of capacity one, so no 1-second
  window sees more than the rate plus one), ``group_messages_per_minute`` per group (each
  message to a group a whole period after Telegram answered the one before), and at most one
  message per second to one private chat;
* what an error means is decided by :func:`bot.retry.decide`. 429: the whole bot pauses for
  exactly ``retry_after`` (Telegram's flood limit is per bot), then the message is retried;
  network errors and 5xx are retried with exponential backoff, at most ``max_attempts``
  times; 403 and "chat not found" mark the recipient inactive; any other 400 fails the row;
* a group that became a supergroup (``ChatMigrated``): every row and link of the group moves
  to its new id, and the message is sent there at once;
* outcomes are written in batches (one transaction per ``flush_size`` rows or
  ``flush_interval`` seconds), so bookkeeping is not the bottleneck;
* after a crash, rows still pending are sent again on start-up. A recipient can therefore get
  a message twice only if it was sent but its outcome not yet written when the process died:
  at most :attr:`Outbox.duplicate_bound` messages.

One class, and so one long module, on purpose: the lanes share the rate limiter, the pause
after a 429 and the buffer of outcomes, and the guarantees above hold for all of them together.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import heapq
import logging
import time
from collections.abc import Awaitable, Callable

from aiolimiter import AsyncLimiter

from bot import clock, groups, retry
from bot.retry import Action
from storage import deliveries as outbox_rows
from storage.db import Database
from storage.deliveries import ALERT, NOTICE, TIP, Alert, Delivery, Outcome

log = logging.getLogger(__name__)

Render = Callable[[Alert, str], str]
SendAlert = Callable[[int, str], Awaitable[object]]  # chat id, the alert's rendered text
SendOne = Callable[[Delivery], Awaitable[None]]  # a tip copy or a notice
Progress = Callable[[list[int], list[int]], Awaitable[None]]
MoveChat = Callable[[int, int], Awaitable[object]]

PRIVATE_CHAT_INTERVAL = 1.0  # Telegram: about one message per second to the same chat
CONCURRENCY = 16
TIP_CONCURRENCY = 4  # a handful of handlers per tip
NOTICE_CONCURRENCY = 4  # one message per decision; a few at once keep them prompt
FLUSH_SIZE = 100
# How often a lane with notices held back until a moment looks whether one has come: the
# moment is on the bot's clock (which tests and the demo move), not on the lane's timers.
HELD_LOOK = 1.0


@dataclasses.dataclass(frozen=True, slots=True)
class Senders:
    """What sends each kind of row, given by the Telegram side (handlers/senders.py). Each
    raises what Telegram answered, for :func:`bot.retry.decide` to read; a kind without a
    sender gets no lane."""

    alert: SendAlert
    tip: SendOne | None = None
    notice: SendOne | None = None


@dataclasses.dataclass
class _Lane:
    """One source of pending rows, drained on its own so that one cannot hold up the other."""

    kind: str
    slots: asyncio.Semaphore
    wake: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    retries: list[tuple[float, int, Delivery]] = dataclasses.field(default_factory=list)  # a heap
    last_id: int = 0
    # Held notices handed out and still pending (in flight or waiting for a retry), so that
    # the next look does not hand them out again.
    held: set[int] = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class _GroupPace:
    """One group's turn. Telegram counts a message when it arrives, and the way there varies
    by some milliseconds (the overall rate, a busy machine), so the next message to a group
    waits a whole period after Telegram answered the previous one, not after it left."""

    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)
    free_at: float = 0.0


class Outbox:
    def __init__(
        self,
        db: Database,
        senders: Senders,
        render: Render,
        *,
        messages_per_second: float | None,
        group_messages_per_minute: int | None,
        on_progress: Progress | None = None,
        move_chat: MoveChat | None = None,
        concurrency: int = CONCURRENCY,
        max_attempts: int = 6,
        backoff: float = 1.0,
        flush_interval: float = 0.2,
        flush_size: int = FLUSH_SIZE,
        fetch_size: int = 500,
    ) -> None:
        self.db = db
        self.senders = senders
        self.render = render
        self.on_progress = on_progress
        self.move_chat = move_chat or functools.partial(groups.move_chat, db)
        self.max_attempts = max_attempts
        self.backoff = backoff
        self._policy = {"max_attempts": max_attempts, "backoff": backoff}
        self.flush_interval = flush_interval
        self.flush_size = flush_size
        self.fetch_size = fetch_size
        self.concurrency = concurrency
        self._rate = AsyncLimiter(1, 1 / messages_per_second) if messages_per_second else None
        self._group_period = 60 / group_messages_per_minute if group_messages_per_minute else 0
        self._group_paces: dict[int, _GroupPace] = {}
        self._next_private: dict[int, float] = {}
        self._paused_until = 0.0
        self._lanes = {ALERT: _Lane(ALERT, asyncio.Semaphore(concurrency))}
        if senders.tip is not None:
            self._lanes[TIP] = _Lane(TIP, asyncio.Semaphore(TIP_CONCURRENCY))
        if senders.notice is not None:
            self._lanes[NOTICE] = _Lane(NOTICE, asyncio.Semaphore(NOTICE_CONCURRENCY))
        self._flush_now = asyncio.Event()
        self._outcomes: list[Outcome] = []
        self._alerts: dict[int, Alert] = {}
        self._texts: dict[tuple[int, str], str] = {}
        self._sending: set[asyncio.Task] = set()
        self._tasks: list[asyncio.Task] = []

    @property
    def duplicate_bound(self) -> int:
        return self.duplicate_bound_for(self.flush_size, self.concurrency)

    @staticmethod
    def duplicate_bound_for(flush_size: int = FLUSH_SIZE, concurrency: int = CONCURRENCY) -> int:
        """The most alert messages that can be sent twice after a crash: those in flight plus
        those whose outcome was still waiting to be written (``flush_size`` triggers a write;
        up to ``concurrency`` more can finish while it runs). Tip copies and notices add at
        most ``2 * TIP_CONCURRENCY`` and ``2 * NOTICE_CONCURRENCY`` of their own."""
        return flush_size + 2 * concurrency

    async def start(self) -> None:
        """Resume whatever is pending in the database, then keep draining."""
        unfinished = await outbox_rows.unfinished_alert_ids(self.db)
        if unfinished:
            async with self.db.transaction() as tx:
                finished = await outbox_rows.finish_alerts(tx, unfinished)
            if self.on_progress:
                await self._report(unfinished, finished)
            log.info("outbox: resuming %d unfinished alert(s)", len(unfinished))
        self._tasks = [
            *(
                asyncio.create_task(self._drain(lane), name=f"outbox-{kind}")
                for kind, lane in self._lanes.items()
            ),
            asyncio.create_task(self._flusher(), name="outbox-flush"),
        ]

    def wake(self, kind: str = ALERT) -> None:
        """New rows were written: look for them now rather than at the next poll."""
        lane = self._lanes.get(kind)
        if lane is not None:
            lane.wake.set()

    async def stop(self, grace: float = 5.0) -> None:
        """Stop taking new rows, let messages in flight finish (up to ``grace`` seconds) and
        write every outcome, so that a clean stop never causes a duplicate."""
        if not self._tasks:
            return
        *drains, flusher = self._tasks
        for drain in drains:
            drain.cancel()
        await asyncio.gather(*drains, return_exceptions=True)
        if self._sending:
            _, late = await asyncio.wait(self._sending, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        flusher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flusher
        await self._flush()
        self._tasks = []

    # -- draining ---------------------------------------------------------------------------

    async def _drain(self, lane: _Lane) -> None:
        while True:
            lane.wake.clear()
            dispatched = 0
            now = time.monotonic()
            while lane.retries and lane.retries[0][0] <= now:
                _, _, delivery = heapq.heappop(lane.retries)
                await self._dispatch(lane, delivery)
                dispatched += 1
            batch = await outbox_rows.pending_after(
                self.db, lane.kind, lane.last_id, self.fetch_size
            )
            if batch and lane.kind == ALERT:
                await self._load_alerts({d.subject_id for d in batch})
            for delivery in batch:
                lane.last_id = delivery.id
                await self._dispatch(lane, delivery)
                dispatched += 1
            holding = False
            if lane.kind == NOTICE:
                due, later = await outbox_rows.held_due(self.db, clock.stamp(), self.fetch_size)
                pending = {d.id for d in due}
                for delivery in due:
                    if delivery.id not in lane.held:
                        await self._dispatch(lane, delivery)
                        dispatched += 1
                lane.held = pending
                holding = later is not None
            if dispatched:
                continue
            timeout = lane.retries[0][0] - time.monotonic() if lane.retries else None
            if holding:
                timeout = HELD_LOOK if timeout is None else min(timeout, HELD_LOOK)
            # asyncio.timeout, not wait_for: in Python 3.11 wait_for can swallow a cancellation
            # that meets a wake-up, and stop() would then wait for this lane forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await lane.wake.wait()

    async def _dispatch(self, lane: _Lane, delivery: Delivery) -> None:
        await lane.slots.acquire()
        task = asyncio.create_task(self._send(lane, delivery))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _load_alerts(self, alert_ids: set[int]) -> None:
        missing = alert_ids - self._alerts.keys()
        if missing:
            self._alerts.update(await outbox_rows.alerts_by_ids(self.db, missing))

    def _text(self, delivery: Delivery) -> str:
        key = (delivery.subject_id, delivery.language)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self.render(
                self._alerts[delivery.subject_id], delivery.language
            )
        return text

    def _group_pace(self, delivery: Delivery) -> _GroupPace | None:
        if not (delivery.is_group and self._group_period):
            return None
        pace = self._group_paces.get(delivery.chat_id)
        if pace is None:
            pace = self._group_paces[delivery.chat_id] = _GroupPace()
        return pace

    async def _wait_turn(self, delivery: Delivery, pace: _GroupPace | None) -> None:
        if pace is not None:
            wait = pace.free_at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        elif not delivery.is_group:
            # Reserve this chat's next slot before awaiting, so two alerts to the same
            # resident cannot both take it.
            now = time.monotonic()
            turn = max(now, self._next_private.get(delivery.chat_id, 0.0))
            self._next_private[delivery.chat_id] = turn + PRIVATE_CHAT_INTERVAL
            if turn > now:
                await asyncio.sleep(turn - now)
            if len(self._next_private) > 10_000:
                self._next_private = {c: t for c, t in self._next_private.items() if t > now}
        if self._rate is not None:
            await self._rate.acquire()
        pause = self._paused_until - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)

    async def _send(self, lane: _Lane, delivery: Delivery) -> None:
        pace = self._group_pace(delivery)
        try:
            if pace is None:
                await self._attempt(lane, delivery, None)
                return
            async with pace.lock:
                try:
                    await self._attempt(lane, delivery, pace)
                finally:
                    pace.free_at = time.monotonic() + self._group_period
        finally:
            lane.slots.release()

    async def _attempt(self, lane: _Lane, delivery: Delivery, pace: _GroupPace | None) -> None:
        attempts = delivery.attempts + 1
        try:
            await self._wait_turn(delivery, pace)
            if delivery.kind == TIP:
                await self.senders.tip(delivery)
            elif delivery.kind == NOTICE:
                await self.senders.notice(delivery)
            else:
                await self.senders.alert(delivery.chat_id, self._text(delivery))
        except Exception as exc:
            if not retry.from_telegram(exc):
                # Something on our side (a failed read of the tip, say): retried like a network
                # error, so that no row is left pending unseen.
                log.exception("outbox: delivery %d (%s) raised", delivery.id, delivery.kind)
            await self._act(lane, delivery, attempts, retry.decide(exc, attempts, **self._policy))
        else:
            self._record(delivery, "delivered", attempts)

    async def _act(
        self, lane: _Lane, delivery: Delivery, attempts: int, decision: retry.Decision
    ) -> None:
        action = decision.action
        if not decision.counts:
            attempts -= 1
        if action is Action.PAUSE:
            self._paused_until = max(self._paused_until, time.monotonic() + decision.delay)
            log.warning("outbox: 429, pausing %.1fs", decision.delay)
            self._retry(lane, delivery, attempts, self._paused_until, decision.reason)
        elif action is Action.MOVE:
            await self._follow_move(lane, delivery, attempts, decision.new_chat_id)
        elif action is Action.GONE:
            # Blocked, deactivated, or a chat that is gone: the recipient is marked inactive.
            self._record(delivery, "blocked", attempts, decision.reason)
        elif action is Action.RETRY:
            at = time.monotonic() + retry.spread(decision.delay)
            self._retry(lane, delivery, attempts, at, decision.reason)
        elif action is Action.DONE:
            self._record(delivery, "delivered", attempts)
        else:
            log.error(
                "outbox: delivery %d failed on try %d: %s",
                delivery.id,
                attempts,
                decision.reason,
            )
            self._record(delivery, "failed", attempts, decision.reason)

    async def _follow_move(
        self, lane: _Lane, delivery: Delivery, attempts: int, new_chat_id: int
    ) -> None:
        """The group became a supergroup: move its rows and links (its other rows on their way
        follow here too, so they need not be refused first), then send to the new id at once.
        A move is one step that cannot repeat, so the attempt limit still bounds this."""
        old_chat_id = delivery.chat_id
        if new_chat_id == old_chat_id:
            log.error("outbox: delivery %d refused: group moved", delivery.id)
            self._record(delivery, "failed", attempts, retry.MIGRATED)
            return
        try:
            await self.move_chat(old_chat_id, new_chat_id)
        except Exception:
            log.exception("outbox: moving a group's rows to its supergroup failed")
            at = time.monotonic() + retry.spread(self._backoff(attempts))
            self._retry(lane, delivery, attempts, at, "moving the group failed")
            return
        for each in self._lanes.values():
            each.retries = [
                (at, row_id, dataclasses.replace(d, chat_id=new_chat_id))
                if d.chat_id == old_chat_id
                else (at, row_id, d)
                for at, row_id, d in each.retries
            ]
        if old_chat_id in self._group_paces:
            # The group's pace carries over: it is still the same people's chat.
            self._group_paces.setdefault(new_chat_id, self._group_paces[old_chat_id])
        moved = dataclasses.replace(delivery, chat_id=new_chat_id)
        self._retry(lane, moved, attempts, time.monotonic(), "group moved to a supergroup")

    def _backoff(self, attempts: int) -> float:
        return min(retry.MAX_BACKOFF, self.backoff * 2 ** (attempts - 1))

    def _retry(self, lane: _Lane, delivery: Delivery, attempts: int, at: float, error: str) -> None:
        self._record(delivery, "pending", attempts, error)
        heapq.heappush(
            lane.retries, (at, delivery.id, dataclasses.replace(delivery, attempts=attempts))
        )
        lane.wake.set()

    def _record(self, delivery: Delivery, status: str, attempts: int, error: str | None = None):
        self._outcomes.append(
            Outcome(
                delivery.id,
                delivery.subject_id,
                delivery.chat_id,
                status,
                attempts,
                error,
                delivery.kind,
            )
        )
        if len(self._outcomes) >= self.flush_size:
            self._flush_now.set()

    # -- bookkeeping ------------------------------------------------------------------------

    async def _flusher(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.flush_interval):
                    await self._flush_now.wait()
            self._flush_now.clear()
            try:
                await self._flush()
            except Exception:
                # Outcomes stay buffered and are written on the next round.
                log.exception("outbox: writing delivery outcomes failed")

    async def _flush(self) -> None:
        if not self._outcomes:
            return
        outcomes = self._outcomes
        self._outcomes = []
        blocked = [o.chat_id for o in outcomes if o.status == "blocked"]
        alert_ids = sorted({o.subject_id for o in outcomes if o.kind == ALERT})
        try:
            async with self.db.transaction() as tx:
                await outbox_rows.record_outcomes(tx, outcomes)
                if blocked:
                    await outbox_rows.deactivate_chats(tx, blocked)
                finished = await outbox_rows.finish_alerts(tx, alert_ids) if alert_ids else []
        except BaseException:
            self._outcomes[:0] = outcomes
            raise
        for alert_id in finished:
            self._forget_alert(alert_id)
        if self.on_progress and alert_ids:
            await self._report(alert_ids, finished)

    async def _report(self, alert_ids: list[int], finished: list[int]) -> None:
        try:
            await self.on_progress(alert_ids, finished)
        except Exception:
            log.exception("outbox: updating delivery reports failed")

    def _forget_alert(self, alert_id: int) -> None:
        self._alerts.pop(alert_id, None)
        for key in [k for k in self._texts if k[0] == alert_id]:
            del self._texts[key]
