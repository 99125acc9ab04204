"""What the outbox sends, as Telegram calls. The domain decides what goes to whom and when
(bot/delivery.py, bot/notices.py, bot/reports.py, bot/tips.py); the functions here only say
it to Telegram, and let Telegram's answer through for :func:`bot.retry.decide` to read."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from telegram import Bot

from bot import notices, tips
from bot.delivery import Senders
from bot.reports import EditReport, Reports
from bot.services import Services
from storage.deliveries import Delivery


def outbox_senders(services: Services, bot: Bot, reports: Reports) -> Senders:
    """The outbox's senders: an alert's text as it is, a tip copy, a notice (the first
    message of a delivery report goes on to be edited by ``reports``)."""
    return Senders(
        alert=bot.send_message,
        tip=functools.partial(tips.send_copy, services, bot),
        notice=functools.partial(send_notice, services, bot, {notices.REPORT: reports.first_sent}),
    )


def report_editor(bot: Bot) -> EditReport:
    async def edit(chat_id: int, message_id: int, text: str) -> None:
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)

    return edit


async def send_notice(
    services: Services,
    bot: Bot,
    on_sent: Mapping[str, notices.OnSent],
    delivery: Delivery,
) -> None:
    ready = await notices.to_send(services, delivery)
    if ready is None:
        return
    row, text = ready
    message = await bot.send_message(row.chat_id, text)
    await notices.record_sent(services, row, message.message_id, text, on_sent)
