"""Scheduled reminders: each run is put into the alert outbox. When a reminder fires is said
in the WHEN grammar (:mod:`bot.when`).

PTB's JobQueue (APScheduler 3) keeps jobs in memory only, so the database is the truth: every
reminder has its ``next_run`` stored, each active reminder gets one timer for that moment
(:class:`Timers`, kept by handlers/jobs.py), and after a run the following one is computed
here and its timer set again.

Missed runs (the bot was down) are decided from the database at start-up, never by
APScheduler's misfire handling:

* a one-off reminder less than :data:`ONCE_GRACE` late goes out once, marked as late; older
  ones are marked ``missed`` and listed in the next weekly summary;
* a recurring reminder is never sent several times to catch up. Only if its latest missed
  occurrence is less than :data:`RECURRING_GRACE` late (a restart or a deploy) does it go
  out once, marked as late; otherwise that occurrence is skipped, because "the meeting is
  tonight at 19" sent the next morning does more harm than good.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot import alerts, clock, dates
from bot.alerts import Draft, Kind
from bot.clock import parse_stamp, stamp
from bot.message import Message
from bot.services import Services
from bot.texts import t
from bot.when import (
    Schedule,
    WhenError,
    local_text,
    parse_spec,
)
from storage import areas as area_rows
from storage import audit
from storage import reminders as rows
from storage.areas import Area
from storage.reminders import ReminderRow

log = logging.getLogger(__name__)

ONCE_GRACE = timedelta(hours=24)
RECURRING_GRACE = timedelta(hours=1)

# ---------------------------------------------------------------------------- the service


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    schedule: Schedule
    all_areas: bool
    area_codes: tuple[str, ...]
    area_names: tuple[str, ...]
    text: str
    next_run: datetime | None
    last_run: datetime | None
    status: str

    @classmethod
    def of(cls, row: ReminderRow) -> Reminder:
        return cls(
            row.id,
            parse_spec(row.schedule),
            row.all_areas,
            row.area_codes,
            row.area_names,
            row.text,
            parse_stamp(row.next_run) if row.next_run else None,
            parse_stamp(row.last_run) if row.last_run else None,
            row.status,
        )


class Timers(Protocol):
    """Wakes the bot for a reminder's next run (the Telegram side keeps them in PTB's
    JobQueue, handlers/jobs.py)."""

    def set(self, reminder: Reminder) -> None:
        """(Re)place the timer for the reminder's next run; none if it has none."""

    def cancel(self, reminder_id: int) -> None: ...


def late_note(services: Services, due: datetime) -> str:
    """Written into the reminder's text, so in the municipality's language (the language the
    coordinator wrote the reminder in)."""
    settings = services.settings
    lang = settings.municipality.language
    return t(lang, "reminder_late_note", due=local_text(due, settings.municipality.tz, lang))


def text_problem(services: Services, areas: list[Area], text: str) -> Message | None:
    """Too long or empty, counting the late note it may carry one day."""
    longest_note = late_note(services, datetime(2026, 9, 30, 23, 59, tzinfo=UTC))
    return alerts.text_problem(Draft(Kind.REMINDER, None, areas, f"{longest_note}\n\n{text}"))


async def create(
    services: Services,
    timers: Timers | None,
    *,
    creator_id: int,
    schedule: Schedule,
    areas: list[Area],
    all_areas: bool,
    text: str,
    target: str = "",
    lang: str | None = None,
) -> Reminder:
    """Store a reminder with its audit row (``target`` as the coordinator typed it) and
    set its timer. A one-off time that has passed is refused."""
    tz = services.settings.municipality.tz
    now = clock.now()
    first = schedule.next_after(now, tz)
    if first is None:
        lang = lang or services.settings.municipality.language
        raise WhenError([("when_past", {"now": dates.moment(now, lang, tz=tz)})])
    async with services.db.transaction() as tx:
        reminder_id = await rows.insert(
            tx,
            schedule=schedule.spec,
            all_areas=all_areas,
            area_ids=[] if all_areas else [a.id for a in areas],
            text=text.strip(),
            created_by=creator_id,
            next_run=stamp(first),
        )
        await audit.record(
            tx,
            creator_id,
            "remind",
            target=target,
            detail=f"reminder {reminder_id}: {schedule.spec}",
        )
        row = await rows.reminder(tx, reminder_id)
    reminder = Reminder.of(row)
    if timers is not None:
        timers.set(reminder)
    log.info("reminder %d (%s) created, first run %s", reminder_id, schedule.spec, stamp(first))
    return reminder


async def listing(services: Services) -> list[Reminder]:
    return [Reminder.of(r) for r in await rows.listed(services.db)]


async def remove(
    services: Services, timers: Timers | None, reminder_id: int, *, actor_id: int | None
) -> bool:
    async with services.db.transaction() as tx:
        removed = await rows.delete(tx, reminder_id)
        if removed:
            await audit.record(tx, actor_id, "unremind", target=str(reminder_id))
    if removed and timers is not None:
        timers.cancel(reminder_id)
    return removed


async def run_due(
    services: Services,
    timers: Timers | None,
    reminder_id: int,
    due: datetime,
    *,
    late_for: datetime | None = None,
) -> int | None:
    """Send the run of a reminder that was ``due`` and schedule the next one; returns the
    alert id, or None when there was nothing to send.

    The run is claimed in the database before it is queued, so a reminder goes out at most
    once per run even if a catch-up and its job meet (a crash in between loses that run
    rather than sending it twice to every resident).
    """
    tz = services.settings.municipality.tz
    now = clock.now()
    row = await rows.reminder(services.db, reminder_id)
    if row is None or row.status != "active" or row.next_run != stamp(due):
        return None
    reminder = Reminder.of(row)
    following = reminder.schedule.next_after(max(now, due), tz)
    async with services.db.transaction() as tx:
        claimed = await rows.claim_run(
            tx, reminder_id, stamp(due), stamp(now), stamp(following) if following else None
        )
        area_ids = await rows.target_area_ids(tx, reminder_id, reminder.all_areas)
    if not claimed:
        return None
    if following is not None and timers is not None:
        timers.set(Reminder.of(await rows.reminder(services.db, reminder_id)))
    areas = await area_rows.areas_by_ids(services.db, area_ids) if area_ids else []
    if not areas:
        log.warning("reminder %d: its areas are gone, nothing sent", reminder_id)
        return None
    areas.sort(key=lambda a: a.name.casefold())
    text = reminder.text
    if late_for is not None:
        text = f"{late_note(services, late_for)}\n\n{text}"
    alert_id = await alerts.queue(services, Draft(Kind.REMINDER, None, areas, text))
    log.info("reminder %d sent as alert %d%s", reminder_id, alert_id, " (late)" * bool(late_for))
    return alert_id


# ---------------------------------------------------------------------------- start-up


async def catch_up(services: Services, timers: Timers | None) -> None:
    """At start-up: apply the missed-run policy (module docstring) to every reminder whose
    run passed while the bot was down, then set a timer for each active one."""
    tz = services.settings.municipality.tz
    now = clock.now()
    for row in await rows.active(services.db):
        reminder = Reminder.of(row)
        due = reminder.next_run
        if due is None or due > now:
            if timers is not None:
                timers.set(reminder)
            continue
        if not reminder.schedule.recurring:
            if now - due < ONCE_GRACE:
                await run_due(services, timers, reminder.id, due, late_for=due)
            else:
                async with services.db.transaction() as tx:
                    await rows.mark_missed(tx, reminder.id, stamp(due))
                log.warning("reminder %d was due %s and is now missed", reminder.id, stamp(due))
            continue
        latest = due
        while (following := reminder.schedule.next_after(latest, tz)) <= now:
            latest = following
        if now - latest < RECURRING_GRACE:
            await run_due(services, timers, reminder.id, due, late_for=latest)
            continue
        async with services.db.transaction() as tx:
            await rows.skip_to(tx, reminder.id, stamp(due), stamp(following))
        log.warning("reminder %d: skipped runs since %s while down", reminder.id, stamp(due))
        if timers is not None:
            timers.set(Reminder.of(await rows.reminder(services.db, reminder.id)))
