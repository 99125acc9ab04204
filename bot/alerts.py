"""Police alerts, municipal information and area contacts' notices: compose, check, queue in
the outbox, render per language and report delivery back to the sender."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar

from telegram import Bot
from telegram.constants import MessageLimit
from telegram.error import TelegramError

from bot import clock, notices, retry
from bot.retry import Action
from bot.roles import Access, Role
from bot.services import Services
from bot.stored import check_stored, of_type
from bot.texts import LANGUAGES, t
from storage import areas as area_rows
from storage import audit
from storage import deliveries as outbox_rows
from storage import participants as people
from storage.areas import Area
from storage.db import Database, Executor
from storage.deliveries import Alert
from storage.notices import NoticeRow

log = logging.getLogger(__name__)

TELEGRAM_TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
RECENT_ALERTS = 5
REPORT_EDIT_INTERVAL = 1.5  # seconds between progress edits of one report
RECHECK_FINISHED = timedelta(days=1)  # at start-up, reports of alerts finished since then
_TAG = re.compile(r"<[^>]+>")


class Kind:
    POLICE = "police"
    MUNICIPALITY = "municipality"
    NOTICE = "notice"
    REMINDER = "reminder"


def kind_for(access: Access, *, notice: bool) -> str:
    """Police alerts are headed "Polisen informerar", a coordinator's "Kommunen informerar";
    /notice is an area contact's message (a coordinator's /notice is still the municipality)."""
    if access.has(Role.COORDINATOR):
        return Kind.MUNICIPALITY
    if notice:
        return Kind.NOTICE
    return Kind.POLICE


@dataclass(slots=True)
class Draft:
    """An alert or notice being written; also what reminders send. In the /alert flow it is
    kept until Send or Cancel, in memory and (see bot/persistence.py) in the database."""

    # Raise when a field's meaning or the flow's steps change: older stored drafts are then
    # dropped instead of being misread.
    STORED_VERSION: ClassVar[int] = 1

    kind: str
    sender_id: int | None  # None for scheduled reminders
    areas: list[Area]
    text: str = ""
    # Names this draft in the alert it becomes, so that it is sent at most once.
    key: str = field(default_factory=lambda: secrets.token_hex(8))

    def to_stored(self) -> dict[str, Any]:
        """Plain JSON values; areas by id, so that a renamed area shows its new name."""
        return {
            "version": self.STORED_VERSION,
            "kind": self.kind,
            "sender_id": self.sender_id,
            "areas": [a.id for a in self.areas],
            "text": self.text,
        }

    @classmethod
    def from_stored(cls, values: dict[str, Any], areas: Mapping[int, Area]) -> Draft:
        """The draft :meth:`to_stored` wrote; ValueError if these values are not one. An
        area deleted in the meantime is left out: the preview's count was for the old list,
        and Send with no area left says there is nobody to send to."""
        check_stored(values, cls.STORED_VERSION, cls(Kind.POLICE, None, []).to_stored())
        return cls(
            kind=of_type(values["kind"], str),
            sender_id=of_type(values["sender_id"], int, optional=True),
            areas=[areas[i] for i in values["areas"] if i in areas],
            text=of_type(values["text"], str),
        )

    @property
    def area_names(self) -> str:
        return ", ".join(a.name for a in self.areas)


def telegram_length(text: str) -> int:
    """Telegram measures message length in UTF-16 code units after markup is removed."""
    plain = html.unescape(_TAG.sub("", text))
    return len(plain.encode("utf-16-le")) // 2


def render(alert: Alert, lang: str) -> str:
    if alert.text_key:
        body = t(lang, alert.text_key, areas=alert.area_names)
        return f"{t(lang, f'alert_heading_{alert.kind}', areas=alert.area_names)}\n\n{body}"
    return render_parts(alert.kind, alert.area_names, alert.text, lang)


def render_parts(kind: str, area_names: str, text: str, lang: str) -> str:
    heading = t(lang, f"alert_heading_{kind}", areas=area_names)
    return f"{heading}\n\n{html.escape(text, quote=False)}\n\n{t(lang, 'alert_footer')}"


def text_limit(kind: str, area_names: str) -> int:
    """How long the sender's text may be so that the message fits Telegram's limit in every
    language a recipient may read it in."""
    frame = max(telegram_length(render_parts(kind, area_names, "", lang)) for lang in LANGUAGES)
    return TELEGRAM_TEXT_LIMIT - frame


def text_problem(draft: Draft) -> tuple[str, dict] | None:
    """A text key (and its values) explaining why the text cannot be sent, or None."""
    text = draft.text.strip()
    if not text:
        return "alert_empty", {}
    limit = text_limit(draft.kind, draft.area_names)
    length = telegram_length(html.escape(text, quote=False))
    if length > limit:
        return "alert_too_long", {"limit": limit, "length": length}
    return None


async def parse_areas(db: Database, spec: str) -> tuple[list[Area], list[str]]:
    """``centrum,norr`` or ``all`` → (areas found, codes not found)."""
    everything = await area_rows.all_areas(db)
    if spec.strip().lower() in ("all", "alla"):
        return everything, []
    by_code = {a.code: a for a in everything}
    found: list[Area] = []
    unknown: list[str] = []
    for code in (c.strip().lower() for c in spec.split(",")):
        if not code:
            continue
        if code in by_code:
            if by_code[code] not in found:
                found.append(by_code[code])
        else:
            unknown.append(code[:32])
    return found, unknown


async def recipient_counts(db: Database, areas: list[Area]) -> tuple[int, int]:
    return await outbox_rows.recipient_counts(db, [a.id for a in areas])


async def send(services: Services, draft: Draft, report_chat_id: int) -> int | None:
    """The sender pressed Send: the alert, one outbox row per recipient, the audit row and the
    first message of the sender's delivery report, all in one transaction; then the
    recipients' lane is woken. Returns the alert's id, or None when nobody would receive it.

    Sending the same draft again (a second press, or the press handled again after a crash)
    queues nothing new and returns the first alert's id. The report's lane is woken by
    :func:`bot.notices.wake` once the sender has been answered, so that the report follows
    the answer instead of overtaking it."""
    area_ids = [a.id for a in draft.areas]
    async with services.db.transaction() as tx:
        sent = await outbox_rows.alert_by_draft(tx, draft.key)
        if sent is not None:
            return sent
        people_count, groups = await outbox_rows.recipient_counts(tx, area_ids)
        if people_count + groups == 0:
            return None
        alert_id, queued = await _write(tx, services, draft, report_chat_id)
        await audit.record(
            tx,
            draft.sender_id,
            draft.kind,
            target=",".join(a.code for a in draft.areas),
            detail=f"alert {alert_id}",
        )
        await notices.queue(
            tx,
            notices.Notice(
                report_chat_id,
                "alert_report_progress",
                report_values(draft.kind, draft.area_names, _all_pending(queued)),
                purpose=notices.REPORT,
                subject_id=alert_id,
            ),
        )
    log.info("alert %d (%s) queued for %d chats", alert_id, draft.kind, queued)
    _wake(services)
    return alert_id


async def queue(services: Services, draft: Draft) -> int:
    """Write an alert nobody waits a report for (a reminder) and one outbox row per
    recipient in one transaction, then wake the sender."""
    async with services.db.transaction() as tx:
        alert_id, queued = await _write(tx, services, draft, None)
    log.info("alert %d (%s) queued for %d chats", alert_id, draft.kind, queued)
    _wake(services)
    return alert_id


async def _write(
    tx: Executor, services: Services, draft: Draft, report_chat_id: int | None
) -> tuple[int, int]:
    area_ids = [a.id for a in draft.areas]
    alert_id = await outbox_rows.insert_alert(
        tx,
        kind=draft.kind,
        sender_id=draft.sender_id,
        area_ids=area_ids,
        area_names=draft.area_names,
        text=draft.text.strip(),
        draft_key=draft.key,
        report_chat_id=report_chat_id,
    )
    queued = await outbox_rows.enqueue_recipients(
        tx, alert_id, area_ids, services.settings.municipality.language
    )
    if queued == 0:
        await outbox_rows.finish_alerts(tx, [alert_id])
    return alert_id, queued


def _wake(services: Services) -> None:
    if services.outbox is not None:
        services.outbox.wake()


def _all_pending(total: int) -> dict[str, int]:
    return {"pending": total, "delivered": 0, "blocked": 0, "failed": 0}


def report_values(kind: str, area_names: str, counts: dict[str, int]) -> dict:
    return {
        "heading": notices.Term(f"alert_heading_plain_{kind}", {"areas": area_names}),
        "total": sum(counts.values()),
        "delivered": counts["delivered"],
        "blocked": counts["blocked"],
        "failed": counts["failed"],
        "pending": counts["pending"],
    }


def report_text(lang: str, kind: str, area_names: str, counts: dict[str, int]) -> str:
    """The report as the outbox first sends it and as every edit shows it: one rendering,
    so that equal counts give an equal text."""
    key = "alert_report_done" if counts["pending"] == 0 else "alert_report_progress"
    return notices.render(lang, key, report_values(kind, area_names, counts))


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
        bot: Bot,
        *,
        interval: float = REPORT_EDIT_INTERVAL,
        backoff: float = 1.0,
        max_attempts: int = 8,
    ) -> None:
        self.services = services
        self.bot = bot
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
        text = report_text(lang, alert.kind, alert.area_names, counts)
        if text == alert.report_text:
            self._failures.pop(alert_id, None)
            return
        try:
            await self.bot.edit_message_text(
                text, chat_id=alert.report_chat_id, message_id=alert.report_message_id
            )
        except TelegramError as exc:
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


async def recent_for(db: Database, user_id: int) -> list[Alert]:
    return await outbox_rows.recent_alerts_for(db, user_id, RECENT_ALERTS)
