"""storage/schema.sql is the schema the migrations produce: checked on real database files,
one migrated by the bot's own Database.migrate, one made from schema.sql."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import db as db_module
from storage import schema
from storage.db import Database

REGENERATE = "python -m storage.schema > storage/schema.sql"


async def migrated_objects(path: Path) -> set[tuple[str, str, str, str]]:
    database = await Database.open(path)
    await database.close()
    conn = sqlite3.connect(path)
    try:
        return schema.normalised(conn)
    finally:
        conn.close()


def objects_from_schema_sql(path: Path) -> set[tuple[str, str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(schema.read())
        return schema.normalised(conn)
    finally:
        conn.close()


def differences(migrated: set, from_file: set) -> str:
    only_migrated = sorted(migrated - from_file)
    only_file = sorted(from_file - migrated)
    lines = [f"  migrations only: {kind} {name}: {sql}" for kind, name, _, sql in only_migrated]
    lines += [f"  schema.sql only: {kind} {name}: {sql}" for kind, name, _, sql in only_file]
    return "\n".join(lines)


async def test_schema_sql_is_what_the_migrations_produce(tmp_path: Path) -> None:
    migrated = await migrated_objects(tmp_path / "migrated.db")
    from_file = objects_from_schema_sql(tmp_path / "from_schema.db")
    assert migrated == from_file, (
        "storage/schema.sql differs from what the migrations produce; regenerate it with\n"
        f"  {REGENERATE}\n" + differences(migrated, from_file)
    )
    names = {name for _, name, _, _ in migrated}
    # The comparison covers every kind of object the migrations make, not an empty schema.
    assert {"schema_migrations", "alerts", "tip_copy_parts", "alerts_draft_key"} <= names


async def test_a_migration_missing_from_schema_sql_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = db_module.available_migrations()
    extra = (
        "ALTER TABLE areas ADD COLUMN retired_at TEXT;\n"
        "CREATE TABLE area_notes (area_id INTEGER NOT NULL, note TEXT NOT NULL);\n"
        "CREATE INDEX area_notes_area ON area_notes(area_id);\n"
    )
    number = real[-1][0] + 1
    monkeypatch.setattr(
        db_module,
        "available_migrations",
        lambda: [*real, (number, f"{number:04d}_area_notes.sql", extra)],
    )
    migrated = await migrated_objects(tmp_path / "migrated.db")
    from_file = objects_from_schema_sql(tmp_path / "from_schema.db")
    report = differences(migrated, from_file)
    assert "migrations only: table area_notes" in report
    assert "migrations only: index area_notes_area" in report
    # A new column changes the table's own definition too.
    assert "migrations only: table areas" in report
    assert "schema.sql only: table areas" in report


def test_layout_does_not_count_but_content_does() -> None:
    base = "CREATE TABLE t (\n    a  INTEGER,  -- why\n    b  TEXT\n)"
    assert schema.normalise(base) == schema.normalise("CREATE TABLE t (a INTEGER, b TEXT)")
    assert schema.normalise(base) != schema.normalise("CREATE TABLE t (a INTEGER, b BLOB)")


def test_columns_added_later_are_laid_out_like_the_others() -> None:
    # As SQLite stores a table after ALTER TABLE ... ADD COLUMN.
    stored = (
        "CREATE TABLE t (\n    id    INTEGER PRIMARY KEY,\n    code  TEXT  -- short\n"
        ", kind TEXT CHECK (kind IN ('a', 'b')), note TEXT)"
    )
    tidy = schema._tidy(stored)
    assert tidy.splitlines()[2:] == [
        "    code  TEXT, -- short",
        "    kind  TEXT CHECK (kind IN ('a', 'b')),",
        "    note  TEXT",
        ")",
    ]
    conn = sqlite3.connect(":memory:")
    conn.execute(tidy)
    assert [row[1] for row in conn.execute("PRAGMA table_info(t)")] == [
        "id",
        "code",
        "kind",
        "note",
    ]
