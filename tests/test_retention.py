"""Retention: every kind of personal data goes once it reaches its [retention] period, and
not a day earlier; what goes leaves the disk too; the privacy notice names the periods.

Time is moved with bot.clock instead of waited for. Each kind gets two rows one day apart and
the clock is set so that the younger is one day inside its period and the older exactly at
it: one run of the daily job must keep the first and delete the second."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot import clock, retention
from bot.config import ConfigError, check_config, load_settings
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from handlers.jobs import RETENTION as RETENTION_JOB
from tests.conftest import COORDINATOR_ID
from tests.helpers import grant_role, mydata_file, seed_residents
from tests.test_alerts import send_alert
from tests.test_tips import reference_in

RESIDENT = 501
STAMP = "%Y-%m-%dT%H:%M:%SZ"
# Found nowhere but in the one tip that is to be deleted.
NEEDLE = "Qvarnbrokaxel"


@pytest.fixture(autouse=True)
def _real_time_afterwards() -> Iterator[None]:
    yield
    clock.reset()


def _write(db_path: Path, sql: str, params: tuple) -> None:
    with closing(sqlite3.connect(db_path, timeout=10, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(sql, params)
        conn.execute("COMMIT")


async def write(db_path: Path, sql: str, params: tuple = ()) -> None:
    """One write beside the running bot, off the event loop: the bot may be in the middle of
    a transaction that needs the loop to finish. BEGIN IMMEDIATE waits for it; an implicit
    deferred transaction would fail at once if the bot committed in between."""
    await asyncio.to_thread(_write, db_path, sql, params)


def stamp_of(rows, sql: str, params: tuple = ()) -> datetime:
    ((value,),) = rows(sql, params)
    return datetime.strptime(value, STAMP).replace(tzinfo=UTC)


async def set_stamp(db_path: Path, sql: str, when: datetime, params: tuple = ()) -> None:
    await write(db_path, sql, (when.strftime(STAMP), *params))


async def run_retention(bot: Grannbot) -> None:
    """The daily job itself, as the JobQueue would run it."""
    jobs = bot.application.job_queue.get_jobs_by_name(RETENTION_JOB)
    assert len(jobs) == 1
    await jobs[0].run(bot.application)


async def send_tip(sandbox: Sandbox, user_id: int, text: str) -> str:
    answer = await sandbox.user(user_id, f"Boende {user_id}").send(f"/tip {text}", timeout=15)
    return reference_in(answer.text)


async def file_bytes(path: Path) -> bytes:
    """Read by another process: closing a file of the database in this one would drop the
    bot's SQLite locks on it (POSIX locks belong to the process)."""
    process = await asyncio.create_subprocess_exec(
        "cat", str(path), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    data, _ = await process.communicate()
    # A WAL truncated to nothing may also have been removed.
    return data if process.returncode == 0 else b""


async def on_disk(db_path: Path, needle: str) -> bool:
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        if needle.encode() in await file_bytes(path):
            return True
    return False


def retention_audit(rows, kind: str) -> list[tuple]:
    return rows(
        "SELECT actor_id, detail FROM audit_log WHERE action = 'retention' AND target = ?",
        (kind,),
    )


# ------------------------------------------------------------------ tips


async def test_tips_go_at_their_age_with_everything_attached_and_leave_the_disk(
    sandbox: Sandbox, bot: Grannbot, db_path: Path, rows
):
    seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
    sandbox.user(COORDINATOR_ID, "Kerstin")
    old_ref = await send_tip(sandbox, RESIDENT, f"stöld Cykeln {NEEDLE} stulen vid stationen")
    young_ref = await send_tip(sandbox, RESIDENT, "stöld Moped stulen")
    await sandbox.wait_for(
        lambda: rows("SELECT count(*) FROM tip_copies WHERE status = 'delivered'") == [(2,)],
        timeout=15,
    )
    (old_id,) = rows("SELECT id FROM tips WHERE ref = ?", (old_ref,))[0]
    assert rows("SELECT count(*) FROM tip_status_history WHERE tip_id = ?", (old_id,)) != [(0,)]
    assert rows("SELECT count(*) FROM tip_copy_parts") != [(0,)]
    young = stamp_of(rows, "SELECT created_at FROM tips WHERE ref = ?", (young_ref,))
    await set_stamp(
        db_path, "UPDATE tips SET created_at = ? WHERE id = ?", young - timedelta(1), (old_id,)
    )
    # The scan can see the tip's text before the job runs.
    assert await on_disk(db_path, NEEDLE)

    clock.freeze(young + timedelta(days=730 - 1))
    await run_retention(bot)

    assert rows("SELECT ref FROM tips") == [(young_ref,)]
    for table in ("tip_status_history", "tip_copies", "tip_attachments"):
        assert rows(f"SELECT count(*) FROM {table} WHERE tip_id = ?", (old_id,)) == [(0,)], table
    assert rows(
        "SELECT count(*) FROM tip_copy_parts WHERE copy_id NOT IN (SELECT id FROM tip_copies)"
    ) == [(0,)]
    assert retention_audit(rows, "tips") == [(None, "1 tips deleted")]
    # Physically gone: neither the database file nor its WAL holds the text any more.
    assert not await on_disk(db_path, NEEDLE)


# ------------------------------------------------------------------ deliveries and alerts


async def two_alerts_a_day_apart(sandbox: Sandbox, db_path: Path, rows) -> datetime:
    """Two alerts to two residents of Centrum, the first made one day older than the second;
    returns when the second was created."""
    seed_residents(sandbox, db_path, [71, 72], ["centrum"])
    await send_alert(sandbox, "centrum Första")
    await send_alert(sandbox, "centrum Andra")
    assert rows("SELECT alert_id, count(*) FROM deliveries GROUP BY alert_id") == [(1, 2), (2, 2)]
    assert rows("SELECT subject_id FROM notices WHERE purpose = 'report' ORDER BY id") == [
        (1,),
        (2,),
    ]
    young = stamp_of(rows, "SELECT created_at FROM alerts WHERE id = 2")
    await set_stamp(db_path, "UPDATE alerts SET created_at = ? WHERE id = 1", young - timedelta(1))
    return young


async def test_who_got_which_message_goes_after_the_deliveries_period(
    sandbox: Sandbox, bot: Grannbot, db_path: Path, rows
):
    young = await two_alerts_a_day_apart(sandbox, db_path, rows)
    seed_residents(sandbox, db_path, [RESIDENT], ["norr"])
    sandbox.user(COORDINATOR_ID, "Kerstin")
    ref = await send_tip(sandbox, RESIDENT, "stöld Cykel stulen")
    await sandbox.wait_for(
        lambda: rows("SELECT status FROM tip_copies") == [("delivered",)], timeout=15
    )
    await set_stamp(db_path, "UPDATE tip_copies SET updated_at = ?", young - timedelta(1))

    clock.freeze(young + timedelta(days=90 - 1))
    await run_retention(bot)

    assert rows("SELECT alert_id, count(*) FROM deliveries GROUP BY alert_id") == [(2, 2)]
    assert rows("SELECT count(*) FROM tip_copies") == [(0,)]
    # The alerts, their reports and the tip keep to their own, longer periods.
    assert rows("SELECT id FROM alerts ORDER BY id") == [(1,), (2,)]
    assert rows("SELECT count(*) FROM notices WHERE purpose = 'report'") == [(2,)]
    assert rows("SELECT ref FROM tips") == [(ref,)]
    assert retention_audit(rows, "deliveries") == [(None, "2 deliveries, 1 tip_copies deleted")]


async def test_pending_deliveries_are_never_cut_from_the_outbox(
    sandbox: Sandbox, bot: Grannbot, db_path: Path, rows
):
    young = await two_alerts_a_day_apart(sandbox, db_path, rows)
    await bot.services.outbox.stop()
    # As if these had not gone out yet: the outbox still owes them.
    await write(db_path, "UPDATE deliveries SET status = 'pending' WHERE alert_id = 1")

    clock.freeze(young + timedelta(days=90 + 30))
    await run_retention(bot)

    assert rows("SELECT alert_id, status FROM deliveries ORDER BY id") == [
        (1, "pending"),
        (1, "pending"),
    ]


async def test_alerts_go_after_their_period_with_deliveries_and_report(
    sandbox: Sandbox, bot: Grannbot, db_path: Path, rows
):
    young = await two_alerts_a_day_apart(sandbox, db_path, rows)

    clock.freeze(young + timedelta(days=730 - 1))
    await run_retention(bot)

    assert rows("SELECT id FROM alerts") == [(2,)]
    assert rows("SELECT count(*) FROM alert_areas WHERE alert_id = 1") == [(0,)]
    assert rows("SELECT count(*) FROM deliveries WHERE alert_id = 1") == [(0,)]
    assert rows("SELECT subject_id FROM notices WHERE purpose = 'report'") == [(2,)]
    assert retention_audit(rows, "alerts") == [(None, "1 alerts deleted")]
    assert not await on_disk(db_path, "Första")


# ------------------------------------------------------------------ audit


async def test_audit_rows_go_after_the_audit_period(
    sandbox: Sandbox, bot: Grannbot, db_path: Path, rows
):
    young = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for at, target in ((young - timedelta(1), "4711"), (young, "4712")):
        await write(
            db_path,
            "INSERT INTO audit_log (at, actor_id, action, target, outcome)"
            " VALUES (?, ?, 'grant', ?, 'ok')",
            (at.strftime(STAMP), COORDINATOR_ID, target),
        )

    clock.freeze(young + timedelta(days=365 - 1))
    await run_retention(bot)

    assert rows("SELECT target FROM audit_log WHERE action = 'grant'") == [("4712",)]
    assert retention_audit(rows, "audit") == [(None, "1 audit deleted")]


# ------------------------------------------------------------------ inactive participants


def inactive_since(rows, user_id: int) -> str | None:
    found = rows("SELECT inactive_since FROM participants WHERE user_id = ?", (user_id,))
    assert found, user_id
    return found[0][0]


async def test_inactive_participants_are_erased_after_their_period(
    sandbox: Sandbox, bot: Grannbot, db_path: Path, rows
):
    # 81 and 82 leave, 83 blocks the bot, 84 leaves but is an area contact, the coordinator
    # leaves but is named in the config, 85 stays, 86 leaves and comes back.
    people = [81, 82, 83, 84, 85, 86, COORDINATOR_ID]
    seed_residents(sandbox, db_path, people, ["centrum"])
    grant_role(db_path, 84, "contact", "centrum")
    assert all(inactive_since(rows, uid) is None for uid in people)
    for uid in (81, 82, 84, 86, COORDINATOR_ID):
        answer = await sandbox.user(uid, f"Boende {uid}").send("/leave centrum")
        assert "lämnat Centrum" in answer.text
    sandbox.block(83)
    await send_alert(sandbox, "centrum Bilar bryts upp")
    assert rows("SELECT active FROM participants WHERE user_id = 83") == [(0,)]
    assert (
        "Välkommen till grannsamverkan Centrum"
        in (await sandbox.user(86, "Boende 86").send("/join centrum")).text
    )

    # Kept as a date, not a time of day.
    day = inactive_since(rows, 82)
    assert date.fromisoformat(day).isoformat() == day
    for uid in (81, 83, 84, COORDINATOR_ID):
        assert inactive_since(rows, uid) == day, uid
    assert inactive_since(rows, 85) is None
    assert inactive_since(rows, 86) is None
    yesterday = (date.fromisoformat(day) - timedelta(1)).isoformat()
    await write(
        db_path,
        "UPDATE participants SET inactive_since = ? WHERE user_id IN (81, 83, 84, ?)",
        (yesterday, COORDINATOR_ID),
    )

    at = datetime.combine(date.fromisoformat(day) + timedelta(180 - 1), time(12), tzinfo=UTC)
    clock.freeze(at)
    await run_retention(bot)

    assert rows("SELECT user_id FROM participants ORDER BY user_id") == [
        (82,),
        (84,),
        (85,),
        (86,),
        (COORDINATOR_ID,),
    ]
    # Erased as /forget erases: no membership, delivery or audit entry names them.
    for uid in (81, 83):
        assert rows("SELECT count(*) FROM memberships WHERE user_id = ?", (uid,)) == [(0,)]
        assert rows("SELECT count(*) FROM deliveries WHERE chat_id = ?", (uid,)) == [(0,)]
        assert rows(
            "SELECT count(*) FROM audit_log WHERE actor_id = ? OR target = ?", (uid, str(uid))
        ) == [(0,)]
        assert not await on_disk(db_path, f"Boende {uid}")
    assert retention_audit(rows, "inactive_participants") == [(None, "2 participants deleted")]
    # The date counted from is part of what /mydata shows.
    clock.reset()
    answer = await mydata_file(sandbox.user(82, "Boende 82"))
    assert json.loads(answer.file_bytes)["participant"][0]["inactive_since"] == day


# ------------------------------------------------------------------ configuration


def with_config(config_file: Path, extra: str) -> Path:
    config_file.write_text(config_file.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return config_file


async def test_the_old_tips_key_still_sets_the_tips_period(
    sandbox: Sandbox, config_file: Path, db_path: Path, rows, caplog, capsys
):
    with_config(config_file, "\n[tips]\nretention_days = 10\n")
    assert check_config(config_file) == 0
    assert "[tips] retention_days has moved to [retention] tips" in capsys.readouterr().err
    settings = load_settings(config_file)
    assert settings.retention.tips == 10
    caplog.set_level(logging.WARNING)
    async with Grannbot(settings, poll_timeout=1) as bot:
        assert any("has moved to [retention] tips" in r.getMessage() for r in caplog.records)
        seed_residents(sandbox, db_path, [RESIDENT], ["centrum"])
        ref = await send_tip(sandbox, RESIDENT, "stöld Cykel stulen")
        created = stamp_of(rows, "SELECT created_at FROM tips WHERE ref = ?", (ref,))
        clock.freeze(created + timedelta(days=10 - 1))
        await run_retention(bot)
        assert rows("SELECT ref FROM tips") == [(ref,)]
        clock.freeze(created + timedelta(days=10))
        await run_retention(bot)
        assert rows("SELECT ref FROM tips") == []


def test_retention_section_wins_over_the_old_key_and_periods_are_at_least_a_day(
    config_file: Path,
):
    with_config(config_file, "\n[tips]\nretention_days = 10\n\n[retention]\ntips = 20\n")
    settings = load_settings(config_file)
    assert settings.retention.tips == 20
    assert settings.moved_keys == [
        "[tips] retention_days is ignored: [retention] tips is set and takes its place"
    ]
    for kind in retention.KINDS:
        with pytest.raises(ConfigError, match=f"retention.{kind}"):
            load_settings(config_file, retention={kind: 0})


# ------------------------------------------------------------------ privacy notice

PERIODS = (
    "\n[retention]\ntips = 45\ndeliveries = 14\naudit = 200\n"
    "inactive_participants = 60\nalerts = 400\nsurveys = 31\n"
)


async def test_privacy_notice_at_start_names_the_configured_periods(
    sandbox: Sandbox, config_file: Path
):
    settings = load_settings(with_config(config_file, PERIODS))
    async with Grannbot(settings, poll_timeout=1):
        swedish = await sandbox.user(601, "Astrid").send("/start")
        oliver = sandbox.user(602, "Oliver")
        await oliver.send("/language en")
        english = await oliver.send("/start")
    for sentence in (
        "De raderas efter 60 dagar",
        "Tips sparas i 45 dagar",
        "kommunen sparas i 400 dagar",
        "fick vilket meddelande sparas i 14 dagar",
        "Den sparas i 200 dagar",
        "enkät sparas svaren i 31 dagar",
    ):
        assert sentence in swedish.text, sentence
    for sentence in (
        "It is deleted after 60 days",
        "Tips are kept for 45 days",
        "municipality are kept for 400 days",
        "got which message is kept for 14 days",
        "It is kept for 200 days",
        "your answers are kept for 31 days",
    ):
        assert sentence in english.text, sentence
    assert [label for label, _ in swedish.buttons()] == ["✅ Jag godkänner"]
    assert [label for label, _ in english.buttons()] == ["✅ I agree"]
