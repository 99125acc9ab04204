"""Delivery reports: the message that tells the sender of an alert how far its delivery has
come, first sent through the outbox as a notice and then edited to the current counts until
every recipient has an outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot import clock, dates, notices, retry
from bot.retry import Action
from bot.services import Services
from storage import deliveries as outbox_rows
from storage import participants as people
from storage.db import Executor
from storage.notices import NoticeRow

log = logging.getLogger(__name__)

REPORT_EDIT_INTERVAL = 1.5  # seconds between progress edits of one report
RECHECK_FINISHED = timedelta(days=1)  # at start-up, reports of alerts finished since then

# Puts a report message (chat id, message id) to the text given; raises what Telegram
# answered. Given by the Telegram side (handlers/senders.py).
EditReport = Callable[[int, int, str], Awaitable[object]]


def all_pending(total: int) -> dict[str, int]:
    return {"pending": total, "delivered": 0, "blocked": 0, "failed": 0}


def report_values(kind: str, area_names: str, counts: dict[str, int]) -> dict:
    """The report's values as a notice stores them. Who blocked the bot or could not be
    reached is said only when there is someone: a sentence about nobody is noise."""
    return {
        "heading": notices.Term(f"alert_heading_plain_{kind}", {"areas": area_names}),
        "total": sum(counts.values()),
        "delivered": counts["delivered"],
        "blocked": _clause("alert_report_blocked", counts["blocked"]),
        "failed": _clause("alert_report_failed", counts["failed"]),
    }


def _clause(key: str, count: int) -> notices.Term | str:
    return notices.Term(key, {"count": count}) if count else ""


def report_text(
    lang: str,
    kind: str,
    area_names: str,
    counts: dict[str, int],
    finished_at: str | None = None,
) -> str:
    """The report as the outbox first sends it and as every edit shows it: one rendering,
    so that equal counts give an equal text. A finished report says when it finished (the
    alert's ``finished_at``), so that looking at it again later does not change it."""
    values = report_values(kind, area_names, counts)
    if counts["pending"]:
        return notices.render(lang, "alert_report_progress", values)
    finished = clock.parse_stamp(finished_at) if finished_at else clock.now()
    values["time"] = dates.time_of_day(finished, lang)
    return notices.render(lang, "alert_report_done", values)


class Reports:
    """Keeps each sender's delivery report message up to date while the outbox works.

    The outbox creates the report's first message (a notice, see :meth:`first_sent`) and
    says which alerts made progress (:meth:`update`); one worker here edits each report to
    the current counts, at most every ``interval`` seconds per report, compares with what
    the message shows before every edit (Telegram refuses an edit into the same content),
    and retries an edit that failed on the way (5xx, network, 429) with backoff, so that a
    report reaches its final counts."""

    def __init__(
        self,
        services: Services,
        edit: EditReport,
        *,
        interval: float = REPORT_EDIT_INTERVAL,
        backoff: float = 1.0,
        max_attempts: int = 8,
    ) -> None:
        self.services = services
        self.edit = edit
        self.interval = interval
        self.backoff = backoff
        self.max_attempts = max_attempts
        self._due: dict[int, float] = {}  # alert id -> when to look at its report again
        self._edited_at: dict[int, float] = {}
        self._failures: dict[int, int] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False

    async def start(self) -> None:
        """Look again at recent reports (a restart may have come between an outcome and its
        edit), then keep them up to date."""
        since = clock.stamp(clock.now() - RECHECK_FINISHED)
        for alert_id in await outbox_rows.reports_to_check(self.services.db, since):
            self._mark(alert_id, time.monotonic())
        self._task = asyncio.create_task(self._run(), name="reports")

    async def stop(self, grace: float = 5.0) -> None:
        """Make the edits that are due (the outbox's last outcomes), then stop; an edit is
        not cut off half-way, or the stored text could differ from what the message shows."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        _, running = await asyncio.wait({self._task}, timeout=grace)
        for task in running:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None

    async def update(self, alert_ids: list[int], finished: list[int]) -> None:
        """The outbox recorded outcomes of these alerts (``finished`` are done)."""
        now = time.monotonic()
        for alert_id in alert_ids:
            self._mark(alert_id, now)

    async def first_sent(
        self, tx: Executor, notice: NoticeRow, message_id: int, text: str
    ) -> Callable[[], None] | None:
        """The outbox sent the report's first message: from now on it is edited. Looked at
        again once this is committed (the worker reads committed data only)."""
        alert_id = notice.subject_id
        if alert_id is None:
            return None
        await outbox_rows.set_report_message(tx, alert_id, notice.chat_id, message_id, text)
        return lambda: self._mark(alert_id, time.monotonic())

    def _mark(self, alert_id: int, now: float) -> None:
        at = max(now, self._edited_at.get(alert_id, 0.0) + self.interval)
        self._due[alert_id] = min(at, self._due.get(alert_id, at))
        self._wake.set()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            now = time.monotonic()
            ready = sorted(a for a, at in self._due.items() if at <= now)
            for alert_id in ready:
                del self._due[alert_id]
                try:
                    await self._refresh(alert_id)
                except Exception:
                    log.exception("report for alert %d not updated", alert_id)
            if ready:
                continue
            if self._stopping:
                return  # later edits are made after the next start (see start())
            timeout = min(self._due.values()) - now if self._due else None
            # asyncio.timeout rather than wait_for: in Python 3.11 wait_for can swallow a
            # cancellation that meets a wake-up, and stop() would wait forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def _refresh(self, alert_id: int) -> None:
        db = self.services.db
        alert = (await outbox_rows.alerts_by_ids(db, [alert_id])).get(alert_id)
        if alert is None or alert.report_message_id is None:
            return  # its first message is not out yet: first_sent marks it again
        counts = await outbox_rows.status_counts(db, alert_id)
        lang = await self._language(alert.report_chat_id)
        text = report_text(lang, alert.kind, alert.area_names, counts, alert.finished_at)
        if text == alert.report_text:
            self._failures.pop(alert_id, None)
            return
        try:
            await self.edit(alert.report_chat_id, alert.report_message_id, text)
        except Exception as exc:
            if not retry.from_telegram(exc):
                raise
            failures = self._failures.get(alert_id, 0) + 1
            decision = retry.decide(
                exc, failures, max_attempts=self.max_attempts, backoff=self.backoff
            )
            if decision.action is Action.PAUSE:
                self._retry_at(alert_id, time.monotonic() + decision.delay)
                return
            if decision.action is Action.RETRY:
                self._failures[alert_id] = failures
                self._retry_at(alert_id, time.monotonic() + retry.spread(decision.delay))
                return
            if decision.action is not Action.DONE:
                # Deleted by the sender, too old to edit, the chat gone, or out of tries:
                # nothing more to do for it.
                log.warning("report for alert %d not updated, giving up: %s", alert_id, exc)
                self._failures.pop(alert_id, None)
                return
            # "Not modified": an earlier edit arrived although its answer was lost.
        self._failures.pop(alert_id, None)
        self._edited_at[alert_id] = time.monotonic()
        async with db.transaction() as tx:
            await outbox_rows.set_report_text(tx, alert_id, text)
        if counts["pending"] == 0:
            self._edited_at.pop(alert_id, None)

    def _retry_at(self, alert_id: int, at: float) -> None:
        self._due[alert_id] = min(at, self._due.get(alert_id, at))
        self._wake.set()

    async def _language(self, chat_id: int) -> str:
        person = await people.participant(self.services.db, chat_id)
        return person.language if person else self.services.settings.municipality.language
