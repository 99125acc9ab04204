"""How Telegram measures and limits a message's text. The domain checks a text against these
before it is queued, so that a message someone relies on is never refused for its length.
The limits are PTB's own (``telegram.constants``), so they follow the Bot API version PTB
speaks; this module is the only way they reach the domain."""

from __future__ import annotations

import html
import re

from telegram.constants import MessageLimit

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
_TAG = re.compile(r"<[^>]+>")


def telegram_length(text: str) -> int:
    """Telegram measures message length in UTF-16 code units after markup is removed."""
    plain = html.unescape(_TAG.sub("", text))
    return len(plain.encode("utf-16-le")) // 2
