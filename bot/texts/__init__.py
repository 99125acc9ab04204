"""Text catalogues: every user-visible string, one module per language, same keys.

Messages are sent with HTML parse mode, so :func:`t` escapes every value it inserts;
already-formatted HTML fragments are passed wrapped in :class:`Safe`.

Counts. A number that a word agrees with ("1 rad", "2 rader", "1 member") is a *count*, and a
text never shows one as a bare placeholder:

- a text with one count names it ``{count}`` and is an entry with plural forms, a dict from
  CLDR plural category to text (``{"one": "{count} rad", "other": "{count} rader"}``);
  ``t(lang, key, count=n)`` picks the form with Babel, and a form may leave the number out
  ("den senaste veckan");
- any other count is shown through such an entry named after a colon: in
  ``"går till {people:n_people}"``, ``people`` is rendered by the entry ``n_people``
  with ``count=people``. That is how one text shows several counts, or a count that keeps
  the name the caller gives it.

Every entry with forms has all the categories its language has (for Swedish and English,
``one`` and ``other``). A number shown as a bare figure, with no word agreeing with it (after a
label, in a range, a page or week number: "Sida {page} av {pages}"), is not a
count. :data:`COUNT_NAMES` are placeholder names that always hold a count, so a test can
refuse them bare.
"""

from __future__ import annotations

import functools
import html
import string
from collections.abc import Mapping
from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.plural import PluralRule

from bot.texts import en, sv

Entry = str | dict[str, str]

CATALOGUES: dict[str, dict[str, Entry]] = {"sv": sv.TEXTS, "en": en.TEXTS}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_LANGUAGE = "sv"

COUNT_NAMES = frozenset({"count", "days", "weeks", "minutes", "people", "groups", "limit", "new"})


class Safe(str):
    """A value that is already valid HTML and must not be escaped again."""


def escape(value: Any) -> str:
    return value if isinstance(value, Safe) else html.escape(str(value), quote=False)


@functools.cache
def _plural_rule(lang: str) -> PluralRule:
    return Locale.parse(lang).plural_form


def plural_categories(lang: str) -> frozenset[str]:
    """The CLDR plural categories ``lang`` tells apart, ``other`` always among them."""
    return _plural_rule(lang).tags | {"other"}


def plural_category(lang: str, count: int) -> str:
    return _plural_rule(lang)(count)


def placeholders(entry: Entry) -> set[str]:
    """The names an entry inserts, over all its forms."""
    forms = entry.values() if isinstance(entry, dict) else [entry]
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def t(lang: str, key: str, *, count: int | None = None, **values: Any) -> str:
    catalogue = _catalogue(lang)
    if count is not None:
        values["count"] = count
    return _Formatter(lang, catalogue).vformat(_form(lang, catalogue, key, count), (), values)


def plain(lang: str, key: str, *, count: int | None = None) -> str:
    """A text used outside HTML messages (button labels, command menu descriptions)."""
    catalogue = _catalogue(lang)
    text = _form(lang, catalogue, key, count)
    return text if count is None else text.format(count=count)


def _catalogue(lang: str) -> dict[str, Entry]:
    return CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])


def _form(lang: str, catalogue: Mapping[str, Entry], key: str, count: int | None) -> str:
    entry = catalogue[key]
    if not isinstance(entry, dict):
        return entry
    if count is None:
        raise TypeError(f"the text {key!r} shows a count and needs count=")
    return entry[plural_category(lang, count)]


class _Formatter(string.Formatter):
    """Escapes what it inserts, and renders ``{name:entry}`` through a counted entry."""

    def __init__(self, lang: str, catalogue: Mapping[str, Entry]) -> None:
        self.lang = lang
        self.catalogue = catalogue

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec:
            form = _form(self.lang, self.catalogue, format_spec, value)
            return self.vformat(form, (), {"count": value})
        return escape(value)


def name_list(lang: str, names: list[str]) -> str:
    """Names joined as the language lists them: "Centrum och Norr", "Centrum, Norr och
    Öster", "Centrum, Norr and Öster" (CLDR's list patterns)."""
    if not names:
        return ""
    return format_list(list(names), locale=lang)
