"""Inline keyboards and the pager every list of areas shares (their callback data:
handlers/callbacks.py).

Telegram refuses a keyboard with more than 8 buttons in a row or 100 in all ("reply markup is
too long") and callback data outside 1-64 bytes. Area codes are at most 32 characters, so
every format fits; a municipality can have any number of areas, so lists of them page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import InlineKeyboardButtonLimit, InlineKeyboardMarkupLimit

from bot import auditlog
from bot.texts import plain, t
from bot.tips import STATUSES, status_name
from handlers.callbacks import (
    AuditPage,
    Consent,
    ConsentLanguage,
    Join,
    JoinPage,
    Leave,
    LeaveAll,
    LeavePage,
    Page,
    TipStatus,
    TipUndo,
)
from handlers.common import Context, edit_pressed, is_private
from storage.areas import Area

if TYPE_CHECKING:
    from handlers.commands import Command
from storage.tips import Tip

# Telegram's limits for one inline keyboard.
MAX_ROW = InlineKeyboardMarkupLimit.BUTTONS_PER_ROW
MAX_BUTTONS = InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER
MAX_DATA_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA

# Ten areas a page, two a row: long Swedish area names stay readable on a phone, and the
# picker's own buttons and the page row still fit on the screen.
PAGE_SIZE = 10
ROW_SIZE = 2


def consent(
    lang: str, area_code: str | None = None, offer: str | None = None
) -> InlineKeyboardMarkup:
    """The consent button; with ``offer``, a button above it that shows the same in that
    language, labelled in that language."""
    markup = consent_then(lang, Consent(area_code or None).pack())
    if offer is None:
        return markup
    switch = InlineKeyboardButton(
        plain(offer, "language_offer_button"),
        callback_data=ConsentLanguage(offer, area_code or None).pack(),
    )
    return InlineKeyboardMarkup([[switch], *markup.inline_keyboard])


def consent_then(lang: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(plain(lang, "consent_button"), callback_data=data)]]
    )


def leave_all_confirm(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(lang, "leave_all_yes"), callback_data=LeaveAll("yes").pack()
                ),
                InlineKeyboardButton(
                    plain(lang, "leave_all_no"), callback_data=LeaveAll("no").pack()
                ),
            ]
        ]
    )


# ------------------------------------------------------------------ the residents' keyboard


def residents(lang: str, commands: Sequence[Command]) -> ReplyKeyboardMarkup:
    """The reply keyboard under a registered resident's private chat: the first command
    alone on the top row (the tip, what matters most), the others beside each other below.
    Persistent, so that it stays at hand after every answer until it is removed."""
    buttons = [KeyboardButton(plain(lang, c.button)) for c in commands]
    return ReplyKeyboardMarkup(
        [buttons[:1], buttons[1:]] if len(buttons) > 1 else [buttons],
        resize_keyboard=True,
        is_persistent=True,
    )


def residents_keyboard(update: Update, context: Context) -> ReplyKeyboardMarkup | None:
    """The residents' keyboard for an answer in this chat: only in a private chat (in a group
    it would sit under everyone's keyboard) and only for someone registered."""
    caller = context.caller
    if not is_private(update) or caller.participant is None:
        return None
    return residents(caller.lang, context.commands.keyboard())


def after_reply_keyboard(
    update: Update, context: Context
) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    """What replaces a step's own reply keyboard when the step is over: the residents'
    keyboard again, or none."""
    return residents_keyboard(update, context) or ReplyKeyboardRemove()


# ------------------------------------------------------------------ the pager


@dataclass(frozen=True, slots=True)
class Picker:
    """One page of a list of buttons: the message text (with "page 2 of 6" when the list has
    more than one page) and its keyboard."""

    text: str
    markup: InlineKeyboardMarkup


def page_count(items: int) -> int:
    return max(1, -(-items // PAGE_SIZE))


def page_of(position: int) -> int:
    """The page (from 1) that shows the item at ``position`` (from 0)."""
    return position // PAGE_SIZE + 1


def page_number(data: str) -> int:
    """The page asked for by the callback data of a page button (any list's); 1 when it names
    none (stale or forged data). Out-of-range pages are clamped by `picker`."""
    last = data.rpartition(":")[2]
    return int(last) if last.isascii() and last.isdigit() and len(last) <= 4 else 1


def picker(
    lang: str,
    text: str,
    items: Sequence[InlineKeyboardButton],
    page: int,
    page_data: type[Page],
    *,
    rows_after: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> Picker:
    """Page ``page`` of ``items``, two a row, then a row to the neighbouring pages (callback
    data ``page_data``), then the picker's own ``rows_after`` on every page.

    The page buttons name the page they lead to ("◀ Sida 1", "Sida 3 ▶") rather than saying
    "next": the alert chooser already has a "Nästa" button that means something else."""
    pages = page_count(len(items))
    page = min(max(page, 1), pages)
    shown = list(items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    rows: list[Sequence[InlineKeyboardButton]] = [
        shown[i : i + ROW_SIZE] for i in range(0, len(shown), ROW_SIZE)
    ]
    if pages > 1:
        turn = []
        if page > 1:
            turn.append(_page_button(lang, "page_back_button", page - 1, page_data))
        if page < pages:
            turn.append(_page_button(lang, "page_forward_button", page + 1, page_data))
        rows.append(turn)
        text = f"{text}\n\n{t(lang, 'page_of', page=page, pages=pages)}"
    rows.extend(rows_after)
    return Picker(text, InlineKeyboardMarkup(rows))


def _page_button(lang: str, key: str, page: int, page_data: type[Page]) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        plain(lang, key).format(page=page), callback_data=page_data(page).pack()
    )


_TAG = re.compile(r"<[^>]+>")


async def show(query: CallbackQuery, page: Picker) -> None:
    """Turn the pressed message into ``page``. A repeated or stale press can ask for exactly
    what the message already shows, and Telegram refuses an edit that changes nothing
    ("message is not modified"), so compare first."""
    message = query.message
    if isinstance(message, Message) and message.reply_markup == page.markup:
        visible = html.unescape(_TAG.sub("", page.text)).strip()
        if (message.text or "").strip() == visible:
            return
    await edit_pressed(query, page.text, reply_markup=page.markup)


# ------------------------------------------------------------------ the audit log


def audit_pager(lang: str, page: auditlog.Page) -> InlineKeyboardMarkup | None:
    """ "◀ Newer" and "Older ▶" under a page of /audit. Entry ids are at most 19 digits, so
    the data stays well under 64 bytes."""
    turn = []
    if page.newer is not None:
        data = AuditPage(AuditPage.NEWER, page.newer.after, page.newer.floor).pack()
        turn.append(InlineKeyboardButton(plain(lang, "audit_newer_button"), callback_data=data))
    if page.older is not None:
        data = AuditPage(AuditPage.OLDER, page.older.before, page.older.floor).pack()
        turn.append(InlineKeyboardButton(plain(lang, "audit_older_button"), callback_data=data))
    return InlineKeyboardMarkup([turn]) if turn else None


MAX_ENTRY_ID = 2**63 - 1  # SQLite's largest integer


def audit_view(data: str) -> auditlog.View | None:
    """The page a pager button asks for; None for data this bot did not make."""
    pressed = AuditPage.parse(data)
    if pressed is None or pressed.direction not in (AuditPage.NEWER, AuditPage.OLDER):
        return None
    if max(pressed.at, pressed.floor) > MAX_ENTRY_ID:
        return None
    if pressed.direction == AuditPage.NEWER:
        return auditlog.View(pressed.floor, after=pressed.at)
    return auditlog.View(pressed.floor, before=pressed.at)


# ------------------------------------------------------------------ area pickers


def area_choice(lang: str, areas: list[Area], page: int = 1) -> Picker:
    """Areas to join (after consent, and /join without an area)."""
    buttons = [InlineKeyboardButton(a.name, callback_data=Join(a.code).pack()) for a in areas]
    return picker(lang, t(lang, "choose_area"), buttons, page, JoinPage)


def leave_choice(lang: str, areas: list[Area], page: int = 1) -> Picker:
    """The resident's own areas, with "leave all" on every page."""
    buttons = [InlineKeyboardButton(a.name, callback_data=Leave(a.code).pack()) for a in areas]
    leave_all = [
        InlineKeyboardButton(plain(lang, "leave_all_button"), callback_data=LeaveAll().pack())
    ]
    return picker(lang, t(lang, "leave_choose"), buttons, page, LeavePage, rows_after=[leave_all])


# ------------------------------------------------------------------ a tip's status buttons


def status_buttons(lang: str, tip: Tip, undo: int | None = None) -> InlineKeyboardMarkup:
    """Callback data handlers.callbacks.TipStatus (at most 28 bytes, well under Telegram's
    64); with ``undo`` (a change's history row) an "Undo" row under them (TipUndo)."""
    buttons = [
        InlineKeyboardButton(
            ("✅ " if status == tip.status else "") + status_name(lang, status),
            callback_data=TipStatus(tip.id, status).pack(),
        )
        for status in STATUSES
        if status != "new"
    ]
    rows = [buttons[0:2], buttons[2:4]]
    if undo is not None:
        label = plain(lang, "tip_undo_button")
        rows.append([InlineKeyboardButton(label, callback_data=TipUndo(tip.id, undo).pack())])
    return InlineKeyboardMarkup(rows)


# ------------------------------------------------------------------ the limits


def limit_problems(markup: InlineKeyboardMarkup | dict | str | None) -> list[str]:
    """What Telegram would refuse in an inline keyboard (given as PTB object, as the JSON
    object sent, or as its JSON text): more than 8 buttons in a row, more than 100 in all,
    callback data outside 1-64 bytes. Empty when the keyboard is fine or not inline."""
    if markup is None or markup == "":
        return []
    if isinstance(markup, InlineKeyboardMarkup):
        markup = markup.to_dict()
    elif isinstance(markup, str):
        markup = json.loads(markup)
    rows: list[list[dict[str, Any]]] = markup.get("inline_keyboard") or []
    problems = []
    for number, row in enumerate(rows, 1):
        if len(row) > MAX_ROW:
            problems.append(f"row {number} has {len(row)} buttons (at most {MAX_ROW})")
    total = sum(len(row) for row in rows)
    if total > MAX_BUTTONS:
        problems.append(f"{total} buttons (at most {MAX_BUTTONS})")
    for row in rows:
        for button in row:
            data = button.get("callback_data")
            if data is None:
                continue
            size = len(data.encode("utf-8"))
            if not 1 <= size <= MAX_DATA_BYTES:
                problems.append(f"callback data {data!r} is {size} bytes (1-{MAX_DATA_BYTES})")
    return problems
