"""The schema the migrations produce, as one readable file: ``storage/schema.sql``.

The migrations stay the only way a database is changed; ``schema.sql`` is what they add up
to, for reading. ``tests/test_schema.py`` checks that the two agree, so a new migration fails
the tests until the file is written again with::

    python -m storage.schema > storage/schema.sql
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

from storage.db import MIGRATIONS_TABLE, available_migrations, keyed_hash

HEADER = """\
-- The whole schema as the migrations in storage/migrations produce it, for reading.
-- Generated: python -m storage.schema > storage/schema.sql
-- Databases are never created from this file; they are migrated.
"""

_ORDER = {"table": 0, "index": 1, "trigger": 2, "view": 3}


def migrated() -> sqlite3.Connection:
    """A fresh in-memory database with every migration applied, as Database.migrate does."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    # Migrations may call the SQL functions every connection of the bot has.
    conn.create_function("hmac_sha256", 2, keyed_hash, deterministic=True)
    conn.execute(MIGRATIONS_TABLE)
    for _version, _name, sql in available_migrations():
        conn.executescript(sql)
    return conn


def from_file() -> sqlite3.Connection:
    """A fresh in-memory database made from ``schema.sql``."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(read())
    return conn


def read() -> str:
    return (resources.files("storage") / "schema.sql").read_text(encoding="utf-8")


def objects(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    """(type, name, table, SQL) of every object, tables first and each table's indexes and
    triggers after it, in the order they were created."""
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql, rowid FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    tables = {name: rowid for kind, name, _, _, rowid in rows if kind == "table"}
    rows.sort(key=lambda r: (tables.get(r[2], r[4]), _ORDER[r[0]], r[4]))
    return [(kind, name, table, sql) for kind, name, table, sql, _ in rows]


def normalised(conn: sqlite3.Connection) -> set[tuple[str, str, str, str]]:
    """The objects with their SQL reduced to what matters: no comments, no layout, no case."""
    return {(kind, name, table, normalise(sql or "")) for kind, name, table, sql in objects(conn)}


def normalise(sql: str) -> str:
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r"\s*([(),])\s*", r"\1", sql)
    return sql.strip().lower()


def render(conn: sqlite3.Connection) -> str:
    parts = [HEADER]
    previous_table = None
    for kind, _name, table, sql in objects(conn):
        if kind == "table" and previous_table is not None:
            parts.append("")
        previous_table = table
        parts.append(f"{_tidy(sql) if kind == 'table' else sql};")
    return "\n".join(parts) + "\n"


def _tidy(sql: str) -> str:
    """``ALTER TABLE … ADD COLUMN`` leaves ``…\n, text_key TEXT, draft_key TEXT)`` at the end
    of the table's SQL; here each added column gets its own line, aligned with the others."""
    body, _, added = sql.rpartition("\n")
    if not (added.startswith(", ") and added.endswith(")")):
        return sql
    last = body.rpartition("\n")[2]
    indent = last[: len(last) - len(last.lstrip())]
    name_width = len(re.match(r"\s*\S+\s*", last)[0]) - len(indent)
    head = body.rpartition("\n")[0]
    lines = [f"{head}\n{_with_comma(last)}"]
    columns = _split_columns(added[2:-1])
    for number, column in enumerate(columns, start=1):
        name, _, rest = column.partition(" ")
        end = "," if number < len(columns) else ""
        lines.append(f"{indent}{name.ljust(name_width - 1)} {rest}{end}")
    return "\n".join(lines) + "\n)"


def _with_comma(line: str) -> str:
    """A comma after the line's code, before its comment if it has one."""
    code, dashes, comment = line.partition("--")
    if not dashes:
        return f"{line},"
    padding = max(1, len(code) - len(code.rstrip()) - 1)
    return f"{code.rstrip()},{' ' * padding}--{comment}"


def _split_columns(text: str) -> list[str]:
    """Column definitions separated by top-level commas (a CHECK may hold commas of its own)."""
    columns, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            columns.append(current.strip())
            current = ""
        else:
            current += char
    columns.append(current.strip())
    return columns


def main() -> None:
    print(render(migrated()), end="")


if __name__ == "__main__":
    main()
