"""Flows that survive a restart: PTB's persistence interface over the bot's SQLite database.

What is kept, per user and only while it is in progress: the step a flow (a
``ConversationHandler``) is at together with its draft in ``user_data`` (an alert being
written, a tip half-way through), and plain entries such as a language chosen before consent.
Nothing else: ``bot_data`` holds live services, and chat data and callback data are not used.

- **Plain JSON, not pickles.** A draft is stored as plain values (areas by id, rebuilt from
  the database on load), so that the next version of the bot can still read it. A draft that
  cannot be read any more is dropped with a log line, never a crash.
- **Written after every update** (:func:`save_after_update`), in one transaction and only
  what changed, before the update is confirmed to Telegram (PTB alone would write every 60 s).
  A crash right after the bot answered a step does not lose the step: either it was written,
  or the update is still unconfirmed and is handled again after the restart.
- **A flow is stored with both its step and its draft, or not at all.** When the flow ends
  (Send, Cancel, timeout) its row is deleted with the update that ended it; a draft left in
  memory without its conversation, or a conversation without its draft (after /forget), is
  never written.
- **Everything expires with the flow's timeout**, counted from the user's last update. PTB's
  timeout jobs live in memory only, so rows past the timeout are dropped on load, and a sweep
  deletes them while the bot runs and ends the flows in memory too: a half-written tip may
  hold a description and a phone number, and must not stay on disk.

Long because PTB's persistence interface is one class with a method per kind of data; the
rules above apply across all of them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BasePersistence,
    ContextTypes,
    ConversationHandler,
    PersistenceInput,
)

from bot import clock
from bot.stored import StoredDraft
from storage import areas as area_rows
from storage import flows as flow_rows
from storage.areas import Area
from storage.db import Database
from storage.flows import FlowRow

log = logging.getLogger(__name__)

EXPIRY_JOB = "flow_expiry"
SWEEP_AT_MOST_EVERY = 60.0  # seconds; shorter when a flow's timeout is short (tests)


class Flow(ConversationHandler):
    """A conversation whose step and draft survive a restart. ``draft`` names the
    ``user_data`` entry that holds the flow's draft, an instance of ``draft_type``."""

    __slots__ = ("draft", "draft_type")

    def __init__(self, *args: Any, draft: str, draft_type: type[StoredDraft], **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The stored row is per user, in the chat the conversation runs in.
        if not (self.persistent and self.per_chat and self.per_user) or self.per_message:
            raise ValueError("a stored flow is persistent, per chat and per user")
        self.draft = draft
        self.draft_type = draft_type

    @property
    def timeout(self) -> float:
        value = self.conversation_timeout
        if isinstance(value, timedelta):
            return value.total_seconds()
        if not value:
            raise ValueError(f"flow {self.name} needs a conversation_timeout to expire")
        return float(value)

    def begin(self, update: Update, state: object) -> None:
        """Put the update's conversation in ``state`` from a handler outside the flow: one
        that must come after every other route (free text) and hands what it heard to the
        flow. Without PTB's timeout job, like a flow given back after a restart, the expiry
        sweep ends it if nobody answers."""
        self._update_state(state, self._get_key(update))

    def end(self, key: tuple[int, int]) -> None:
        """End the conversation as PTB's timeout would. A conversation given back after a
        restart has no timeout job, so the expiry sweep ends it."""
        self._update_state(self.END, key)


@dataclass(frozen=True, slots=True)
class _Row:
    """One flow_state row's content, compared with what is stored to skip unchanged rows."""

    chat_id: int | None
    step: str | None
    value: str


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class FlowPersistence(BasePersistence[dict, dict, dict]):
    """PTB persistence for our flows; see the module docstring. The ``update_*`` methods only
    note what changed; :meth:`flush` writes it, all in one transaction."""

    def __init__(
        self,
        db: Database,
        flows: Sequence[Flow],
        *,
        entries: Mapping[str, float] | None = None,
        update_interval: float = 60,
    ) -> None:
        """``entries``: plain ``user_data`` entries kept too, with their lifetime in
        seconds since the user's last update. Other ``user_data`` entries stay in memory."""
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db
        self._flows = {flow.name: flow for flow in flows}
        self._drafts = {flow.draft: flow for flow in flows}
        self._entries = dict(entries or {})
        if set(self._flows) & set(self._entries) or len(self._drafts) != len(self._flows):
            raise ValueError("flows and entries need distinct names")
        # What PTB last told us, serialised: user → user_data entry → JSON; user → flow →
        # (chat, step as JSON).
        self._values: dict[int, dict[str, str]] = {}
        self._steps: dict[int, dict[str, tuple[int, str]]] = {}
        # What the table holds: user → name → row content.
        self._stored: dict[int, dict[str, _Row]] = {}
        self._dirty: set[int] = set()
        self._active: set[int] = set()
        self._lock = asyncio.Lock()
        self._loaded: tuple[dict[int, dict], dict[str, dict]] | None = None

    def lifetimes(self) -> dict[str, float]:
        """Seconds each kind of row lives after the user's last update."""
        return {**{name: f.timeout for name, f in self._flows.items()}, **self._entries}

    # ------------------------------------------------------------------ loading

    async def _load(self) -> tuple[dict[int, dict], dict[str, dict]]:
        """Read the table once, at start-up: rows past their lifetime, and rows this version
        cannot read, are deleted; the others become ``user_data`` and conversation states."""
        if self._loaded is not None:
            return self._loaded
        rows = await flow_rows.all_flows(self.db)
        areas = {area.id: area for area in await area_rows.all_areas(self.db)}
        lifetimes = self.lifetimes()
        now = clock.now()
        user_data: dict[int, dict] = {}
        states: dict[str, dict] = {name: {} for name in self._flows}
        expired: list[FlowRow] = []
        unreadable: list[FlowRow] = []
        for row in rows:
            lifetime = lifetimes.get(row.name)
            if lifetime is not None and row.touched_at < flow_rows.stamp(now - _secs(lifetime)):
                expired.append(row)
                continue
            try:
                value = self._decode(row, areas)
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                # The content (and so an error's message) may be personal: only the kind of
                # flow and of error are logged.
                log.warning(
                    "dropped a stored %r flow that could not be read (%s)",
                    row.name,
                    type(exc).__name__,
                )
                unreadable.append(row)
                continue
            flow = self._flows.get(row.name)
            key = flow.draft if flow else row.name
            user_data.setdefault(row.user_id, {})[key] = value
            self._values.setdefault(row.user_id, {})[key] = row.value
            if flow is not None:
                states[row.name][(row.chat_id, row.user_id)] = json.loads(row.step)
                self._steps.setdefault(row.user_id, {})[row.name] = (row.chat_id, row.step)
            self._stored.setdefault(row.user_id, {})[row.name] = _Row(
                row.chat_id, row.step, row.value
            )
        if expired or unreadable:
            async with self.db.transaction() as tx:
                await flow_rows.delete(tx, [(r.user_id, r.name) for r in expired + unreadable])
        log.info(
            "flows: %d restored, %d past their timeout deleted, %d unreadable deleted",
            len(rows) - len(expired) - len(unreadable),
            len(expired),
            len(unreadable),
        )
        self._loaded = (user_data, states)
        return self._loaded

    def _decode(self, row: FlowRow, areas: Mapping[int, Area]) -> Any:
        value = json.loads(row.value)
        flow = self._flows.get(row.name)
        if flow is None:
            if row.name not in self._entries:
                raise ValueError("a flow this version does not know")
            return value
        if row.chat_id is None or row.step is None or json.loads(row.step) not in flow.states:
            raise ValueError("no step of this flow")
        return flow.draft_type.from_stored(value, areas)

    async def get_user_data(self) -> dict[int, dict]:
        user_data, _ = await self._load()
        return {user: dict(entries) for user, entries in user_data.items()}

    async def get_conversations(self, name: str) -> dict:
        _, states = await self._load()
        return dict(states.get(name, {}))

    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> None:
        return None

    # ------------------------------------------------------------------ noting changes

    async def update_user_data(self, user_id: int, data: dict) -> None:
        values: dict[str, str] = {}
        for key, value in data.items():
            if key in self._drafts:
                values[key] = _json(value.to_stored())
            elif key in self._entries:
                values[key] = _json(value)
        if values != self._values.get(user_id, {}):
            self._dirty.add(user_id)
        if values:
            self._values[user_id] = values
        else:
            self._values.pop(user_id, None)

    async def update_conversation(
        self, name: str, key: tuple[int | str, ...], new_state: object | None
    ) -> None:
        if name not in self._flows:
            return
        chat_id, user_id = key
        steps = self._steps.setdefault(user_id, {})
        before = steps.get(name)
        if new_state is None:
            steps.pop(name, None)
        else:
            steps[name] = (chat_id, _json(new_state))
        if steps.get(name) != before:
            self._dirty.add(user_id)
        if not steps:
            del self._steps[user_id]

    async def drop_user_data(self, user_id: int) -> None:
        self._values.pop(user_id, None)
        self._dirty.add(user_id)

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        pass

    async def update_bot_data(self, data: dict) -> None:
        pass

    async def update_callback_data(self, data: Any) -> None:
        pass

    async def drop_chat_data(self, chat_id: int) -> None:
        pass

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        pass

    async def refresh_bot_data(self, bot_data: dict) -> None:
        pass

    # ------------------------------------------------------------------ writing

    def _rows_of(self, user_id: int) -> dict[str, _Row]:
        """The rows the user should have now: each flow with both a step and a draft, and
        each kept entry."""
        values = self._values.get(user_id, {})
        rows = {}
        for name, (chat_id, step) in self._steps.get(user_id, {}).items():
            draft = values.get(self._flows[name].draft)
            if draft is not None:
                rows[name] = _Row(chat_id, step, draft)
        for key in self._entries:
            if key in values:
                rows[key] = _Row(None, None, values[key])
        return rows

    async def flush(self) -> None:
        """Write what changed since the last flush in one transaction, and restart the
        timeouts of users who were active. Users with nothing in progress cost nothing."""
        async with self._lock:
            await self._flush()

    async def _flush(self) -> None:
        dirty, self._dirty = self._dirty, set()
        active, self._active = self._active, set()
        now = flow_rows.stamp(clock.now())
        changed: dict[int, dict[str, _Row]] = {}
        saves: list[FlowRow] = []
        deletes: list[tuple[int, str]] = []
        touches: list[int] = []
        for user_id in dirty | active:
            rows = self._rows_of(user_id)
            stored = self._stored.get(user_id, {})
            if rows != stored:
                changed[user_id] = rows
                saves += [
                    FlowRow(user_id, name, row.chat_id, row.step, row.value, now)
                    for name, row in rows.items()
                    if stored.get(name) != row
                ]
                deletes += [(user_id, name) for name in stored.keys() - rows.keys()]
            if rows and user_id in active:
                touches.append(user_id)
        if not (saves or deletes or touches):
            return
        try:
            async with self.db.transaction() as tx:
                if saves:
                    await flow_rows.save(tx, saves)
                if deletes:
                    await flow_rows.delete(tx, deletes)
                if touches:
                    await flow_rows.touch(tx, touches, now)
        except BaseException:
            self._dirty |= dirty
            self._active |= active
            raise
        for user_id, rows in changed.items():
            if rows:
                self._stored[user_id] = rows
            else:
                self._stored.pop(user_id, None)

    async def save(self, application: Application, user_id: int | None) -> None:
        """After an update: hand PTB's changes over and write them at once."""
        if user_id is not None:
            if not self._concerns(application, user_id):
                return  # most updates: nothing of this user's is kept, or to be kept
            application.mark_data_for_update_persistence(user_ids=user_id)
            self._active.add(user_id)  # their flows' timeouts start again
        await application.update_persistence()
        await self.flush()

    def _concerns(self, application: Application, user_id: int) -> bool:
        """Whether the user has something kept, or now holds something to keep. A flow that
        starts or goes on always holds its draft; one that ended had a draft kept before."""
        if user_id in self._values or user_id in self._steps or user_id in self._stored:
            return True
        live = application.user_data.get(user_id) or {}
        return any(key in live for key in (*self._drafts, *self._entries))

    # ------------------------------------------------------------------ expiry

    async def expire(self, application: Application) -> int:
        """Delete rows idle for longer than their lifetime and end those flows in memory
        too: drafts leave ``user_data``, and conversations given back after a restart (which
        have no timeout job) end. Returns how many rows were deleted."""
        # Changes made by PTB's own timeouts are not tied to an update: hand them over first.
        await application.update_persistence()
        async with self._lock:
            await self._flush()
            if not self._stored:
                return 0  # every row is written here (and /forget only deletes): none
            now = clock.now()
            gone: list[tuple[str, int, int | None]] = []
            async with self.db.transaction() as tx:
                for name, lifetime in self.lifetimes().items():
                    before = flow_rows.stamp(now - _secs(lifetime))
                    for user_id, chat_id in await flow_rows.delete_idle(tx, name, before):
                        gone.append((name, user_id, chat_id))
            for name, user_id, chat_id in gone:
                self._forget_row(application, name, user_id, chat_id)
        if gone:
            log.info("flows: %d idle past their timeout, deleted", len(gone))
        return len(gone)

    def _forget_row(
        self, application: Application, name: str, user_id: int, chat_id: int | None
    ) -> None:
        stored = self._stored.get(user_id, {})
        stored.pop(name, None)
        if not stored:
            self._stored.pop(user_id, None)
        flow = self._flows.get(name)
        key = flow.draft if flow else name
        live = application.user_data.get(user_id)
        if live is not None:
            live.pop(key, None)
        values = self._values.get(user_id, {})
        values.pop(key, None)
        if not values:
            self._values.pop(user_id, None)
        if flow is not None and chat_id is not None:
            flow.end((chat_id, user_id))


def _secs(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


async def save_after_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Registered to run after every update's handlers (a handler group of its own)."""
    persistence = context.application.persistence
    if isinstance(persistence, FlowPersistence):
        user = update.effective_user if isinstance(update, Update) else None
        await persistence.save(context.application, user.id if user else None)


async def _expiry_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    persistence = context.application.persistence
    if isinstance(persistence, FlowPersistence):
        await persistence.expire(context.application)


def schedule_expiry(application: Application) -> None:
    """Sweep idle flows regularly: often enough that a row outlives its timeout by at most a
    quarter of it (and never by more than a minute)."""
    persistence = application.persistence
    if not isinstance(persistence, FlowPersistence):
        return
    shortest = min(persistence.lifetimes().values(), default=SWEEP_AT_MOST_EVERY)
    every = min(SWEEP_AT_MOST_EVERY, max(shortest / 4, 0.1))
    application.job_queue.run_repeating(_expiry_job, interval=every, first=every, name=EXPIRY_JOB)
