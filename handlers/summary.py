"""/summary [this|last|YYYY-Www]: the coordinator's weekly summary on demand."""

from __future__ import annotations

from telegram import Update

from bot import clock, summary
from handlers.common import Context, reply, services
from handlers.senders import send_summary


async def summary_command(update: Update, context: Context) -> None:
    caller = context.caller
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
    report = await summary.on_demand(svc, week, caller.user_id)
    await send_summary(context.bot, update.effective_chat.id, report, caller.lang, tz)
