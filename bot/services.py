"""What every handler needs: the settings, the database and the outbox, reachable from the
PTB context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import Settings
from storage.db import Database

if TYPE_CHECKING:
    from bot.delivery import Outbox


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    outbox: Outbox | None = None
