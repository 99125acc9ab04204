"""Telegram's MarkdownV2 and legacy Markdown parse modes, ported from the Bot API server's parser.

Both return (plain text, entities) or raise `EntityParseError` with Telegram's wording, e.g.
"Character '.' is reserved and must be escaped with the preceding '\\'".
"""

from __future__ import annotations

from .html import EntityParseError, _checked_url

__all__ = ["parse_markdown", "parse_markdown_v2"]

_RESERVED = frozenset("_*[]()~`>#+-=|{}.!\n")
_SPACE = frozenset(" \t\r\n\0\x0b\x0c")
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "pre_code": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "blockquote": "BlockQuote",
}


def _u16(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def _boff(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _escapable(ch: str) -> bool:
    return 0 < ord(ch) <= 126


def _reserved(ch: str) -> EntityParseError:
    return EntityParseError(
        f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
    )


def _skip_pre_header(t: str, i: int) -> tuple[int, str]:
    """Read an optional language after ``` and skip one leading newline; i points after ```."""
    language = ""
    end = i
    while t[end] not in _SPACE and t[end] != "`":
        end += 1
    if end != i and end < len(t) - 1 and t[end] != "`":
        language = t[i:end]
        i = end
    if t[i] in "\n\r":
        if t[i + 1] in "\n\r" and t[i] != t[i + 1]:
            i += 2
        else:
            i += 1
    return i, language


def parse_markdown_v2(text: str) -> tuple[str, list[dict]]:
    """Parse MarkdownV2 into (plain text, entities)."""
    t = text + "\0"
    n = len(text)
    out: list[str] = []
    utf16 = 0
    entities: list[dict] = []
    # stack entries: [kind, argument, utf16 offset, byte offset of the marker, index into out]
    stack: list[list] = []
    have_quote = False
    i = 0
    while i < n:
        c = t[i]
        if c == "\\" and _escapable(t[i + 1]):
            i += 1
            out.append(t[i])
            utf16 += 1
            i += 1
            continue
        top = stack[-1][0] if stack else None
        if top in ("code", "pre", "pre_code"):
            is_special = c == "`"
        else:
            is_special = c in _RESERVED
        if not is_special:
            out.append(c)
            utf16 += _u16(c)
            i += 1
            continue
        is_end = False
        if stack:
            if have_quote and c == "\n" and (i + 1 == n or t[i + 1] != ">"):
                is_end = True
            elif top == "bold":
                is_end = c == "*"
            elif top == "italic":
                is_end = c == "_" and t[i + 1] != "_"
            elif top == "code":
                is_end = c == "`"
            elif top in ("pre", "pre_code"):
                is_end = c == "`" and t[i + 1] == "`" and t[i + 2] == "`"
            elif top in ("text_link", "custom_emoji"):
                is_end = c == "]"
            elif top == "underline":
                is_end = c == "_" and t[i + 1] == "_"
            elif top == "strikethrough":
                is_end = c == "~"
            elif top == "spoiler":
                is_end = c == "|" and t[i + 1] == "|"
        if not is_end:
            marker = i
            argument = ""
            kind: str | None
            if c == "_":
                if t[i + 1] == "_":
                    kind = "underline"
                    i += 1
                else:
                    kind = "italic"
            elif c == "*":
                kind = "bold"
            elif c == "~":
                kind = "strikethrough"
            elif c == "|":
                if t[i + 1] != "|":
                    raise _reserved(c)
                i += 1
                kind = "spoiler"
            elif c == "[":
                kind = "text_link"
            elif c == "`":
                if t[i + 1] == "`" and t[i + 2] == "`":
                    i, argument = _skip_pre_header(t, i + 3)
                    kind = "pre_code" if argument else "pre"
                    i -= 1
                else:
                    kind = "code"
            elif c == "!":
                if t[i + 1] != "[":
                    raise _reserved(c)
                i += 1
                kind = "custom_emoji"
            elif c == "\n":
                out.append("\n")
                utf16 += 1
                kind = None
                if i + 1 < n and t[i + 1] == ">":
                    i += 1
                    if not have_quote:
                        kind = "blockquote"
                        have_quote = True
            elif c == ">":
                if i != 0:
                    raise _reserved(c)
                kind = "blockquote"
                have_quote = True
            else:
                raise _reserved(c)
            i += 1
            if kind is not None:
                stack.append([kind, argument, utf16, _boff(text, marker), len(out)])
            continue
        # end of an entity
        kind, argument, start, marker_off, out_index = stack[-1]
        if c == "\n" and kind != "blockquote":
            raise EntityParseError(
                f"Can't find end of {_NAMES[kind]} entity at byte offset {marker_off}"
            )
        skip = utf16 == start
        entity: dict = {}
        if kind in ("underline", "spoiler"):
            i += 1
        elif kind in ("pre", "pre_code"):
            i += 2
        elif kind == "text_link":
            if t[i + 1] != "(":
                url = "".join(out[out_index:])
            else:
                i += 2
                url_begin = i
                chars: list[str] = []
                while i < n and t[i] != ")":
                    if t[i] == "\\" and _escapable(t[i + 1]):
                        chars.append(t[i + 1])
                        i += 2
                        continue
                    chars.append(t[i])
                    i += 1
                if t[i] != ")":
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_boff(text, url_begin)}"
                    )
                url = "".join(chars)
            checked = _checked_url(url)
            if checked is None:
                skip = True
            else:
                entity["url"] = checked
        elif kind == "custom_emoji":
            if t[i + 1] != "(":
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            i += 2
            url_begin = i
            chars = []
            while i < n and t[i] != ")":
                if t[i] == "\\" and _escapable(t[i + 1]):
                    chars.append(t[i + 1])
                    i += 2
                    continue
                chars.append(t[i])
                i += 1
            if t[i] != ")":
                raise EntityParseError(
                    f"Can't find end of a custom emoji URL at byte offset {_boff(text, url_begin)}"
                )
            url = "".join(chars)
            prefix = "tg://emoji?id="
            if not url.startswith(prefix) or not url[len(prefix) :].isdigit():
                raise EntityParseError("Custom emoji URL must have an emoji identifier")
            entity["custom_emoji_id"] = url[len(prefix) :]
        elif kind == "blockquote":
            have_quote = False
            out.append(c)
            utf16 += 1
        i += 1
        if not skip:
            length = utf16 - start
            if kind == "pre_code":
                entity.update(type="pre", language=argument)
            else:
                entity["type"] = kind
            entity.update(offset=start, length=length)
            entities.append(entity)
        stack.pop()
    if have_quote and stack and stack[-1][0] == "blockquote":
        _, _, start, _, _ = stack.pop()
        if utf16 != start:
            entities.append({"type": "blockquote", "offset": start, "length": utf16 - start})
    if stack:
        kind, _, _, marker_off, _ = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_NAMES[kind]} entity at byte offset {marker_off}"
        )
    return "".join(out), entities


def parse_markdown(text: str) -> tuple[str, list[dict]]:
    """Parse legacy Markdown into (plain text, entities)."""
    t = text + "\0"
    n = len(text)
    out: list[str] = []
    utf16 = 0
    entities: list[dict] = []
    i = 0
    while i < n:
        c = t[i]
        if c == "\\" and t[i + 1] in "_*`[":
            out.append(t[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            utf16 += _u16(c)
            i += 1
            continue
        begin = i
        end_char = "]" if c == "[" else c
        is_pre = False
        language = ""
        i += 1
        if c == "`" and t[i] == "`" and t[i + 1] == "`":
            is_pre = True
            i, language = _skip_pre_header(t, i + 2)
        start = utf16
        content_begin = len(out)
        while i < n and (
            t[i] != end_char or (is_pre and not (t[i + 1] == "`" and t[i + 2] == "`"))
        ):
            out.append(t[i])
            utf16 += _u16(t[i])
            i += 1
        if i == n:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {_boff(text, begin)}"
            )
        if utf16 != start:
            length = utf16 - start
            if c == "_":
                entities.append({"type": "italic", "offset": start, "length": length})
            elif c == "*":
                entities.append({"type": "bold", "offset": start, "length": length})
            elif c == "[":
                if t[i + 1] != "(":
                    url = "".join(out[content_begin:])
                else:
                    i += 2
                    url_begin = i
                    while i < n and t[i] != ")":
                        i += 1
                    url = t[url_begin:i]
                checked = _checked_url(url)
                if checked:
                    entities.append(
                        {"type": "text_link", "offset": start, "length": length, "url": checked}
                    )
            elif is_pre:
                entity = {"type": "pre", "offset": start, "length": length}
                if language:
                    entity["language"] = language
                entities.append(entity)
            else:
                entities.append({"type": "code", "offset": start, "length": length})
        if is_pre:
            i += 2
        i += 1
    return "".join(out), entities
