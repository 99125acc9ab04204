"""/summary [this|last|YYYY-Www]: the coordinator's weekly summary on demand."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import clock, summary
from bot.roles import Role
from handlers.common import caller_of, private_only, reply, requires, services
from handlers.senders import send_summary
from storage import audit


@private_only
@requires(Role.COORDINATOR)
async def summary_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    caller = await caller_of(update, context)
    svc = services(context)
    tz = svc.settings.municipality.tz
    week = (
        summary.parse_week(" ".join(context.args), clock.now(), tz)
        if len(context.args) < 2
        else None
    )
    if week is None:
        await reply(update, caller.t("summary_usage"))
        return
    report = await summary.compute(svc, week)
    async with svc.db.transaction() as tx:
        await audit.record(tx, caller.user_id, "summary", target=week.label)
    await send_summary(context.bot, update.effective_chat.id, report, caller.lang, tz)
