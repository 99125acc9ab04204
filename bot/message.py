"""What a service says back, before it is put in anyone's language: a catalogue key and the
values to fill in. The Telegram side turns it into a reply in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Message:
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
