"""The weekly summary counts right and speaks plainly, asked for over the sandbox: staff are
not counted as residents, changes are said in words (no arrows a screen reader reads as
"uppåtpil plus två"), the week is written "23–29 nov 2026" and a missed reminder's time
"27 nov kl. 20.50"."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import clock
from bot.sandbox import Sandbox
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import grant_role, seed_residents

CONTACT_ID = 501
OFFICER_ID = 502  # police by a granted role, not by the config


@pytest.fixture(autouse=True)
def _real_time_afterwards():
    yield
    clock.reset()


def seed_tips(db_path: Path, tips: list[tuple[str, str]]) -> None:
    """(created_at UTC, category) rows, all in Centrum."""
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO tips (ref, year, seq, category, area_id, description, contact, status,"
            " created_at, updated_at)"
            " VALUES (?, 2026, ?, ?, (SELECT id FROM areas WHERE code = 'centrum'), 'x',"
            " 'anonymous', 'closed', ?, ?)",
            [
                (f"T-2026-{i:06d}", i, category, at, at)
                for i, (at, category) in enumerate(tips, start=1)
            ],
        )


def seed_missed_reminder(db_path: Path, due: str) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO reminders (schedule, text, created_by, created_at, next_run, status)"
            " VALUES ('once 2026-11-27 20:50', 'Lås cykelförrådet', ?, ?, ?, 'missed')",
            (COORDINATOR_ID, due, due),
        )


@pytest.fixture
def staffed(sandbox: Sandbox, bot, db_path: Path) -> None:
    """Three residents; and staff who signed up and joined areas too: the coordinator and
    the officer from the config, an officer and an area contact by granted roles."""
    seed_residents(sandbox, db_path, [1, 2], ["centrum"])
    seed_residents(sandbox, db_path, [3], ["norr"])
    seed_residents(sandbox, db_path, [COORDINATOR_ID, POLICE_ID], ["centrum"])
    seed_residents(sandbox, db_path, [CONTACT_ID, OFFICER_ID], ["norr"])
    grant_role(db_path, CONTACT_ID, "contact", "norr")
    grant_role(db_path, OFFICER_ID, "police")


async def summary_of_last_week(sandbox: Sandbox) -> str:
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    shown = await kerstin.send("/summary last")
    assert "Veckosammanfattning – vecka 48, 2026" in shown.text, shown.text
    return shown.text


async def test_residents_are_counted_without_staff(sandbox: Sandbox, staffed):
    clock.travel(datetime(2026, 11, 30, 9, tzinfo=UTC))  # Monday of week 49
    text = await summary_of_last_week(sandbox)
    assert "Boende: 3" in text, text
    assert "• Centrum: 2" in text and "• Norr: 1" in text
    assert "• Östra Mark: 0" in text
    assert "Deltagare" not in text and "deltagare" not in text
    # The week as one range of days, the municipality's way.
    assert "23–29 nov 2026" in text


async def test_changes_from_last_week_are_said_in_words(sandbox: Sandbox, staffed, db_path):
    seed_tips(
        db_path,
        [
            # week 47 (16–22 Nov): one theft, three drug tips
            ("2026-11-17T10:00:00Z", "theft"),
            ("2026-11-18T10:00:00Z", "drugs"),
            ("2026-11-18T11:00:00Z", "drugs"),
            ("2026-11-19T10:00:00Z", "drugs"),
            # week 48 (23–29 Nov): one theft, two burglaries
            ("2026-11-24T10:00:00Z", "theft"),
            ("2026-11-25T10:00:00Z", "burglary"),
            ("2026-11-26T10:00:00Z", "burglary"),
        ],
    )
    clock.travel(datetime(2026, 11, 30, 9, tzinfo=UTC))
    text = await summary_of_last_week(sandbox)
    for line in (
        "Tips: 3, 1 färre än förra veckan",
        "• Inbrott: 2, 2 fler än förra veckan",
        "• Narkotika: 0, 3 färre än förra veckan",
        "• Stöld: 1, lika många som förra veckan",
    ):
        assert line in text, (line, text)
    for sign in ("↑", "↓", "→", "±", "+", "−"):
        assert sign not in text, sign
    english = await sandbox.user(COORDINATOR_ID, "Kerstin").send("/language en")
    assert english.text
    text_en = (await sandbox.user(COORDINATOR_ID, "Kerstin").send("/summary last")).text
    assert "• Burglary: 2, 2 more than last week" in text_en, text_en
    assert "• Theft: 1, the same as last week" in text_en
    assert "Residents: 3" in text_en


async def test_missed_reminder_time_is_written_plainly(sandbox: Sandbox, staffed, db_path):
    seed_missed_reminder(db_path, "2026-11-27T19:50:00Z")  # 20.50 in Stockholm
    clock.travel(datetime(2026, 11, 30, 9, tzinfo=UTC))
    text = await summary_of_last_week(sandbox)
    assert "Lås cykelförrådet – skulle ha gått 27 nov kl. 20.50" in text, text
    assert "2026-11-27" not in text and "20:50" not in text
