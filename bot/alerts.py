"""Police alerts, municipal information and area contacts' notices: compose, check, queue in
the outbox and render per language. The sender's delivery report is :mod:`bot.reports`."""

from __future__ import annotations

import html
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from bot import area_names, notices
from bot.message import Message
from bot.reports import all_pending, report_values
from bot.roles import Access, Role
from bot.services import Services
from bot.stored import check_stored, of_type
from bot.telegram_text import TEXT_LIMIT, telegram_length
from bot.texts import LANGUAGES, name_list, t
from storage import areas as area_rows
from storage import audit
from storage import deliveries as outbox_rows
from storage.areas import Area
from storage.db import Database, Executor
from storage.deliveries import Alert

log = logging.getLogger(__name__)

RECENT_ALERTS = 5


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
    STORED_VERSION: ClassVar[int] = 2

    kind: str
    sender_id: int | None  # None for scheduled reminders
    areas: list[Area]
    text: str = ""
    # Names this draft in the alert it becomes, so that it is sent at most once.
    key: str = field(default_factory=lambda: secrets.token_hex(8))
    # Areas offered as "did you mean" for what the sender typed, until they answer.
    suggested: list[Area] = field(default_factory=list)

    def to_stored(self) -> dict[str, Any]:
        """Plain JSON values; areas by id, so that a renamed area shows its new name."""
        return {
            "version": self.STORED_VERSION,
            "kind": self.kind,
            "sender_id": self.sender_id,
            "areas": [a.id for a in self.areas],
            "text": self.text,
            "suggested": [a.id for a in self.suggested],
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
            suggested=[areas[i] for i in values["suggested"] if i in areas],
        )

    @property
    def area_names(self) -> str:
        return ", ".join(a.name for a in self.areas)


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
    return TEXT_LIMIT - frame


def text_problem(draft: Draft) -> Message | None:
    """Why the text cannot be sent, or None."""
    text = draft.text.strip()
    if not text:
        return Message("alert_empty")
    limit = text_limit(draft.kind, draft.area_names)
    length = telegram_length(html.escape(text, quote=False))
    if length > limit:
        return Message("alert_too_long", {"limit": limit, "length": length})
    return None


async def parse_areas(db: Database, spec: str) -> tuple[list[Area], list[str]]:
    """``centrum,norr``, ``Östra,norr`` or ``all`` → (areas found, pieces not found). A code,
    a name or an unambiguous beginning of one names an area (bot/area_names.py)."""
    everything = await area_rows.all_areas(db)
    if spec.strip().lower() in ("all", "alla"):
        return everything, []
    found: list[Area] = []
    unknown: list[str] = []
    for piece in (p.strip() for p in spec.split(",")):
        if not piece:
            continue
        area = area_names.resolve(everything, piece).area
        if area is None:
            unknown.append(piece[:32])
        elif area not in found:
            found.append(area)
    return found, unknown


@dataclass(frozen=True, slots=True)
class TypedAreas:
    """The areas after /alert or /notice, as the sender typed them (``centrum,nor``).

    ``found``: typed exactly (code or whole name). ``suggested``: one likely area for each
    piece that was not exact, when every such piece has one; a prefix is asked about rather
    than taken, because an alert reaches everyone in the area. ``unclear``: the pieces with
    several or no likely areas; ``candidates``: the areas those could mean."""

    found: list[Area]
    typed: list[str]  # the pieces that were not exact, as typed
    suggested: list[Area]
    candidates: list[Area]
    unclear: bool = False


async def typed_areas(db: Database, spec: str) -> TypedAreas:
    """``centrum,norr``, ``centrum, östra mark`` or ``all`` resolved against the areas."""
    everything = await area_rows.all_areas(db)
    if spec.strip().lower() in ("all", "alla"):
        return TypedAreas(everything, [], [], [])
    found: list[Area] = []
    typed: list[str] = []
    suggested: list[Area] = []
    candidates: list[Area] = []
    unclear = False
    for piece in (p.strip() for p in spec.split(",")):
        if not piece:
            continue
        match = area_names.resolve(everything, piece)
        if match.area is not None and match.exact:
            found.append(match.area)
            continue
        typed.append(piece[:32])
        likely = match.area or match.nearest
        if likely is not None:
            suggested.append(likely)
        else:
            unclear = True
            candidates.extend(match.candidates)
    return TypedAreas(
        _unique(found),
        typed,
        [] if unclear else [a for a in _unique(suggested) if a not in found],
        _unique(candidates),
        unclear,
    )


def _unique(areas: list[Area]) -> list[Area]:
    return list(dict.fromkeys(areas))


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
                report_values(draft.kind, draft.area_names, all_pending(queued)),
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


async def recent_for(db: Database, user_id: int) -> list[Alert]:
    return await outbox_rows.recent_alerts_for(db, user_id, RECENT_ALERTS)


def recipients_text(lang: str, people: int, groups: int, areas: list[Area]) -> str:
    """Whom the alert goes to, for the preview: "Går till 2 personer och 1 gruppchatt i
    Centrum och Norr"; a kind of recipient there is none of is left out."""
    names = name_list(lang, [a.name for a in areas])
    if groups == 0 and people > 0:
        return t(lang, "alert_recipients_people", people=people, areas=names)
    if people == 0 and groups > 0:
        return t(lang, "alert_recipients_groups", groups=groups, areas=names)
    return t(lang, "alert_recipients", people=people, groups=groups, areas=names)
