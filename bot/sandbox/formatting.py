"""Turn (text, parse_mode, entities) into what Telegram stores: trimmed plain text + entities."""

from __future__ import annotations

import re
from typing import Any

from .html import EntityParseError, parse_html, utf16_len
from .markdown import parse_markdown, parse_markdown_v2

__all__ = ["EntityParseError", "detect_entities", "format_text", "utf16_len"]

_PARSERS = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_KNOWN_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)
# Entities that carry hidden data survive even when they cover only whitespace.
_HIDDEN_DATA = frozenset({"text_link", "text_mention", "custom_emoji"})


class FormatError(ValueError):
    """The text is rejected; ``str(exc)`` is the Bot API description without "Bad Request: "."""


def _sort(entities: list[dict]) -> None:
    entities.sort(key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


def _units(text: str) -> list[int]:
    """UTF-16 offset of every character boundary (len(text) + 1 entries)."""
    offsets = [0]
    total = 0
    for ch in text:
        total += 2 if ord(ch) > 0xFFFF else 1
        offsets.append(total)
    return offsets


def _explicit_entities(text: str, raw: Any) -> list[dict]:
    if not isinstance(raw, list):
        raise FormatError("can't parse entities JSON object")
    total = utf16_len(text)
    result = []
    for item in raw:
        if not isinstance(item, dict) or item.get("type") not in _KNOWN_TYPES:
            raise FormatError("can't parse MessageEntity: unsupported entity type")
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 0:
            raise FormatError("can't parse MessageEntity: wrong offset or length")
        if offset + length > total:
            raise FormatError(
                f"can't parse entities: Entity beginning at UTF-16 offset {offset} ends after "
                f"the end of the text at UTF-16 offset {offset + length}"
            )
        if item["type"] == "text_link" and not item.get("url"):
            raise FormatError("can't parse MessageEntity: Can't find field \"url\"")
        result.append(dict(item))
    return result


def _trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Drop whitespace-only entities and strip leading/trailing spaces and newlines."""
    if not text.strip(" \n"):
        return "", []
    # without astral characters UTF-16 offsets are plain string indices
    units = _units(text) if entities and utf16_len(text) != len(text) else None
    kept = []
    for entity in entities:
        if entity["length"] <= 0:
            continue
        if entity["type"] not in _HIDDEN_DATA:
            start, end = entity["offset"], entity["offset"] + entity["length"]
            if units is not None:
                start, end = _char_index(units, start), _char_index(units, end)
            if not text[start:end].strip(" \n"):
                continue
        kept.append(entity)
    stripped_right = text.rstrip(" \n")
    if len(stripped_right) != len(text) and kept:
        limit = utf16_len(stripped_right)
        for entity in kept:
            if entity["offset"] + entity["length"] > limit:
                entity["length"] = limit - entity["offset"]
        kept = [e for e in kept if e["length"] > 0]
    # leading whitespace is only removed up to the first entity, like Telegram does
    first_entity = min((e["offset"] for e in kept), default=None)
    lead = len(stripped_right) - len(stripped_right.lstrip(" \n"))
    if first_entity is not None:
        lead = min(lead, first_entity)  # whitespace chars are 1 UTF-16 unit each
    if lead:
        for entity in kept:
            entity["offset"] -= lead
    _sort(kept)
    return stripped_right[lead:], kept


def _char_index(units: list[int], utf16_offset: int) -> int:
    # binary search: entities are few and texts short, but keep it logarithmic anyway
    lo, hi = 0, len(units) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if units[mid] < utf16_offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def format_text(
    text: Any,
    parse_mode: Any = None,
    entities: Any = None,
    *,
    limit: int,
    allow_empty: bool = False,
    what: str = "text",
) -> tuple[str, list[dict]]:
    """Return Telegram's stored (text, entities) or raise FormatError with its description.

    ``what`` is "text" or "caption" and only selects the error wording.
    """
    if text is None:
        text = ""
    if not isinstance(text, str):
        text = str(text)
    if entities is not None and entities != "":
        plain, ents = text, _explicit_entities(text, entities)
    elif parse_mode:
        parser = _PARSERS.get(str(parse_mode).lower())
        if parser is None:
            raise FormatError("unsupported parse_mode")
        try:
            plain, ents = parser(text)
        except EntityParseError as exc:
            raise FormatError(f"can't parse entities: {exc}") from None
    else:
        plain, ents = text, []
    plain, ents = _trim(plain, ents)
    if not plain and not allow_empty:
        raise FormatError("message text is empty")
    if len(plain) > limit:
        raise FormatError(
            "message caption is too long" if what == "caption" else "message is too long"
        )
    return plain, ents


_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")
_MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9_]{2,32}(?!\w)")
_HASHTAG = re.compile(r"(?<!\w)#\w*[^\W\d_]\w*(?![\w#])")
_URL = re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]", re.IGNORECASE)


def detect_entities(text: str) -> list[dict]:
    """Entities Telegram finds by itself in user text: commands, mentions, hashtags, URLs."""
    if not text:
        return []
    found: list[dict] = []
    units = None
    for kind, pattern in (
        ("bot_command", _COMMAND),
        ("mention", _MENTION),
        ("hashtag", _HASHTAG),
        ("url", _URL),
    ):
        for match in pattern.finditer(text):
            if units is None:
                units = _units(text)
            start, end = units[match.start()], units[match.end()]
            found.append({"type": kind, "offset": start, "length": end - start})
    _sort(found)
    return found
