"""The weekly summary against a database seeded with known data: counts per area and
category, week-over-week change, open tips, delivery rates, and the chart as a real PNG.

Week 13 of 2026 (23–29 March) ends with the change to summer time, so its end is 22:00 UTC."""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import chart, clock, summary, summary_text
from bot.sandbox import Sandbox
from bot.summary import Week
from tests.conftest import COORDINATOR_ID
from tests.helpers import seed_residents


@pytest.fixture(autouse=True)
def _real_time_afterwards() -> Iterator[None]:
    yield
    clock.reset()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


TIPS = [
    # (created_at UTC, category, area code or None, status)
    ("2026-02-02T10:00:00Z", "other", "centrum", "new"),  # open, 55 days old at the week's end
    ("2026-01-05T10:00:00Z", "theft", "centrum", "forwarded"),  # open: waiting on the police
    # week 12
    ("2026-03-17T09:00:00Z", "burglary", "centrum", "new"),
    ("2026-03-18T09:00:00Z", "drugs", "norr", "reviewed"),
    ("2026-03-19T09:00:00Z", "drugs", "norr", "closed"),
    # week 13; 23:30 UTC on 22 March is already Monday 00:30 local time
    ("2026-03-22T23:30:00Z", "burglary", "centrum", "new"),
    ("2026-03-25T12:00:00Z", "burglary", "centrum", "new"),
    ("2026-03-27T12:00:00Z", "burglary", "norr", "reviewed"),
    ("2026-03-28T12:00:00Z", "theft", None, "new"),
    # 22:30 UTC on 29 March is Monday 00:30 summer time: week 14
    ("2026-03-29T22:30:00Z", "burglary", "centrum", "new"),
]
SIGNUPS = [
    # (at, event, area code or None)
    ("2026-03-24T10:00:00Z", "consent", None),
    ("2026-03-24T10:00:00Z", "consent", None),
    ("2026-03-25T10:00:00Z", "consent", None),
    ("2026-03-24T10:01:00Z", "join", "centrum"),
    ("2026-03-24T10:01:00Z", "join", "centrum"),
    ("2026-03-25T10:01:00Z", "join", "norr"),
    ("2026-03-26T10:00:00Z", "leave", "centrum"),
    ("2026-03-26T10:00:00Z", "forget", None),
    ("2026-03-20T10:00:00Z", "consent", None),  # week 12
    ("2026-04-02T10:00:00Z", "consent", None),  # after the week: undone for its counts
    ("2026-04-02T10:00:00Z", "join", "norr"),
]


def seed(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:

        def area(code: str | None) -> int | None:
            if code is None:
                return None
            return conn.execute("SELECT id FROM areas WHERE code = ?", (code,)).fetchone()[0]

        conn.executemany(
            "INSERT INTO tips (ref, year, seq, category, area_id, description, contact, status,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', 'anonymous', ?, ?, ?)",
            [
                (f"T-2026-{i:06d}", 2026, i, category, area(code), status, at, at)
                for i, (at, category, code, status) in enumerate(TIPS, start=1)
            ],
        )
        conn.executemany(
            "INSERT INTO signup_events (at, event, area_id) VALUES (?, ?, ?)",
            [(at, event, area(code)) for at, event, code in SIGNUPS],
        )
        alerts = [
            (1, "police", "2026-03-24T08:00:00Z", ["delivered"] * 3 + ["blocked"]),
            (2, "reminder", "2026-03-26T16:30:00Z", ["delivered"] * 2),
            (3, "police", "2026-03-18T08:00:00Z", ["failed"]),  # week 12
        ]
        for alert_id, kind, at, statuses in alerts:
            conn.execute(
                "INSERT INTO alerts (id, kind, area_names, text, created_at, finished_at)"
                " VALUES (?, ?, 'Centrum', 'x', ?, ?)",
                (alert_id, kind, at, at),
            )
            conn.executemany(
                "INSERT INTO deliveries (alert_id, chat_id, language, status)"
                " VALUES (?, ?, 'sv', ?)",
                [(alert_id, 100 + n, status) for n, status in enumerate(statuses)],
            )


@pytest.fixture
def seeded(sandbox: Sandbox, bot, db_path: Path) -> None:
    seed_residents(sandbox, db_path, [1, 2, 3, 4, 5], ["centrum"])
    seed_residents(sandbox, db_path, [6, 7, 8], ["norr"])
    seed(db_path)


async def test_summary_counts_from_seeded_data(bot, seeded):
    report = await summary.compute(bot.services, Week(2026, 13), datetime(2026, 4, 6, tzinfo=UTC))
    assert report.until == datetime(2026, 3, 29, 22, tzinfo=UTC) and not report.partial
    assert (report.participants, report.new, report.left) == (7, 3, 1)
    assert [(a.name, a.members, a.joined, a.left) for a in report.areas] == [
        ("Centrum", 5, 2, 1),
        ("Norr", 2, 1, 0),
        ("Östra Mark", 0, 0, 0),
    ]
    assert {k: (c.alerts, c.delivered, c.deliveries) for k, c in report.sent.items()} == {
        "police": (1, 3, 4),
        "reminder": (1, 2, 2),
    }
    assert (report.tips_this, report.tips_last) == (4, 3)
    assert [(r.key, r.this_week, r.last_week) for r in report.by_category] == [
        ("drugs", 0, 2),
        ("burglary", 3, 1),
        ("theft", 1, 0),
    ]
    assert sorted((r.key or "", r.this_week, r.last_week) for r in report.by_area) == [
        ("", 1, 0),
        ("Centrum", 2, 1),
        ("Norr", 1, 2),
    ]
    # Open (new, reviewed or with the police) and created before 22 March 22:00 UTC.
    assert report.open_tips == 4
    assert report.with_police == 1
    assert [tip.ref for tip in report.oldest_open] == [
        "T-2026-000002",
        "T-2026-000001",
        "T-2026-000003",
        "T-2026-000004",
    ]
    assert [w.label for w in report.chart_weeks][-2:] == ["2026-W12", "2026-W13"]
    assert report.chart_counts == {
        (0, "other"): 1,  # week 6: Monday 2 February
        (6, "burglary"): 1,
        (6, "drugs"): 2,
        (7, "burglary"): 3,
        (7, "theft"): 1,
    }

    text = summary_text.render(report, "sv", bot.settings.municipality.tz)
    for line in (
        "Veckosammanfattning – vecka 13, 2026",
        "23–29 mars 2026",
        "Boende:</b> 7 (3 nya, 1 har slutat)",
        "• Centrum: 5 (2 nya, 1 har slutat)",
        "• Norr: 2 (1 ny, 0 har slutat)",
        "• Polisen informerar: 1 st, 75 % levererade",
        "• Kommunen informerar: 0 st",
        "• Påminnelser: 1 st, 100 % levererade",
        "Tips:</b> 4, 1 fler än förra veckan",
        "• Inbrott: 3, 2 fler än förra veckan",
        "• Narkotika: 0, 2 färre än förra veckan",
        "• Stöld: 1, 1 fler än förra veckan",
        "• Norr: 1, 1 färre än förra veckan",
        "• Utan område: 1, 1 fler än förra veckan",
        "Öppna tips äldre än 7 dagar:</b> 4",
        "Väntar hos polisen: 1",
        "T-2026-000001 (55 dagar)",
    ):
        assert line in text, line
    english = summary_text.render(report, "en", bot.settings.municipality.tz)
    assert (
        "Weekly summary – week 13, 2026" in english
        and "• Burglary: 3, 2 more than last week" in english
    )


async def test_summary_over_the_sandbox_with_its_chart(sandbox: Sandbox, bot, seeded):
    clock.travel(datetime(2026, 4, 1, 10, tzinfo=UTC))  # week 14
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    photo = await kerstin.send("/summary last")
    assert photo.kind == "photo"
    assert photo.text.startswith("Veckosammanfattning – vecka 13, 2026")
    assert "• Inbrott: 3, 2 fler än förra veckan" in photo.text
    assert png_size(photo.file_bytes) == (chart.WIDTH_PX, chart.HEIGHT_PX)
    by_week = await kerstin.send("/summary 2026-W13")
    assert by_week.text == photo.text
    current = await kerstin.send("/summary")
    assert "vecka 14, 2026" in current.text and "(hittills)" in current.text
    # The week-14 burglary just after midnight on the DST night counts in week 14.
    assert "• Inbrott: 1, 2 färre än förra veckan" in current.text


async def test_long_summary_sends_photo_then_text(sandbox: Sandbox, bot, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO areas (code, name, created_at) VALUES (?, ?, '2026-01-01T00:00:00Z')",
            [(f"omrade_{i}", f"Bostadsområdet nummer {i}") for i in range(40)],
        )
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    photo = await kerstin.send("/summary")
    assert photo.kind == "photo" and photo.text.startswith("Veckosammanfattning")
    assert png_size(photo.file_bytes) == (chart.WIDTH_PX, chart.HEIGHT_PX)
    text = await kerstin.wait_text("Bostadsområdet nummer 39")
    assert text.kind == "text" and "Bostadsområdet nummer 0: 0" in text.text


def test_week_specs():
    tz = ZoneInfo("Europe/Stockholm")
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)  # Thursday of ISO week 2026-W01
    assert summary.parse_week("", now, tz) == Week(2026, 1)
    assert summary.parse_week("last", now, tz) == Week(2025, 52)
    assert summary.parse_week("förra", now, tz) == Week(2025, 52)
    assert summary.parse_week("2026-W05", now, tz) == Week(2026, 5)
    assert summary.parse_week("2026w5", now, tz) == Week(2026, 5)
    assert summary.parse_week("2026-W54", now, tz) is None
    assert summary.parse_week("igår", now, tz) is None
    start, end = Week(2026, 13).bounds(tz)
    assert (start, end) == (
        datetime(2026, 3, 22, 23, tzinfo=UTC),
        datetime(2026, 3, 29, 22, tzinfo=UTC),
    )
