"""Drafts kept as plain JSON values (see bot/persistence.py), and reading them back: a value
written by another version of the bot is refused with ValueError rather than misread."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, Self

from storage.areas import Area


class StoredDraft(Protocol):
    """What a flow's draft class offers to be kept over a restart."""

    def to_stored(self) -> dict[str, Any]: ...

    @classmethod
    def from_stored(cls, values: dict[str, Any], areas: Mapping[int, Area]) -> Self: ...


def check_stored(values: Any, version: int, template: Mapping[str, Any]) -> None:
    """ValueError unless ``values`` is a stored dict of this version with exactly the keys of
    ``template`` (what ``to_stored`` writes now)."""
    if not isinstance(values, dict) or values.get("version") != version:
        raise ValueError("not a stored draft of this version")
    if values.keys() != template.keys():
        raise ValueError("stored draft has other fields")


def of_type(value: Any, kind: type, *, optional: bool = False) -> Any:
    """``value`` if it is a ``kind`` (or None, when optional); ValueError otherwise."""
    if (value is None and optional) or isinstance(value, kind):
        return value
    raise ValueError(f"expected {kind.__name__}")
