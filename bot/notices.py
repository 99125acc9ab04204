"""Single notices: a message to one chat that someone relies on, sent through the outbox.

A service writes a :class:`Notice` in the same transaction as the decision it tells about
(:func:`queue`), so that the decision and the promise to tell it are one. The outbox's notice
lane sends it later with the outbox's rates, 429 pauses, retries and blocked handling
(:func:`to_send`, then :func:`record_sent`), rendered in the recipient's language at that
moment. A notice with a purpose (e.g. the report message of an alert) hands the sent
message's id to whoever needs it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot import clock
from bot.services import Services
from bot.texts import Safe, t
from storage import notices as notice_rows
from storage import participants as people
from storage.db import Executor
from storage.deliveries import NOTICE, Delivery
from storage.notices import NoticeRow

log = logging.getLogger(__name__)

REPORT = "report"  # the delivery report of an alert; subject: the alert's id
TIP_STATUS = "tip_status"  # a reporter told about their tip's status; subject: the tip's id

_TEXT = "$t"  # marks a value that is itself a catalogue text


@dataclass(frozen=True, slots=True)
class Term:
    """A value that is a catalogue text in its own right (a status name, a heading), so that
    it is translated with the rest of the notice."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Notice:
    chat_id: int
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
    about_id: int | None = None  # someone else the text names: /forget takes it with them
    purpose: str | None = None
    subject_id: int | None = None
    not_before: str | None = None  # a stamp (bot.clock): held back until then


# Called once the notice was sent, inside the transaction that stores its message id; what
# it returns is called after that transaction committed (e.g. to have the message edited).
OnSent = Callable[[Executor, NoticeRow, int, str], Awaitable[Callable[[], None] | None]]


def _encode(value: Any) -> Any:
    if isinstance(value, Term):
        return {_TEXT: value.key, "values": {k: _encode(v) for k, v in value.values.items()}}
    return value


def _decode(lang: str, value: Any) -> Any:
    if isinstance(value, dict) and _TEXT in value:
        inner = {k: _decode(lang, v) for k, v in value.get("values", {}).items()}
        # t() escapes what it inserts, so its result is already valid HTML.
        return Safe(t(lang, value[_TEXT], **inner))
    return value


def encode(values: Mapping[str, Any]) -> str:
    return json.dumps({k: _encode(v) for k, v in values.items()}, ensure_ascii=False)


def render(lang: str, key: str, values: Mapping[str, Any] | str) -> str:
    """The notice's text in ``lang``; ``values`` as given or as stored (JSON)."""
    if isinstance(values, str):
        values = json.loads(values)
    else:
        values = json.loads(encode(values))
    return t(lang, key, **{k: _decode(lang, v) for k, v in values.items()})


async def queue(tx: Executor, notice: Notice) -> int:
    """Write the notice inside the caller's transaction; wake the lane after the commit."""
    return await notice_rows.insert(
        tx,
        chat_id=notice.chat_id,
        text_key=notice.key,
        vals=encode(notice.values),
        about_id=notice.about_id,
        purpose=notice.purpose,
        subject_id=notice.subject_id,
        not_before=notice.not_before,
    )


async def latest_key(db: Executor, purpose: str, subject_id: int) -> str | None:
    """The text of the newest notice about ``subject_id`` sent or still to be sent."""
    return await notice_rows.latest_key(db, purpose, subject_id)


async def withdraw_held(tx: Executor, purpose: str, subject_id: int) -> int:
    """Delete the notices about ``subject_id`` that are still held back, in the caller's
    transaction; returns how many."""
    return await notice_rows.withdraw_held(tx, purpose, subject_id, clock.stamp())


def wake(services: Services) -> None:
    """Notices were committed: send them now rather than at the lane's next look."""
    if services.outbox is not None:
        services.outbox.wake(NOTICE)


async def to_send(services: Services, delivery: Delivery) -> tuple[NoticeRow, str] | None:
    """The notice behind an outbox row and its text in the recipient's language as of now;
    None when it was deleted (by /forget) while it waited. The outbox's notice sender
    (handlers/senders.py) sends it and then calls :func:`record_sent`."""
    row = await notice_rows.notice(services.db, delivery.id)
    if row is None:
        return None
    person = await people.participant(services.db, row.chat_id)
    lang = person.language if person else services.settings.municipality.language
    return row, render(lang, row.text_key, row.vals)


async def record_sent(
    services: Services,
    row: NoticeRow,
    message_id: int,
    text: str,
    on_sent: Mapping[str, OnSent] | None = None,
) -> None:
    """The notice went out as message ``message_id``: keep its id and hand it to whoever
    the notice's purpose names. Never raises: the message is out, and an error would make
    the outbox send it a second time."""
    hook = (on_sent or {}).get(row.purpose or "")
    then = None
    try:
        async with services.db.transaction() as tx:
            await notice_rows.set_message_id(tx, row.id, message_id)
            if hook is not None:
                then = await hook(tx, row, message_id, text)
    except Exception:
        log.exception("notice %d sent, but its message id was not stored", row.id)
        return
    if then is not None:
        then()
