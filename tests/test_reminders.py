"""Scheduled reminders over the sandbox: creating, listing, removing, delivery to residents and
linked groups, persistence across restarts, missed runs, and who may use them.

Time is controlled with bot.clock: it is set before a bot starts, because jobs are registered
with delays computed from it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot import clock
from bot.runtime import Grannbot
from bot.sandbox import Sandbox
from handlers import jobs
from tests.conftest import COORDINATOR_ID, POLICE_ID
from tests.helpers import received, seed_residents

HEADING = "Påminnelse – Centrum"
GROUP_CENTRUM = -1001


@pytest.fixture(autouse=True)
def _real_time_afterwards() -> Iterator[None]:
    yield
    clock.reset()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def reminder_jobs(bot: Grannbot) -> dict[str, datetime]:
    """Registered reminder jobs: name -> the run they are for."""
    return {
        job.name: job.data["due"]
        for job in bot.application.job_queue.jobs()
        if job.name.startswith(jobs.REMINDER_PREFIX)
    }


def bot_at(settings) -> Grannbot:
    return Grannbot(settings, poll_timeout=1)


async def test_create_list_remove_and_restart(sandbox: Sandbox, settings, rows):
    clock.travel(utc(2026, 3, 20, 10))  # Friday, winter time
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    async with bot_at(settings) as first:
        saved = await kerstin.send(
            "/remind weekly tis 18:30 centrum Grannsamverkansmöte i Folkets hus ikväll kl 19"
        )
        assert "Påminnelse 1 sparad: varje tisdag kl. 18.30, till Centrum" in saved.text
        assert "Nästa utskick: tis 24 mars kl. 18.30" in saved.text
        saved = await kerstin.send(
            "/remind once 2026-06-20 09:00 all Midsommar: hjälp varandra att tömma brevlådor"
        )
        assert "Påminnelse 2 sparad" in saved.text and "alla områden" in saved.text
        assert "lör 20 juni kl. 09.00" in saved.text
        # Tuesday 31 March is summer time: still 18:30 local, an hour earlier in UTC.
        await kerstin.send("/remind monthly 31 02:30 norr Kolla brandvarnaren")
        before = reminder_jobs(first)
        assert before == {
            "reminder:1": utc(2026, 3, 24, 17, 30),
            "reminder:2": utc(2026, 6, 20, 7),
            "reminder:3": utc(2026, 3, 31, 0, 30),
        }
        listing = await kerstin.send("/reminders")
        assert "1 · varje tisdag kl. 18.30 · Centrum" in listing.text
        assert "Midsommar" in listing.text and "den 31 varje månad kl. 02.30" in listing.text
        removed = await kerstin.send("/unremind 2")
        assert "Påminnelse 2 är borttagen" in removed.text
        assert "reminder:2" not in reminder_jobs(first)

    stored = rows("SELECT id, next_run FROM reminders ORDER BY id")
    assert stored == [(1, "2026-03-24T17:30:00Z"), (3, "2026-03-31T00:30:00Z")]
    async with bot_at(settings) as second:
        assert reminder_jobs(second) == {k: v for k, v in before.items() if k != "reminder:2"}
        listing = await kerstin.send("/reminders")
        assert "Kolla brandvarnaren" in listing.text and "Midsommar" not in listing.text
        assert "ingen påminnelse 2" in (await kerstin.send("/unremind 2")).text
    assert rows("SELECT action, target FROM audit_log WHERE action LIKE '%remind' ORDER BY id") == [
        ("remind", "centrum"),
        ("remind", "all"),
        ("remind", "norr"),
        ("unremind", "2"),
    ]


async def test_reminder_reaches_residents_and_the_linked_group(
    sandbox: Sandbox, settings, db_path, rows
):
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    clock.travel(utc(2026, 6, 19, 9))
    async with bot_at(settings) as running:
        seed_residents(sandbox, db_path, [1, 2], ["centrum"])
        seed_residents(sandbox, db_path, [3], ["norr"])
        sandbox.group(GROUP_CENTRUM, "Grannsamverkan Centrum")
        linked = await kerstin.send("/linkgroup centrum", chat_id=GROUP_CENTRUM)
        assert "kopplad till Centrum" in linked.text
        # Two seconds before 14:00 local time (CEST): the one-off is due almost at once.
        clock.travel(utc(2026, 6, 19, 11, 59, 58))
        saved = await kerstin.send(
            "/remind once 2026-06-19 14:00 centrum Lås cykelförrådet i kväll"
        )
        assert "Påminnelse 1 sparad" in saved.text
        await sandbox.wait_for(
            lambda: all(received(sandbox, chat, HEADING) == 1 for chat in (1, 2, GROUP_CENTRUM)),
            timeout=15,
        )
        message = sandbox.messages(GROUP_CENTRUM)[-1].text
        assert "Lås cykelförrådet i kväll" in message and "Försenad" not in message
        assert "Ring 112" in message
        assert received(sandbox, 3, "Påminnelse –") == 0
        assert reminder_jobs(running) == {}
    assert rows("SELECT kind, sender_id, area_names FROM alerts") == [("reminder", None, "Centrum")]
    assert rows("SELECT status, next_run, last_run IS NOT NULL FROM reminders") == [
        ("done", None, 1)
    ]


async def test_recurring_reminder_is_registered_again_after_it_ran(
    sandbox: Sandbox, settings, db_path, rows
):
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    clock.travel(utc(2026, 3, 28, 5, 59, 58))  # Saturday 06:59:58 CET
    async with bot_at(settings) as running:
        seed_residents(sandbox, db_path, [1], ["centrum"])
        await kerstin.send("/remind daily 07:00 all Kom ihåg att låsa förrådet")
        await sandbox.wait_for(lambda: received(sandbox, 1, "Påminnelse") == 1, timeout=15)
        # The next run is Sunday 07:00, which is summer time: 05:00 UTC.
        await sandbox.wait_for(
            lambda: reminder_jobs(running) == {"reminder:1": utc(2026, 3, 29, 5)}
        )
    assert rows("SELECT status, next_run FROM reminders") == [("active", "2026-03-29T05:00:00Z")]


async def test_missed_one_offs_late_or_missed(sandbox: Sandbox, settings, db_path, rows):
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    clock.travel(utc(2026, 6, 19, 8))
    async with bot_at(settings):
        seed_residents(sandbox, db_path, [1], ["centrum"])
        await kerstin.send("/remind once 2026-06-19 14:00 centrum Soon late")  # 12:00 UTC
        await kerstin.send("/remind once 2026-06-19 13:00 centrum Too late")  # 11:00 UTC
    # Down until the next day 11:30 UTC: 23.5 hours after the first, 24.5 after the second.
    clock.travel(utc(2026, 6, 20, 11, 30))
    async with bot_at(settings) as running:
        assert rows("SELECT id, status FROM reminders ORDER BY id") == [(1, "done"), (2, "missed")]
        await sandbox.wait_for(lambda: received(sandbox, 1, "Påminnelse") == 1)
        late = sandbox.messages(1)[-1].text
        assert "Försenad påminnelse – skulle ha skickats fre 19 juni kl. 14.00" in late
        assert "Soon late" in late
        assert reminder_jobs(running) == {}
        listing = await kerstin.send("/reminders")
        assert "Missades (boten var nere): fre 19 juni kl. 13.00" in listing.text
        summary = await kerstin.send("/summary")
        await kerstin.wait_text("Påminnelser som inte skickades")
        assert "2: Too late" in summary.text or "2: Too late" in kerstin.last_text()
    assert rows("SELECT text FROM alerts") == [
        ("(Försenad påminnelse – skulle ha skickats fre 19 juni kl. 14.00.)\n\nSoon late",)
    ]


async def test_missed_recurring_runs_are_not_caught_up(sandbox: Sandbox, settings, db_path, rows):
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    clock.travel(utc(2026, 6, 15, 10))  # Monday
    async with bot_at(settings):
        seed_residents(sandbox, db_path, [1], ["centrum"])
        seed_residents(sandbox, db_path, [2], ["norr"])
        await kerstin.send("/remind daily 09:00 centrum Daglig")  # 07:00 UTC
        await kerstin.send("/remind weekly tis 18:30 norr Möte ikväll kl 19")  # Tue 16:30 UTC
    # Down from Monday until Friday 09:30 local: four daily runs and one weekly run missed.
    clock.travel(utc(2026, 6, 19, 7, 30))
    async with bot_at(settings) as running:
        # The latest daily run is half an hour late: sent once, marked late.
        assert rows("SELECT kind, text FROM alerts") == [
            (
                "reminder",
                "(Försenad påminnelse – skulle ha skickats fre 19 juni kl. 09.00.)\n\nDaglig",
            )
        ]
        await sandbox.wait_for(lambda: received(sandbox, 1, "Påminnelse") == 1)
        assert received(sandbox, 2, "Påminnelse –") == 0
        assert reminder_jobs(running) == {
            "reminder:1": utc(2026, 6, 20, 7),
            "reminder:2": utc(2026, 6, 23, 16, 30),
        }
    assert rows("SELECT id, status, next_run FROM reminders ORDER BY id") == [
        (1, "active", "2026-06-20T07:00:00Z"),
        (2, "active", "2026-06-23T16:30:00Z"),
    ]


async def test_missed_weekly_summary_is_sent_once(sandbox: Sandbox, settings, rows):
    sandbox.user(COORDINATOR_ID, "Kerstin")
    clock.travel(utc(2026, 6, 10, 10))  # a Wednesday: a fresh bot owes no summary yet
    async with bot_at(settings):
        pass
    assert sandbox.messages(COORDINATOR_ID) == []
    clock.travel(utc(2026, 6, 16, 10))  # down over Monday 15 June 08:00
    async with bot_at(settings):
        photos = [m for m in sandbox.messages(COORDINATOR_ID) if m.kind == "photo"]
        assert len(photos) == 1
        assert "Veckosammanfattning – vecka 24, 2026" in photos[0].text
    async with bot_at(settings):
        pass
    assert len([m for m in sandbox.messages(COORDINATOR_ID) if m.kind == "photo"]) == 1
    assert rows("SELECT week, scheduled_for FROM summary_runs") == [
        ("2026-W24", "2026-06-15T06:00:00Z")
    ]


async def test_weekly_summary_goes_out_on_monday_morning(sandbox: Sandbox, settings, rows):
    sandbox.user(COORDINATOR_ID, "Kerstin")
    clock.travel(utc(2026, 6, 22, 5, 59, 58))  # Monday 07:59:58 local
    async with bot_at(settings) as running:
        await sandbox.wait_for(
            lambda: any(m.kind == "photo" for m in sandbox.messages(COORDINATOR_ID)), timeout=15
        )
        assert "vecka 25, 2026" in sandbox.messages(COORDINATOR_ID)[0].text
        await sandbox.wait_for(
            lambda: (
                [
                    j.data["fire"]
                    for j in running.application.job_queue.get_jobs_by_name("weekly-summary")
                ]
                == [utc(2026, 6, 29, 6)]
            )
        )
    assert rows("SELECT week FROM summary_runs") == [("2026-W25",)]


async def test_wrong_when_and_targets_are_explained(sandbox: Sandbox, bot, rows):
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    both = await kerstin.send("/remind weekly tus 25:00 centrum Möte")
    assert "Okänd veckodag: tus" in both.text and "Ogiltig tid: 25:00" in both.text
    past = await kerstin.send("/remind once 2020-01-01 10:00 centrum Gammalt")
    assert "redan passerat" in past.text
    assert "Okänt område: atlantis" in (await kerstin.send("/remind daily 09:00 atlantis Hej")).text
    assert "områdeskod eller all" in (await kerstin.send("/remind daily 09:00")).text
    assert "Skriv /remind NÄR OMRÅDE TEXT" in (await kerstin.send("/remind")).text
    assert "för lång" in (await kerstin.send("/remind daily 09:00 centrum " + "å" * 5000)).text
    assert "Skriv /unremind ID" in (await kerstin.send("/unremind tre")).text
    assert "inga schemalagda" in (await kerstin.send("/reminders")).text
    assert "Skriv /summary" in (await kerstin.send("/summary förrförra")).text
    assert rows("SELECT count(*) FROM reminders") == [(0,)]


@pytest.mark.parametrize("user_id", [41, POLICE_ID])
async def test_residents_and_police_may_not_schedule(
    sandbox: Sandbox, bot, db_path, rows, user_id: int
):
    seed_residents(sandbox, db_path, [41], ["centrum"])
    kerstin = sandbox.user(COORDINATOR_ID, "Kerstin")
    await kerstin.send("/remind daily 09:00 centrum Riktig påminnelse")
    someone = sandbox.user(user_id, "Någon")
    for command in (
        "/remind daily 09:00 centrum Falsk",
        "/reminders",
        "/unremind 1",
        "/summary",
        "/summary last",
    ):
        assert "inte tillgängligt" in (await someone.send(command)).text, command
    assert rows("SELECT id, text FROM reminders") == [(1, "Riktig påminnelse")]
    assert not any(m.kind == "photo" for m in sandbox.messages(user_id))
    refused = rows(
        "SELECT action, times FROM audit_log WHERE outcome = 'refused' AND actor_id = ?"
        " ORDER BY id",
        (user_id,),
    )
    # /summary and /summary last within the hour: one row, counted twice.
    assert refused == [("remind", 1), ("reminders", 1), ("unremind", 1), ("summary", 2)]
