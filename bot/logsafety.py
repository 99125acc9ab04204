"""Log records without the bot token and without anyone's Telegram id.

The token is part of every Bot API URL, and HTTP libraries put the URL into their error
texts; any such text can end up in a log line or a traceback. :class:`TokenFilter` masks the
token in the whole record (message, arguments, traceback) before any handler formats it.

Where the operator needs to tell whether two log lines are about the same chat,
:func:`pseudonym` gives a keyed hash: stable for the life of the process, meaningless outside
it, and not reversible by trying all ids without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re

__all__ = ["MASK", "TokenFilter", "install_token_filter", "mask_tokens", "pseudonym"]

MASK = "<token>"
# A Telegram bot token: the bot's id, a colon, 35 characters (shorter ones matched too).
_TOKEN_RE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
# The token's place in a Bot API URL, whatever it looks like (.../bot<token>/method).
_URL_TOKEN_RE = re.compile(r"(/(?:file/)?bot)[^/\s'\"]+(?=/)")

# A new key per process: correlation within one run is all the operator needs.
_PSEUDONYM_KEY = os.urandom(16)


def mask_tokens(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with every known secret, every token-shaped string and the token part of
    Bot API URLs replaced by ``<token>``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    text = _URL_TOKEN_RE.sub(lambda m: m[1] + MASK, text)
    return _TOKEN_RE.sub(MASK, text)


def pseudonym(value: int | str | None) -> str:
    """A short keyed hash of a user or chat id, for log lines that need to correlate."""
    if value is None:
        return "-"
    digest = hmac.new(_PSEUDONYM_KEY, str(value).encode(), hashlib.sha256).hexdigest()
    return "#" + digest[:10]


class TokenFilter(logging.Filter):
    """Masks the token in a record in place, so every handler after it sees it masked.

    Attached to handlers (not loggers): a handler's filters see the records of every logger
    that propagates to it, including PTB's, aiohttp's and asyncio's."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        # The whole token first, then its secret half alone (what follows the bot's id),
        # which is enough to use the bot and can be quoted on its own.
        halves = tuple(s.split(":", 1)[1] for s in secrets if ":" in s)
        self.secrets = tuple(s for s in (*secrets, *halves) if s)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw parts, masked
            message = f"{record.msg!r} {record.args!r}"
        record.msg = mask_tokens(message, self.secrets)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            # Formatters use exc_text when it is set; render the traceback once, masked.
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_tokens(text, self.secrets)
        elif record.exc_text:
            record.exc_text = mask_tokens(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = mask_tokens(record.stack_info, self.secrets)
        return True


def install_token_filter(*secrets: str) -> TokenFilter:
    """Put one :class:`TokenFilter` on every handler of the root logger (once per handler)."""
    token_filter = TokenFilter(*secrets)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, TokenFilter)]:
            handler.removeFilter(old)
        handler.addFilter(token_filter)
    return token_filter
