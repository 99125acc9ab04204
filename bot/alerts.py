"""Police alerts, municipal information and area contacts' notices: compose, check, queue in
the outbox, render per language and report delivery back to the sender."""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.roles import Access, Role
from bot.services import Services
from bot.stored import check_stored, of_type
from bot.texts import LANGUAGES, t
from storage import areas as area_rows
from storage import deliveries as outbox_rows
from storage import participants as people
from storage.areas import Area
from storage.db import Database
from storage.deliveries import Alert

log = logging.getLogger(__name__)

TELEGRAM_TEXT_LIMIT = 4096
RECENT_ALERTS = 5
REPORT_EDIT_INTERVAL = 1.5  # seconds between progress edits of one report
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


async def queue(services: Services, draft: Draft, report: tuple[int, int] | None) -> int:
    """Write the alert and one outbox row per recipient in one transaction, then wake the
    sender. ``report`` is the (chat, message) of the sender's delivery report."""
    settings = services.settings
    area_ids = [a.id for a in draft.areas]
    async with services.db.transaction() as tx:
        alert_id = await outbox_rows.insert_alert(
            tx,
            kind=draft.kind,
            sender_id=draft.sender_id,
            area_ids=area_ids,
            area_names=draft.area_names,
            text=draft.text.strip(),
        )
        if report is not None:
            await outbox_rows.set_report_message(tx, alert_id, *report)
        queued = await outbox_rows.enqueue_recipients(
            tx, alert_id, area_ids, settings.municipality.language
        )
        if queued == 0:
            await outbox_rows.finish_alerts(tx, [alert_id])
    log.info("alert %d (%s) queued for %d chats", alert_id, draft.kind, queued)
    if services.outbox is not None:
        services.outbox.wake()
    return alert_id


def report_text(lang: str, kind: str, area_names: str, counts: dict[str, int]) -> str:
    total = sum(counts.values())
    key = "alert_report_done" if counts["pending"] == 0 else "alert_report_progress"
    return t(
        lang,
        key,
        heading=t(lang, f"alert_heading_plain_{kind}", areas=area_names),
        total=total,
        delivered=counts["delivered"],
        blocked=counts["blocked"],
        failed=counts["failed"],
        pending=counts["pending"],
    )


class Reports:
    """Keeps each sender's delivery report message up to date while the outbox works."""

    def __init__(self, services: Services, bot: Bot) -> None:
        self.services = services
        self.bot = bot
        self._edited_at: dict[int, float] = {}
        self._shown: dict[int, str] = {}

    async def update(self, alert_ids: list[int], finished: list[int]) -> None:
        db = self.services.db
        alerts = await outbox_rows.alerts_by_ids(db, alert_ids)
        done = set(finished)
        now = time.monotonic()
        for alert in alerts.values():
            if alert.report_message_id is None:
                continue
            final = alert.id in done or alert.finished_at is not None
            if not final and now - self._edited_at.get(alert.id, 0.0) < REPORT_EDIT_INTERVAL:
                continue
            counts = await outbox_rows.status_counts(db, alert.id)
            lang = await self._language(alert.report_chat_id)
            text = report_text(lang, alert.kind, alert.area_names, counts)
            if self._shown.get(alert.id) == text:
                continue
            try:
                await self.bot.edit_message_text(
                    text, chat_id=alert.report_chat_id, message_id=alert.report_message_id
                )
            except BadRequest as exc:
                if "not modified" not in exc.message:
                    log.warning("report for alert %d: %s", alert.id, exc.message)
            except TelegramError as exc:
                log.warning("report for alert %d not updated: %s", alert.id, exc)
                continue
            self._edited_at[alert.id] = now
            self._shown[alert.id] = text
            if final:
                self._edited_at.pop(alert.id, None)
                self._shown.pop(alert.id, None)

    async def _language(self, chat_id: int) -> str:
        person = await people.participant(self.services.db, chat_id)
        return person.language if person else self.services.settings.municipality.language


async def recent_for(db: Database, user_id: int) -> list[Alert]:
    return await outbox_rows.recent_alerts_for(db, user_id, RECENT_ALERTS)
