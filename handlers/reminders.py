"""/remind, /reminders and /unremind for the coordinator."""

from __future__ import annotations

from telegram import Update

from bot import alerts, reminders
from bot.reminders import Reminder
from bot.services import Services
from bot.texts import Safe, name_list
from bot.when import WhenError, describe, local_text, parse_when, split_command
from handlers.common import Caller, Context, confirm, reply, services
from handlers.jobs import ReminderJobs

LISTED_TEXT_MAX = 200  # /reminders shows the start of each text; the full one is stored


async def remind(update: Update, context: Context) -> None:
    caller = context.caller
    svc = services(context)
    parsed = split_command(update.effective_message.text)
    if parsed is None:
        await reply(update, caller.t("remind_usage"))
        return
    when, target, text = parsed
    try:
        schedule = parse_when(when)
    except WhenError as exc:
        await _explain(update, caller, exc)
        return
    if not target or not text.strip():
        await reply(update, caller.t("remind_no_area"))
        return
    found, unknown = await alerts.parse_areas(svc.db, target)
    if unknown or not found:
        await reply(update, caller.t("alert_unknown_areas", codes=", ".join(unknown) or target))
        return
    problem = reminders.text_problem(svc, found, text)
    if problem is not None:
        await reply(update, caller.say(problem))
        return
    everything = target.strip().lower() in ("all", "alla")
    try:
        reminder = await reminders.create(
            svc,
            ReminderJobs(context.job_queue),
            creator_id=caller.user_id,
            schedule=schedule,
            areas=found,
            all_areas=everything,
            text=text,
            target=target.lower(),
            lang=caller.lang,
        )
    except WhenError as exc:
        await _explain(update, caller, exc)
        return
    await confirm(
        update,
        caller.t(
            "remind_saved",
            id=reminder.id,
            schedule=describe(schedule, caller.lang),
            areas=_areas(caller, reminder),
            next=_when(svc, caller, reminder),
        ),
    )


async def reminders_command(update: Update, context: Context) -> None:
    caller = context.caller
    svc = services(context)
    listed = await reminders.listing(svc)
    if not listed:
        await reply(update, caller.t("reminders_none"))
        return
    lines = [caller.t("reminders_header")]
    for reminder in listed:
        text = reminder.text
        if len(text) > LISTED_TEXT_MAX:
            text = text[:LISTED_TEXT_MAX] + " …"
        key = "reminders_item_missed" if reminder.status == "missed" else "reminders_item"
        lines.append(
            caller.t(
                key,
                id=reminder.id,
                schedule=describe(reminder.schedule, caller.lang),
                areas=_areas(caller, reminder),
                next=_when(svc, caller, reminder),
                text=text,
            )
        )
    lines.append(caller.t("reminders_footer"))
    await reply(update, Safe("\n\n".join(lines)))


async def unremind(update: Update, context: Context) -> None:
    caller = context.caller
    svc = services(context)
    args = context.args
    if len(args) != 1 or not args[0].lstrip("#").isdigit():
        await reply(update, caller.t("unremind_usage"))
        return
    reminder_id = int(args[0].lstrip("#"))
    if not await reminders.remove(
        svc, ReminderJobs(context.job_queue), reminder_id, actor_id=caller.user_id
    ):
        await reply(update, caller.t("unremind_unknown", id=reminder_id))
        return
    await confirm(update, caller.t("unremind_done", id=reminder_id))


async def _explain(update: Update, caller: Caller, error: WhenError) -> None:
    lines = [caller.t(key, **values) for key, values in error.problems]
    await reply(update, Safe("\n".join(lines)))


def _areas(caller: Caller, reminder: Reminder) -> str:
    if reminder.all_areas:
        return caller.plain("reminders_all_areas")
    return name_list(caller.lang, list(reminder.area_names))


def _when(svc: Services, caller: Caller, reminder: Reminder) -> str:
    if reminder.next_run is None:
        return "–"
    return local_text(reminder.next_run, svc.settings.municipality.tz, caller.lang)
