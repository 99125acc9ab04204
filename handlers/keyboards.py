"""Inline keyboards, the callback-data formats they use, and the pager every list of areas
shares.

Telegram refuses a keyboard with more than 8 buttons in a row or 100 in all ("reply markup is
too long") and callback data outside 1-64 bytes. Area codes are at most 32 characters, so
every format here fits; a municipality can have any number of areas, so lists of them page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import InlineKeyboardButtonLimit, InlineKeyboardMarkupLimit

from bot import auditlog
from bot.texts import plain, t
from bot.tips import STATUS_PREFIX, STATUSES, status_name
from handlers.common import edit_pressed
from storage.areas import Area
from storage.tips import Tip

CONSENT = "consent"  # "consent" or "consent:<area code>" to join that area right after
JOIN = "join"  # "join:<area code>"
JOIN_PAGE = "joinpage"  # "joinpage:<page>"
LEAVE = "leave"  # "leave:<area code>"
LEAVE_PAGE = "leavepage"  # "leavepage:<page>"
LEAVE_ALL = "leaveall"  # "leaveall", then "leaveall:yes" / "leaveall:no"

AUDIT_PAGE = "auditpg"  # "auditpg:o:<before id>:<floor id>" / "auditpg:n:<after id>:<floor id>"

# Telegram's limits for one inline keyboard.
MAX_ROW = InlineKeyboardMarkupLimit.BUTTONS_PER_ROW
MAX_BUTTONS = InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER
MAX_DATA_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA

# Ten areas a page, two a row: long Swedish area names stay readable on a phone, and the
# picker's own buttons and the page row still fit on the screen.
PAGE_SIZE = 10
ROW_SIZE = 2


def consent(lang: str, area_code: str | None = None) -> InlineKeyboardMarkup:
    return consent_then(lang, f"{CONSENT}:{area_code}" if area_code else CONSENT)


def consent_then(lang: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(plain(lang, "consent_button"), callback_data=data)]]
    )


def leave_all_confirm(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(lang, "leave_all_yes"), callback_data=f"{LEAVE_ALL}:yes"
                ),
                InlineKeyboardButton(plain(lang, "leave_all_no"), callback_data=f"{LEAVE_ALL}:no"),
            ]
        ]
    )


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
    """The page asked for by callback data ending in ``:<page>``; 1 when it names none
    (stale or forged data). Out-of-range pages are clamped by `picker`."""
    last = data.rpartition(":")[2]
    return int(last) if last.isascii() and last.isdigit() and len(last) <= 4 else 1


def picker(
    lang: str,
    text: str,
    items: Sequence[InlineKeyboardButton],
    page: int,
    page_data: str,
    *,
    rows_after: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> Picker:
    """Page ``page`` of ``items``, two a row, then a row to the neighbouring pages (callback
    data ``<page_data>:<page>``), then the picker's own ``rows_after`` on every page.

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


def _page_button(lang: str, key: str, page: int, page_data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        plain(lang, key).format(page=page), callback_data=f"{page_data}:{page}"
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
        data = f"{AUDIT_PAGE}:n:{page.newer.after}:{page.newer.floor}"
        turn.append(InlineKeyboardButton(plain(lang, "audit_newer_button"), callback_data=data))
    if page.older is not None:
        data = f"{AUDIT_PAGE}:o:{page.older.before}:{page.older.floor}"
        turn.append(InlineKeyboardButton(plain(lang, "audit_older_button"), callback_data=data))
    return InlineKeyboardMarkup([turn]) if turn else None


MAX_ENTRY_ID = 2**63 - 1  # SQLite's largest integer
_AUDIT_DATA = re.compile(rf"^{AUDIT_PAGE}:([no]):(\d{{1,19}}):(\d{{1,19}})$")


def audit_view(data: str) -> auditlog.View | None:
    """The page a pager button asks for; None for data this bot did not make."""
    match = _AUDIT_DATA.match(data)
    if match is None:
        return None
    direction, at, floor = match.group(1), int(match.group(2)), int(match.group(3))
    if max(at, floor) > MAX_ENTRY_ID:
        return None
    if direction == "n":
        return auditlog.View(floor, after=at)
    return auditlog.View(floor, before=at)


# ------------------------------------------------------------------ area pickers


def area_choice(lang: str, areas: list[Area], page: int = 1) -> Picker:
    """Areas to join (after consent, and /join without an area)."""
    buttons = [InlineKeyboardButton(a.name, callback_data=f"{JOIN}:{a.code}") for a in areas]
    return picker(lang, t(lang, "choose_area"), buttons, page, JOIN_PAGE)


def leave_choice(lang: str, areas: list[Area], page: int = 1) -> Picker:
    """The resident's own areas, with "leave all" on every page."""
    buttons = [InlineKeyboardButton(a.name, callback_data=f"{LEAVE}:{a.code}") for a in areas]
    leave_all = [InlineKeyboardButton(plain(lang, "leave_all_button"), callback_data=LEAVE_ALL)]
    return picker(lang, t(lang, "leave_choose"), buttons, page, LEAVE_PAGE, rows_after=[leave_all])


# ------------------------------------------------------------------ a tip's status buttons


def status_buttons(lang: str, tip: Tip) -> InlineKeyboardMarkup:
    """Callback data ``tipst:<id>:<status>`` (at most 28 bytes, well under Telegram's 64)."""
    buttons = [
        InlineKeyboardButton(
            ("✅ " if status == tip.status else "") + status_name(lang, status),
            callback_data=f"{STATUS_PREFIX}:{tip.id}:{status}",
        )
        for status in STATUSES
        if status != "new"
    ]
    return InlineKeyboardMarkup([buttons[0:2], buttons[2:4]])


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
