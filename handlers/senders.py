"""What the outbox sends, as Telegram calls. The domain decides what goes to whom and when
(bot/delivery.py, bot/notices.py, bot/reports.py, bot/tip_card.py); the functions here only
say it to Telegram, and let Telegram's answer through for :func:`bot.retry.decide` to read."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping

from telegram import Bot
from telegram.error import BadRequest

from bot import notices, retry, tip_card
from bot.delivery import Senders
from bot.reports import EditReport, Reports
from bot.retry import Action
from bot.services import Services
from handlers.keyboards import status_buttons
from storage.deliveries import Delivery

log = logging.getLogger(__name__)


def outbox_senders(services: Services, bot: Bot, reports: Reports) -> Senders:
    """The outbox's senders: an alert's text as it is, a tip copy, a notice (the first
    message of a delivery report goes on to be edited by ``reports``)."""
    return Senders(
        alert=bot.send_message,
        tip=functools.partial(send_tip_copy, services, bot),
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


async def send_tip_copy(services: Services, bot: Bot, copy: Delivery) -> None:
    """One handler's copy of a new tip, part by part (see :func:`bot.tip_card.parts_to_send`).
    A part Telegram refuses for good is skipped when the copy is still of use without it."""
    for part in await tip_card.parts_to_send(services, copy):
        try:
            await _send_part(bot, copy.chat_id, part)
        except BadRequest as exc:
            # A chat that is gone is the outbox's to record, whatever the part.
            decision = retry.decide(exc, copy.attempts + 1)
            if not tip_card.may_skip(part) or decision.action is not Action.GIVE_UP:
                raise
            await tip_card.note_refused(services, copy, part.name, exc.message)
            log.warning("tip copy %d: %s not sent: %s", copy.id, part.name, exc.message)
            continue
        await tip_card.note_sent(services, copy, part.name)


async def _send_part(bot: Bot, chat_id: int, part: tip_card.Part) -> None:
    match part:
        case tip_card.Card():
            markup = status_buttons(part.lang, part.tip)
            await bot.send_message(chat_id, part.text, reply_markup=markup)
        case tip_card.Photo():
            await bot.send_photo(chat_id, part.file_id, caption=part.caption)
        case tip_card.Location():
            await bot.send_location(chat_id, part.latitude, part.longitude)
