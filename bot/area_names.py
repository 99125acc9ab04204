"""What a person types for an area — its code, its name, or the start of either — matched to
the areas there are. Case, accents, spaces and underscores do not count: "östra mark",
"Ostra mark", "ostra_mark" and "öst" all mean Östra Mark. The one resolver for every command
that takes an area."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from storage.areas import Area

# How alike a typo must be to an area's name or code to be offered as "did you mean".
NEAREST_CUTOFF = 0.6


def fold(text: str) -> str:
    """``text`` as compared: lowercase, without accents, only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Resolved:
    """The area meant, or why there is none.

    ``exact``: the code or the whole name was typed; a prefix gives ``exact=False``.
    ``candidates``: several areas start that way, none is chosen.
    ``nearest``: no area matched; the one that looks most like what was typed, if any."""

    area: Area | None
    exact: bool = False
    candidates: tuple[Area, ...] = ()
    nearest: Area | None = None


def resolve(areas: Sequence[Area], typed: str) -> Resolved:
    key = fold(typed)
    if not key:
        return Resolved(None)
    exact = [a for a in areas if key in (fold(a.code), fold(a.name))]
    if len(exact) == 1:
        return Resolved(exact[0], exact=True)
    starting = exact or [a for a in areas if _starts(a, key)]
    if len(starting) == 1:
        return Resolved(starting[0])
    if starting:
        return Resolved(None, candidates=tuple(sorted(starting, key=lambda a: fold(a.name))))
    return Resolved(None, nearest=_nearest(areas, key))


def _starts(area: Area, key: str) -> bool:
    """The name or code begins with what was typed, or one of the name's words does
    ("mark" for Östra Mark)."""
    words = [fold(w) for w in area.name.split()]
    return any(w.startswith(key) for w in (fold(area.code), fold(area.name), *words))


def _nearest(areas: Sequence[Area], key: str) -> Area | None:
    by_key: dict[str, Area] = {}
    for area in areas:
        by_key.setdefault(fold(area.name), area)
        by_key.setdefault(fold(area.code), area)
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=NEAREST_CUTOFF)
    return by_key[close[0]] if close else None


def names(areas: Sequence[Area]) -> str:
    return ", ".join(a.name for a in areas)
