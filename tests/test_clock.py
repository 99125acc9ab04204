"""One clock: every wall-clock time the bot stores or shows comes from bot.clock, so a test
that moves it moves the rows written meanwhile too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import clock
from storage import audit
from storage.areas import insert_area
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
# The sandbox plays Telegram, whose clock is its own; bot/clock.py is the one place allowed.
OWN_CLOCK = {ROOT / "bot" / "clock.py"}
NOT_OURS = ROOT / "bot" / "sandbox"
WALL_CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
}


@pytest.fixture(autouse=True)
def _real_time() -> Iterator[None]:
    yield
    clock.reset()


def wall_clock_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in WALL_CLOCK_CALLS
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_code_reads_the_wall_clock_but_the_clock():
    files = [
        path
        for package in ("bot", "handlers", "storage")
        for path in (ROOT / package).rglob("*.py")
        if path not in OWN_CLOCK and NOT_OURS not in path.parents
    ]
    assert len(files) > 20
    assert [call for path in files for call in wall_clock_calls(path)] == []
    assert wall_clock_calls(ROOT / "bot" / "clock.py"), "the scan finds a call it should"


def test_stamp_and_local_date_follow_the_clock():
    # 22:30 UTC on the night summer time starts is 00:30 the next day in Stockholm.
    clock.freeze(datetime(2026, 3, 29, 22, 30, 5, tzinfo=UTC))
    assert clock.stamp() == "2026-03-29T22:30:05Z"
    assert clock.today() == "2026-03-30"
    assert clock.parse_stamp(clock.stamp()) == clock.now()
    clock.advance(timedelta(hours=22, minutes=30, seconds=5))
    assert clock.stamp() == "2026-03-30T21:00:10Z"
    assert clock.today() == "2026-03-30"


async def test_rows_written_while_the_clock_is_moved_carry_its_time(tmp_path: Path):
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        clock.freeze(datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC))
        async with db.transaction() as tx:
            await insert_area(tx, "norr", "Norr")
            await audit.record(tx, 1, "area", target="norr")
        assert await db.fetchval("SELECT created_at FROM areas") == "2027-01-02T03:04:05Z"
        assert await db.fetchval("SELECT at FROM audit_log") == "2027-01-02T03:04:05Z"
    finally:
        await db.close()
