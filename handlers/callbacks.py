"""Callback data: what an inline button hands back when pressed, one small class per kind of
button, each with its format, its reader and its route in one place.

``pack()`` makes the text a button carries, ``parse()`` reads it back (None for anything this
bot did not make: a forged press, or a button whose format is gone), and ``pattern()`` is
what bot/app.py routes on. The texts are the ones earlier versions sent, so that a button
pressed after a restart or an upgrade still works; presses that match no route are answered
by profile.stale_button.

Telegram refuses a whole keyboard when one button's data is outside 1-64 bytes, so ``pack``
refuses such data at once, where the mistake is made, rather than in a resident's chat."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import ClassVar, Self

from telegram.constants import InlineKeyboardButtonLimit

SEPARATOR = ":"
MAX_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
# Ids and page numbers: SQLite's integers have at most 19 digits.
_MAX_DIGITS = 19


class CallbackData:
    """Base of the formats below: ``prefix:field:field…``. Fields are ``str`` or ``int``;
    trailing fields with a default may be left out; the last field takes the rest of the
    text (separators included), as the hand-written readers before this did."""

    prefix: ClassVar[str]

    def __init_subclass__(cls, *, prefix: str | None = None, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if prefix is not None:
            cls.prefix = prefix

    def pack(self) -> str:
        parts = [self.prefix]
        fields = dataclasses.fields(self)
        for number, field in enumerate(fields, 1):
            value = getattr(self, field.name)
            if value is None:
                break
            text = str(value)
            if SEPARATOR in text and number < len(fields):
                raise ValueError(f"{type(self).__name__}.{field.name} holds {SEPARATOR!r}")
            parts.append(text)
        data = SEPARATOR.join(parts)
        if not 1 <= len(data.encode("utf-8")) <= MAX_BYTES:
            raise ValueError(f"{type(self).__name__} data is over {MAX_BYTES} bytes")
        return data

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        if data is None:
            return None
        fields = dataclasses.fields(cls)
        if data == cls.prefix:
            texts: list[str] = []
        elif data.startswith(cls.prefix + SEPARATOR) and fields:
            texts = data[len(cls.prefix) + 1 :].split(SEPARATOR, len(fields) - 1)
        else:
            return None
        required = sum(
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            for f in fields
        )
        if len(texts) < required:
            return None
        values = {}
        for field, text in zip(fields, texts, strict=False):
            if field.type in ("int", int):
                if not (text.isascii() and text.isdecimal() and len(text) <= _MAX_DIGITS):
                    return None
                values[field.name] = int(text)
            else:
                values[field.name] = text
        return cls(**values)

    @classmethod
    def pattern(cls) -> str:
        return rf"^{re.escape(cls.prefix)}(:|$)"

    @classmethod
    def matches(cls, data: str | None) -> bool:
        """Whether a press is of this kind (routed here), whatever its fields hold."""
        return data is not None and re.match(cls.pattern(), data) is not None


def pattern(*kinds: type[CallbackData]) -> str:
    """One route for several kinds of button (a step that handles them in one callback)."""
    return rf"^({'|'.join(re.escape(kind.prefix) for kind in kinds)})(:|$)"


# ------------------------------------------------------------------ signing up


@dataclass(frozen=True)
class Consent(CallbackData, prefix="consent"):
    """Consent given; with an area code, that area is joined right after."""

    area_code: str | None = None


@dataclass(frozen=True)
class ConsentLanguage(CallbackData, prefix="consentlang"):
    """Before consent: show the consent in ``language`` (the one Telegram says the user
    has), keeping the area of a sign's deep link."""

    language: str
    area_code: str | None = None


@dataclass(frozen=True)
class ConsentInvite(CallbackData, prefix="consentinv"):
    """Consent given, then the invite ``code`` redeemed."""

    code: str


@dataclass(frozen=True)
class Join(CallbackData, prefix="join"):
    area_code: str


@dataclass(frozen=True)
class Leave(CallbackData, prefix="leave"):
    area_code: str


@dataclass(frozen=True)
class LeaveAll(CallbackData, prefix="leaveall"):
    """Without an answer: asks; then "yes" or "no"."""

    answer: str | None = None


@dataclass(frozen=True)
class Forget(CallbackData, prefix="forget"):
    """ "yes" or "no" to erasing everything about oneself."""

    answer: str | None = None


# ------------------------------------------------------------------ pages of a list


@dataclass(frozen=True)
class Page(CallbackData):
    """A page of a list of buttons (handlers/keyboards.py picker); each list has its own."""

    page: int


@dataclass(frozen=True)
class JoinPage(Page, prefix="joinpage"):
    pass


@dataclass(frozen=True)
class LeavePage(Page, prefix="leavepage"):
    pass


@dataclass(frozen=True)
class RemoveAreaPage(Page, prefix="arearmpage"):
    pass


@dataclass(frozen=True)
class AlertPage(Page, prefix="alert:page"):
    pass


@dataclass(frozen=True)
class TipPage(Page, prefix="tip:page"):
    pass


# ------------------------------------------------------------------ administration


@dataclass(frozen=True)
class RemoveAreaPick(CallbackData, prefix="arearmpick"):
    """An area chosen from the /area remove list."""

    area_code: str


@dataclass(frozen=True)
class RemoveArea(CallbackData, prefix="arearm"):
    """Removal confirmed for the area; ``KEEP`` keeps it."""

    KEEP: ClassVar[str] = "-"
    area_code: str


@dataclass(frozen=True)
class AuditPage(CallbackData, prefix="auditpg"):
    """A page of /audit: ``NEWER`` entries after ``at``, or ``OLDER`` ones before it, all
    above ``floor``."""

    NEWER: ClassVar[str] = "n"
    OLDER: ClassVar[str] = "o"
    direction: str
    at: int
    floor: int


@dataclass(frozen=True)
class TipStatus(CallbackData, prefix="tipst"):
    """A status button under a tip card (at most 28 bytes)."""

    tip_id: int
    status: str


@dataclass(frozen=True)
class TipUndo(CallbackData, prefix="tipundo"):
    """ "Undo" under a tip card just changed by button: takes back that change (its history
    row) while it is still the latest and young enough."""

    tip_id: int
    change_id: int


# ------------------------------------------------------------------ the alert flow


@dataclass(frozen=True)
class AlertToggle(CallbackData, prefix="alert:toggle"):
    area_code: str


@dataclass(frozen=True)
class AlertAll(CallbackData, prefix="alert:all"):
    """Every area; ``page`` is the chooser's page to show again."""

    page: int


@dataclass(frozen=True)
class AlertNext(CallbackData, prefix="alert:next"):
    pass


@dataclass(frozen=True)
class AlertSend(CallbackData, prefix="alert:send"):
    pass


@dataclass(frozen=True)
class AlertCancel(CallbackData, prefix="alert:cancel"):
    pass


@dataclass(frozen=True)
class AlertSuggestion(CallbackData, prefix="alert:mean"):
    """The answer to "did you mean Norr?": ``YES`` or ``NO``; the areas are in the draft."""

    YES: ClassVar[str] = "yes"
    NO: ClassVar[str] = "no"
    choice: str


# ------------------------------------------------------------------ the tip flow


@dataclass(frozen=True)
class TipCategory(CallbackData, prefix="tip:cat"):
    code: str


@dataclass(frozen=True)
class TipArea(CallbackData, prefix="tip:area"):
    area_code: str


@dataclass(frozen=True)
class TipWhen(CallbackData, prefix="tip:when"):
    """One of bot.tips.OCCURRED, or ``PICK`` to choose an earlier date."""

    PICK: ClassVar[str] = "pick"
    choice: str


@dataclass(frozen=True)
class TipDate(CallbackData, prefix="tip:date"):
    """An ISO date."""

    day: str


@dataclass(frozen=True)
class TipContact(CallbackData, prefix="tip:contact"):
    choice: str


@dataclass(frozen=True)
class TipNext(CallbackData, prefix="tip:next"):
    pass


@dataclass(frozen=True)
class TipAnyway(CallbackData, prefix="tip:anyway"):
    """ "Go on anyway" after the call-112 notice of a tip that is happening now."""


@dataclass(frozen=True)
class TipBack(CallbackData, prefix="tip:back"):
    pass


@dataclass(frozen=True)
class TipSend(CallbackData, prefix="tip:send"):
    pass


@dataclass(frozen=True)
class TipCancel(CallbackData, prefix="tip:cancel"):
    pass


@dataclass(frozen=True)
class TipOffer(CallbackData, prefix="tip:offer"):
    """The answer to "send what you wrote as a tip?": ``YES`` or ``NO``."""

    YES: ClassVar[str] = "yes"
    NO: ClassVar[str] = "no"
    choice: str
