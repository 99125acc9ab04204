"""Operator tasks that run beside the bot: backups."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.config import Settings
from storage.db import Database


def backup_database(settings: Settings, dest: Path) -> int:
    """Copy the live database with SQLite's online backup API: consistent even while the bot
    is writing, unlike copying the file."""
    source = Path(settings.database.path)
    if not source.exists():
        print(f"no database at {source}", file=sys.stderr)
        return 1
    if dest.exists():
        print(f"{dest} exists already; choose a new file name", file=sys.stderr)
        return 1
    asyncio.run(_backup(source, dest))
    print(f"backup of {source} written to {dest}")
    return 0


async def _backup(source: Path, dest: Path) -> None:
    db = await Database.open(source, migrate=False)
    try:
        await db.backup(dest)
    finally:
        await db.close()
