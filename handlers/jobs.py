"""Everything the bot does by the clock rather than in answer to an update, in one place as
the routes are in bot/app.py: reminders, the weekly summary, retention and dropping idle
flows. PTB's JobQueue keeps jobs in memory only, so what is due is decided from the database
by the domain functions these jobs call (bot/reminders.py, bot/summary.py,
bot/retention.py); a delay computed from :func:`bot.clock.now` (rather than an absolute
APScheduler trigger) lets tests and the demo move time."""

from __future__ import annotations

import functools
import logging
from datetime import datetime

from telegram import Bot
from telegram.ext import Application, CallbackContext, JobQueue

from bot import clock, reminders, retention, summary
from bot.persistence import schedule_expiry
from bot.reminders import Reminder
from bot.services import Services
from handlers.senders import send_summary_to

log = logging.getLogger(__name__)

REMINDER_PREFIX = "reminder:"  # a reminder's job: reminder:<id>
WEEKLY_SUMMARY = "weekly-summary"
RETENTION = "retention"
# Jobs must run however late the event loop gets to them; missed runs across a restart are
# decided from the database instead.
JOB_KWARGS = {"misfire_grace_time": None}


async def start(application: Application) -> None:
    """Called once at start-up, once the outbox runs: every job, missed runs first."""
    services: Services = application.bot_data["services"]
    # Reminders and the weekly summary: jobs rebuilt from the database, missed runs first.
    await reminders.catch_up(services, ReminderJobs(application.job_queue))
    await start_weekly_summary(application)
    # Personal data past its [retention] period is deleted once a day (local time).
    schedule_retention(application)
    # Flows in progress (kept in the database) are deleted once idle past their timeout.
    schedule_expiry(application)


# ------------------------------------------------------------------ reminders


class ReminderJobs:
    """:class:`bot.reminders.Timers` in PTB's JobQueue: one ``run_once`` job per active
    reminder, for its next run."""

    def __init__(self, job_queue: JobQueue) -> None:
        self.job_queue = job_queue

    def set(self, reminder: Reminder) -> None:
        self.cancel(reminder.id)
        if reminder.status != "active" or reminder.next_run is None:
            return
        delay = max(0.0, (reminder.next_run - clock.now()).total_seconds())
        self.job_queue.run_once(
            _reminder_due,
            when=delay,
            data={"id": reminder.id, "due": reminder.next_run},
            name=reminder_job(reminder.id),
            job_kwargs=JOB_KWARGS,
        )

    def cancel(self, reminder_id: int) -> None:
        for job in self.job_queue.get_jobs_by_name(reminder_job(reminder_id)):
            job.schedule_removal()


def reminder_job(reminder_id: int) -> str:
    return f"{REMINDER_PREFIX}{reminder_id}"


async def _reminder_due(context: CallbackContext) -> None:
    services: Services = context.application.bot_data["services"]
    data = context.job.data
    await reminders.run_due(services, ReminderJobs(context.job_queue), data["id"], data["due"])


# ------------------------------------------------------------------ the weekly summary


async def run_weekly_summary(services: Services, bot: Bot, fire: datetime) -> bool:
    """The scheduled summary for the run at ``fire``; False if that week already went out."""
    deliver = functools.partial(send_summary_to, services, bot)
    return await summary.run_scheduled(services, deliver, fire)


def register_weekly_summary(job_queue: JobQueue, services: Services, after: datetime) -> datetime:
    """(Re)place the job for the first scheduled run after ``after``; returns that run."""
    fire = summary.next_fire(services, after)
    for job in job_queue.get_jobs_by_name(WEEKLY_SUMMARY):
        job.schedule_removal()
    job_queue.run_once(
        _weekly_summary,
        when=max(0.0, (fire - clock.now()).total_seconds()),
        data={"fire": fire},
        name=WEEKLY_SUMMARY,
        job_kwargs=JOB_KWARGS,
    )
    return fire


async def _weekly_summary(context: CallbackContext) -> None:
    services: Services = context.application.bot_data["services"]
    fire: datetime = context.job.data["fire"]
    try:
        await run_weekly_summary(services, context.bot, fire)
    finally:
        register_weekly_summary(context.job_queue, services, max(fire, clock.now()))


async def start_weekly_summary(application: Application) -> None:
    """Send the last scheduled summary if it was missed, then schedule the next one."""
    services: Services = application.bot_data["services"]
    now = clock.now()
    missed = await summary.missed_run(services, now)
    if missed is not None and await run_weekly_summary(services, application.bot, missed):
        log.info("sent the weekly summary missed at %s", f"{missed:%Y-%m-%dT%H:%M:%SZ}")
    register_weekly_summary(application.job_queue, services, now)


# ------------------------------------------------------------------ retention


def schedule_retention(application: Application) -> None:
    """Once a day at :data:`bot.retention.RUN_AT`, the municipality's local time."""
    settings = application.bot_data["services"].settings
    for note in settings.moved_keys:
        log.warning("configuration: %s", note)
    application.job_queue.run_daily(
        _retention, time=retention.RUN_AT.replace(tzinfo=settings.municipality.tz), name=RETENTION
    )


async def _retention(context: CallbackContext) -> None:
    await retention.run(context.application.bot_data["services"])
