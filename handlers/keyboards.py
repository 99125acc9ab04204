"""Inline keyboards and the callback-data formats they use (max 64 bytes; area codes are at
most 32 characters, so every format here fits)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import plain
from storage.areas import Area

CONSENT = "consent"  # "consent" or "consent:<area code>" to join that area right after
JOIN = "join"  # "join:<area code>"
LEAVE = "leave"  # "leave:<area code>"
LEAVE_ALL = "leaveall"  # "leaveall", then "leaveall:yes" / "leaveall:no"


def consent(lang: str, area_code: str | None = None) -> InlineKeyboardMarkup:
    return consent_then(lang, f"{CONSENT}:{area_code}" if area_code else CONSENT)


def consent_then(lang: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(plain(lang, "consent_button"), callback_data=data)]]
    )


def area_choice(areas: list[Area], prefix: str = JOIN) -> InlineKeyboardMarkup:
    """Two buttons per row keeps long Swedish area names readable on a phone."""
    buttons = [InlineKeyboardButton(a.name, callback_data=f"{prefix}:{a.code}") for a in areas]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def leave_choice(lang: str, areas: list[Area]) -> InlineKeyboardMarkup:
    rows = list(area_choice(areas, LEAVE).inline_keyboard)
    rows.append((InlineKeyboardButton(plain(lang, "leave_all_button"), callback_data=LEAVE_ALL),))
    return InlineKeyboardMarkup(rows)


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
