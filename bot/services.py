"""What every handler needs: the settings and the database, reachable from the PTB context."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from storage.db import Database


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
