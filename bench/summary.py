"""Weekly summary benchmark: how long the statistics and the chart take on a large database.

Seeds 100,000 participants in 20 areas (with their sign-up events), 1,000,000 tips spread
over two years and two alerts to everyone in the summary's week, then times
``bot.summary.compute`` (target ≤ 0.5 s) and the chart (target ≤ 1 s).

    python -m bench.summary [--participants 100000] [--tips 1000000] [--areas 20] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import summary, summary_text
from bot.config import Settings
from bot.services import Services
from storage.areas import seed_areas
from storage.db import Database

STATUSES = ("new", "reviewed", "forwarded", "closed", "false_alarm")
STATUS_WEIGHTS = (5, 5, 20, 60, 10)
NOW = datetime(2026, 6, 15, 6, 0, tzinfo=UTC)  # Monday 08:00 in Stockholm
SPAN = timedelta(days=730)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def seed(path: Path, participants: int, tips: int, areas: int) -> None:
    """Bulk inserts through plain sqlite3: one transaction per table, no fsync."""
    rng = random.Random(42)
    start = NOW - SPAN
    seconds = int(SPAN.total_seconds())
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA synchronous = OFF")
        conn.executemany(
            "INSERT INTO participants (user_id, first_name, language, consent_at)"
            " VALUES (?, ?, 'sv', ?)",
            ((uid, f"Boende {uid}", "2024-06-01") for uid in range(1, participants + 1)),
        )
        conn.executemany(
            "INSERT INTO memberships (user_id, area_id, joined_at) VALUES (?, ?, ?)",
            ((uid, uid % areas + 1, "2024-06-01") for uid in range(1, participants + 1)),
        )
        events = []
        for uid in range(1, participants + 1):
            at = stamp(start + timedelta(seconds=rng.randrange(seconds)))[:10]
            events += [(at, "consent", None), (at, "join", uid % areas + 1)]
            if rng.random() < 0.1:
                left = stamp(start + timedelta(seconds=rng.randrange(seconds)))[:10]
                events.append((left, "leave", rng.randrange(areas) + 1))
        events.sort()
        conn.executemany("INSERT INTO signup_events (at, event, area_id) VALUES (?, ?, ?)", events)

        def tip_rows():
            step = seconds / tips
            for i in range(tips):
                created = start + timedelta(seconds=int(i * step))
                year = created.year
                at = stamp(created)
                yield (
                    f"T-{year}-{i + 1:07d}",
                    year,
                    i + 1,
                    summary.CATEGORIES[rng.randrange(len(summary.CATEGORIES))],
                    rng.randrange(areas) + 1 if rng.random() < 0.95 else None,
                    rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                    at,
                )

        conn.executemany(
            "INSERT INTO tips (ref, year, seq, category, area_id, description, contact, status,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'Beskrivning', 'anonymous', ?, ?, ?)",
            ((*row, row[-1]) for row in tip_rows()),
        )
        for alert_id, day in ((1, 2), (2, 4)):
            at = stamp(NOW - timedelta(days=7 - day))
            conn.execute(
                "INSERT INTO alerts (id, kind, area_names, text, created_at, finished_at)"
                " VALUES (?, 'police', 'Alla', 'Test', ?, ?)",
                (alert_id, at, at),
            )
            conn.executemany(
                "INSERT INTO deliveries (alert_id, chat_id, language, status)"
                " VALUES (?, ?, 'sv', ?)",
                (
                    (alert_id, uid, "delivered" if uid % 50 else "blocked")
                    for uid in range(1, participants + 1)
                ),
            )
        conn.execute("ANALYZE")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--tips", type=int, default=1_000_000)
    parser.add_argument("--areas", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="grannbot-bench-") as folder:
        path = Path(folder) / "bench.sqlite3"
        db = await Database.open(path)
        await seed_areas(db, [(f"omrade_{i}", f"Område {i}", []) for i in range(args.areas)])
        await db.close()
        started = time.perf_counter()
        seed(path, args.participants, args.tips, args.areas)
        seeding = time.perf_counter() - started
        size = path.stat().st_size
        print(
            f"seeded {args.participants:,} participants in {args.areas} areas and "
            f"{args.tips:,} tips over two years in {seeding:.1f} s; "
            f"database {size / 1e6:.0f} MB"
        )

        db = await Database.open(path)
        services = Services(Settings(), db)
        week = summary.week_before_fire(NOW, services.settings.municipality.tz)
        compute_times, chart_times = [], []
        report = None
        for _ in range(args.runs):
            started = time.perf_counter()
            report = await summary.compute(services, week, NOW)
            compute_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            png = summary_text.render_chart(report, "sv")
            chart_times.append(time.perf_counter() - started)
        await db.close()

    print(
        f"summary for {week.label}: {report.tips_this:,} tips this week, "
        f"{report.open_tips:,} open tips older than 7 days, chart {len(png) / 1e3:.0f} kB"
    )
    print(
        f"compute: median {statistics.median(compute_times) * 1e3:.0f} ms, "
        f"first {compute_times[0] * 1e3:.0f} ms (target ≤ 500 ms)"
    )
    print(
        f"chart:   median {statistics.median(chart_times) * 1e3:.0f} ms, "
        f"first {chart_times[0] * 1e3:.0f} ms (target ≤ 1000 ms)"
    )


if __name__ == "__main__":
    asyncio.run(main())
