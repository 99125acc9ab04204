"""The storage layer: migrations, transactions, seeding."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from storage.areas import all_areas, seed_areas
from storage.db import Database, available_migrations


async def test_migrations_are_numbered_recorded_and_run_once(tmp_path: Path):
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    versions = [v for v, _, _ in available_migrations()]
    assert versions == sorted(versions) and versions[0] == 1
    recorded = [r[0] for r in await db.fetchall("SELECT version FROM schema_migrations")]
    assert recorded == versions
    await db.close()
    again = await Database.open(path)
    assert await again.migrate() == []
    assert await again.fetchval("PRAGMA journal_mode") == "wal"
    assert await again.fetchval("PRAGMA foreign_keys") == 1
    await again.close()


async def test_transaction_is_atomic_and_rolls_back(tmp_path: Path):
    db = await Database.open(tmp_path / "db.sqlite3")
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO areas (code, name, created_at) VALUES ('a', 'A', 'now')")
            raise RuntimeError("boom")
    assert await db.fetchval("SELECT count(*) FROM areas") == 0
    await db.close()


async def test_concurrent_transactions_do_not_interleave(tmp_path: Path):
    """Each writer reads a counter, yields to the others, and writes it back plus one: with
    interleaving transactions some increments would be lost."""
    db = await Database.open(tmp_path / "db.sqlite3")
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO areas (code, name, created_at) VALUES ('c', '0', 'now')")

    async def increment() -> None:
        async with db.transaction() as tx:
            value = int(await tx.fetchval("SELECT name FROM areas WHERE code = 'c'"))
            await asyncio.sleep(0)
            await tx.execute("UPDATE areas SET name = ? WHERE code = 'c'", (str(value + 1),))

    await asyncio.gather(*(increment() for _ in range(50)))
    assert await db.fetchval("SELECT name FROM areas WHERE code = 'c'") == "50"
    await db.close()


async def test_reader_sees_only_committed_data(tmp_path: Path):
    db = await Database.open(tmp_path / "db.sqlite3")
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO areas (code, name, created_at) VALUES ('x', 'X', 'now')")
        assert await db.fetchval("SELECT count(*) FROM areas") == 0
    assert await db.fetchval("SELECT count(*) FROM areas") == 1
    await db.close()


async def test_seeding_adds_missing_areas_only(tmp_path: Path):
    db = await Database.open(tmp_path / "db.sqlite3")
    assert await seed_areas(db, [("centrum", "Centrum", ["69231"])]) == 1
    async with db.transaction() as tx:
        await tx.execute("UPDATE areas SET name = 'Centrum Kumla' WHERE code = 'centrum'")
    assert await seed_areas(db, [("centrum", "Centrum", ["69231"]), ("norr", "Norr", [])]) == 1
    names = {a.code: a.name for a in await all_areas(db)}
    assert names == {"centrum": "Centrum Kumla", "norr": "Norr"}
    await db.close()


async def test_backup_is_a_consistent_database(tmp_path: Path):
    db = await Database.open(tmp_path / "db.sqlite3")
    await seed_areas(db, [("centrum", "Centrum", ["69231"])])
    await db.backup(tmp_path / "copy.sqlite3")
    await db.close()
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT code FROM areas").fetchall() == [("centrum",)]
