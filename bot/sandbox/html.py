"""Telegram's HTML parse mode, ported from the reference parser used by the Bot API server.

`parse_html` returns the plain text and the message entities Telegram would produce, or raises
`EntityParseError` carrying the same wording as Telegram's "can't parse entities" errors.

Deliberately stricter than Telegram in one place: an unknown named entity such as ``&nbsp;`` is
rejected. Telegram accepts it but shows it literally, which is always a formatting bug in the bot.
"""

from __future__ import annotations

__all__ = ["EntityParseError", "parse_html", "utf16_len"]

_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
}
# The reference parser treats NUL as whitespace because it doubles as its end-of-text sentinel.
_SPACE = frozenset(" \t\r\n\0\x0b\x0c")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(ValueError):
    """Text could not be parsed in the requested parse mode (Telegram answers 400)."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _is_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _decode_entity(t: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference starting at ``t[pos] == '&'``; None if it is not one."""
    end = pos + 1
    if t[end] == "#":
        end += 1
        code = 0
        if t[end] == "x":
            end += 1
            start = end
            while t[end] in "0123456789abcdefABCDEF":
                end += 1
            code = int(t[start:end], 16) if 0 < end - start < 10 else 0
        else:
            start = end
            while t[end].isascii() and t[end].isdigit():
                end += 1
            code = int(t[start:end]) if 0 < end - start < 10 else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
        char = chr(code)
    else:
        start = end
        while t[end].isascii() and t[end].isalpha():
            end += 1
        name = t[start:end]
        if name not in _NAMED:
            if name and t[end] == ";":
                raise EntityParseError(
                    f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(t, pos)}'
                )
            return None
        char = _NAMED[name]
    if t[end] == ";":
        end += 1
    return char, end


def _checked_url(url: str) -> str | None:
    """Normalise a link target roughly like Telegram; None drops the link silently."""
    url = url.strip()
    if not url:
        return None
    lower = url.lower()
    if lower.startswith(("http://", "https://", "tg://", "ton://")):
        return url
    if "://" in url or lower.startswith(("javascript:", "data:", "mailto:")):
        return None
    if "." in url and " " not in url:
        return "http://" + url
    return None


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into (plain text, entities)."""
    if "<" not in text and "&" not in text:
        return text, []
    t = text + "\0"
    n = len(text)
    out: list[str] = []
    utf16 = 0
    entities: list[dict] = []
    # stack entries: [tag_name, argument, utf16 offset at start, index into out at start]
    stack: list[list] = []
    i = 0
    while i < n:
        lt = text.find("<", i)
        amp = text.find("&", i)
        if lt == -1:
            lt = n
        if amp == -1:
            amp = n
        nxt = lt if lt < amp else amp
        if nxt > i:
            chunk = text[i:nxt]
            out.append(chunk)
            utf16 += utf16_len(chunk)
            i = nxt
            continue
        c = t[i]
        if c == "&":
            decoded = _decode_entity(t, i)
            if decoded is None:
                out.append("&")
                utf16 += 1
                i += 1
            else:
                char, i = decoded
                out.append(char)
                utf16 += utf16_len(char)
            continue
        # c == "<"
        begin = i
        i += 1
        if t[i] != "/":
            while t[i] not in _SPACE and t[i] != ">":
                i += 1
            if t[i] == "\0":
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            tag = t[begin + 1 : i].lower()
            if tag not in _TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            argument = ""
            expandable = False
            while t[i] != ">":
                while t[i] != "\0" and t[i] in _SPACE:
                    i += 1
                if t[i] == ">":
                    break
                attr_begin = i
                while t[i] not in _SPACE and t[i] not in "=>":
                    i += 1
                attr = t[attr_begin:i]
                if not attr:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset '
                        f"{_byte_offset(text, begin)}"
                    )
                while t[i] != "\0" and t[i] in _SPACE:
                    i += 1
                if t[i] != "=":
                    if tag == "blockquote" and attr == "expandable":
                        expandable = True
                        continue
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                i += 1
                while t[i] != "\0" and t[i] in _SPACE:
                    i += 1
                if t[i] == "\0":
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                if t[i] not in "'\"":
                    token_begin = i
                    while _is_alnum(t[i]) or t[i] in ".-":
                        i += 1
                    value = t[token_begin:i].lower()
                    if t[i] not in _SPACE and t[i] != ">":
                        raise EntityParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = t[i]
                    i += 1
                    parts: list[str] = []
                    while t[i] != quote and t[i] != "\0":
                        if t[i] == "&":
                            decoded = _decode_entity(t, i)
                            if decoded is not None:
                                parts.append(decoded[0])
                                i = decoded[1]
                                continue
                        parts.append(t[i])
                        i += 1
                    if t[i] == quote:
                        i += 1
                    value = "".join(parts)
                if t[i] == "\0":
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                    )
                if tag == "a" and attr == "href":
                    argument = value
                elif tag == "code" and attr == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and attr == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and attr == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr == "expandable":
                    expandable = True
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            if tag == "blockquote" and expandable:
                argument = "expandable"
            stack.append([tag, argument, utf16, len(out)])
            i += 1  # skip '>'
            continue
        # end tag
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        while t[i] not in _SPACE and t[i] != ">":
            i += 1
        end_tag = t[begin + 2 : i].lower()
        while t[i] in _SPACE and t[i] != "\0":
            i += 1
        if t[i] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        tag, argument, start, out_index = stack.pop()
        if end_tag and end_tag != tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                f'expected "</{tag}>", found "</{end_tag}>"'
            )
        i += 1  # skip '>'
        length = utf16 - start
        if length <= 0:
            continue
        entity: dict | None
        if tag in _SIMPLE:
            entity = {"type": _SIMPLE[tag], "offset": start, "length": length}
        elif tag == "span":
            entity = {"type": "spoiler", "offset": start, "length": length}
        elif tag == "tg-emoji":
            if not argument.isdigit() or int(argument) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity = {
                "type": "custom_emoji",
                "offset": start,
                "length": length,
                "custom_emoji_id": argument,
            }
        elif tag == "a":
            url = _checked_url(argument or "".join(out[out_index:]))
            entity = (
                {"type": "text_link", "offset": start, "length": length, "url": url}
                if url
                else None
            )
        elif tag == "pre":
            last = entities[-1] if entities else None
            if (
                last is not None
                and last["type"] == "code"
                and last["offset"] == start
                and last["length"] == length
                and last.get("language")
            ):
                last["type"] = "pre"
                entity = None
            else:
                entity = {"type": "pre", "offset": start, "length": length}
        elif tag == "code":
            last = entities[-1] if entities else None
            if (
                last is not None
                and last["type"] == "pre"
                and last["offset"] == start
                and last["length"] == length
                and argument
            ):
                last["language"] = argument
                entity = None
            else:
                entity = {"type": "code", "offset": start, "length": length}
                if argument:
                    entity["language"] = argument
        else:  # blockquote
            kind = "expandable_blockquote" if argument == "expandable" else "blockquote"
            entity = {"type": kind, "offset": start, "length": length}
        if entity is not None:
            entities.append(entity)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        # a language on a plain <code> has no meaning outside <pre>
        if entity["type"] == "code":
            entity.pop("language", None)
    return "".join(out), entities
