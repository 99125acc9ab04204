"""Text catalogues: every user-visible string, one module per language, same keys.

Messages are sent with HTML parse mode, so :func:`t` escapes every value it inserts;
already-formatted HTML fragments are passed wrapped in :class:`Safe`.
"""

from __future__ import annotations

import html
from typing import Any

from bot.texts import en, sv

CATALOGUES: dict[str, dict[str, str]] = {"sv": sv.TEXTS, "en": en.TEXTS}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_LANGUAGE = "sv"


class Safe(str):
    """A value that is already valid HTML and must not be escaped again."""


def escape(value: Any) -> str:
    return value if isinstance(value, Safe) else html.escape(str(value), quote=False)


def t(lang: str, key: str, **values: Any) -> str:
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])
    return catalogue[key].format(**{name: escape(value) for name, value in values.items()})


def plain(lang: str, key: str) -> str:
    """A text used outside HTML messages (button labels, command menu descriptions)."""
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])
    return catalogue[key]
