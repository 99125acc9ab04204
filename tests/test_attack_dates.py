"""Timestamps that could unmask a new anonymous reporter: consent, joins and sign-up events
are stored as the municipality's local date, never a time, and nothing that reads them (the
participants export, /mydata, the weekly summary) brings a time back."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import clock, summary
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from bot.summary import Week
from storage.db import Database
from tests.conftest import COORDINATOR_ID
from tests.helpers import mydata_file, old_database

EARLY = 484201  # signs up on Sunday 29 March 2026, 23:30 in Kumla
LATE = 484202  # an hour later: Monday 30 March, 00:30
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")


@pytest.fixture(autouse=True)
def _real_time_afterwards() -> Iterator[None]:
    yield
    clock.reset()


async def sign_up(sandbox: Sandbox, user_id: int, name: str) -> None:
    user = sandbox.user(user_id, name)
    await user.send("/start")
    await user.press("Jag godkänner")
    await user.wait_text("Välj ditt område")
    assert "Välkommen" in (await user.press("Centrum")).text


def stored_values(rows) -> list[str]:
    return [
        value
        for query in (
            "SELECT consent_at FROM participants",
            "SELECT joined_at FROM memberships",
            "SELECT at FROM signup_events",
        )
        for (value,) in rows(query)
    ]


async def test_sign_ups_are_stored_as_local_dates(sandbox: Sandbox, settings, rows):
    # Summer time began that Sunday: Kumla is two hours ahead of UTC.
    clock.travel(datetime(2026, 3, 29, 21, 30, tzinfo=UTC))
    sandbox.user(COORDINATOR_ID, "Kerstin")
    async with Grannbot(settings, poll_timeout=1) as bot:
        await sign_up(sandbox, EARLY, "Tidig")
        clock.travel(datetime(2026, 3, 29, 22, 30, tzinfo=UTC))
        await sign_up(sandbox, LATE, "Sen")

        assert rows("SELECT user_id, consent_at FROM participants ORDER BY user_id") == [
            (EARLY, "2026-03-29"),
            (LATE, "2026-03-30"),  # the local date, though it is still the 29th in UTC
        ]
        assert rows("SELECT user_id, joined_at FROM memberships ORDER BY user_id") == [
            (EARLY, "2026-03-29"),
            (LATE, "2026-03-30"),
        ]
        assert rows("SELECT at, event FROM signup_events ORDER BY id") == [
            ("2026-03-29", "consent"),
            ("2026-03-29", "join"),
            ("2026-03-30", "consent"),
            ("2026-03-30", "join"),
        ]
        assert all(DATE.match(value) for value in stored_values(rows))

        # The week boundary is the local one: the late sign-up belongs to week 14.
        past = await summary.compute(bot.services, Week(2026, 13), clock.now())
        current = await summary.compute(bot.services, Week(2026, 14), clock.now())
        assert (past.new, current.new) == (1, 1)
        assert (past.participants, current.participants) == (1, 2)
        centrum = [
            (a.joined, a.members) for a in (past.areas + current.areas) if a.name == "Centrum"
        ]
        assert centrum == [(1, 1), (1, 2)]
        # Later in the week, the week in progress still counts today's sign-up.
        later = await summary.compute(
            bot.services, Week(2026, 14), datetime(2026, 4, 1, 12, tzinfo=UTC)
        )
        assert later.new == 1 and later.partial


def parse(document: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(document.decode("utf-8-sig")), delimiter=";"))


async def test_participants_export_and_mydata_show_no_time(sandbox: Sandbox, settings, rows):
    clock.travel(datetime(2026, 3, 29, 21, 30, tzinfo=UTC))
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    async with Grannbot(settings, poll_timeout=1):
        await sign_up(sandbox, EARLY, "Tidig")
        clock.travel(datetime(2026, 3, 29, 22, 30, tzinfo=UTC))
        await sign_up(sandbox, LATE, "Sen")
        assert "avstängd" in (await kerstin.send(f"/ban {LATE} hot mot andra")).text

        everyone = parse((await kerstin.send("/export participants")).file_bytes)
        assert [(p["user_id"], p["consent_at"]) for p in everyone] == [
            (str(EARLY), "2026-03-29"),
            (str(LATE), "2026-03-30"),
        ]
        assert DATE.match(everyone[1]["banned_at"])
        assert not [cell for p in everyone for cell in p.values() if TIME_OF_DAY.search(cell)]
        # Periods are local dates, compared with the stored dates.
        monday = parse((await kerstin.send("/export participants 2026-03-30")).file_bytes)
        sunday = parse(
            (await kerstin.send("/export participants 2026-03-29 2026-03-29")).file_bytes
        )
        assert [p["user_id"] for p in monday] == [str(LATE)]
        assert [p["user_id"] for p in sunday] == [str(EARLY)]

        mine = await mydata_file(sandbox.user(EARLY, "Tidig"))
        data = json.loads(mine.file_bytes)
        assert data["participant"][0]["consent_at"] == "2026-03-29"
        assert [m["joined_at"] for m in data["memberships"]] == ["2026-03-29"]


async def test_migration_keeps_only_the_date(tmp_path: Path):
    """A database from before: times to the second. After the upgrade, only the dates."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        old_database(conn)
        conn.execute(
            "INSERT INTO areas (id, code, name, created_at)"
            " VALUES (1, 'centrum', 'Centrum', '2026-01-01T00:00:00Z')"
        )
        conn.execute(
            "INSERT INTO participants (user_id, first_name, language, consent_at)"
            " VALUES (?, 'Gammal', 'sv', '2026-02-03T04:05:06Z')",
            (EARLY,),
        )
        conn.execute("INSERT INTO memberships VALUES (?, 1, '2026-02-03T04:05:07Z')", (EARLY,))
        conn.executemany(
            "INSERT INTO signup_events (at, event, area_id) VALUES (?, ?, ?)",
            [("2026-02-03T04:05:06Z", "consent", None), ("2026-02-03T04:05:07Z", "join", 1)],
        )
        conn.execute(
            "INSERT INTO audit_log (at, actor_id, action, outcome)"
            " VALUES ('2026-02-03T05:00:00Z', ?, 'audit_log', 'refused')",
            (EARLY,),
        )

    db = await Database.open(path)
    try:
        assert [tuple(r) for r in await db.fetchall("SELECT consent_at FROM participants")] == [
            ("2026-02-03",)
        ]
        assert await db.fetchval("SELECT joined_at FROM memberships") == "2026-02-03"
        events = await db.fetchall("SELECT at FROM signup_events")
        assert [r[0] for r in events] == ["2026-02-03", "2026-02-03"]
        assert await db.fetchval("SELECT times FROM audit_log") == 1
    finally:
        await db.close()
