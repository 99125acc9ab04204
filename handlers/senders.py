"""What the bot sends when no update asked for it, as Telegram calls: the outbox's rows and
the weekly summary. The domain decides what goes to whom and when (bot/delivery.py,
bot/notices.py, bot/reports.py, bot/tip_card.py, bot/summary.py); the functions here say it
to Telegram, and let Telegram's answer through for :func:`bot.retry.decide` to read."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping
from datetime import tzinfo

from telegram import Bot, InputFile
from telegram.error import BadRequest, ChatMigrated, TelegramError

from bot import groups, notices, retry, tip_card
from bot.delivery import Senders
from bot.reports import EditReport, Reports
from bot.retry import Action
from bot.services import Services
from bot.summary import WeeklySummary
from bot.summary_text import render, render_chart, split_message
from bot.telegram_text import CAPTION_LIMIT, telegram_length
from bot.texts import t
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


# ------------------------------------------------------------------ the weekly summary


async def send_summary(
    bot: Bot, chat_id: int, summary: WeeklySummary, lang: str, tz: tzinfo
) -> None:
    """The chart as a photo with the text as its caption, or, when the text is over the
    caption limit, the photo with the title and the text as its own message(s). A chat that
    allows no photos gets the text with a note that the chart could not be sent there."""
    text = render(summary, lang, tz)
    png = await asyncio.to_thread(render_chart, summary, lang)
    photo = InputFile(png, filename=f"summary-{summary.week.label}.png")
    fits = telegram_length(text) <= CAPTION_LIMIT
    title = t(lang, "summary_title", week=summary.week.number, year=summary.week.year)
    try:
        await bot.send_photo(chat_id, photo, caption=text if fits else title)
    except BadRequest as exc:
        if not is_refused_content(exc):
            raise
        log.warning("weekly summary %s: a chat allows no photos; text only", summary.week.label)
        text += "\n\n" + t(lang, "summary_chart_not_allowed")
    else:
        if fits:
            return
    for chunk in split_message(text):
        await bot.send_message(chat_id, chunk)


async def send_summary_following_moves(
    services: Services, bot: Bot, chat_id: int, summary: WeeklySummary, lang: str
) -> None:
    """:func:`send_summary`, and when the chat turns out to be a group that became a
    supergroup, its references move and the summary goes to the new id."""
    tz = services.settings.municipality.tz
    try:
        await send_summary(bot, chat_id, summary, lang, tz)
    except ChatMigrated as exc:
        await groups.move(services, chat_id, exc.new_chat_id)
        await send_summary(bot, exc.new_chat_id, summary, lang, tz)


async def send_summary_to(
    services: Services, bot: Bot, chat_id: int, summary: WeeklySummary, lang: str
) -> None:
    """The scheduled summary to one recipient: a chat that cannot take it does not keep it
    from the others."""
    try:
        await send_summary_following_moves(services, bot, chat_id, summary, lang)
    except TelegramError as exc:
        # No chat ids in the log: whether it was a person or the team chat is enough.
        who = "the team chat" if chat_id < 0 else "a coordinator"
        log.warning("weekly summary %s not sent to %s: %s", summary.week.label, who, exc)


def is_refused_content(exc: BadRequest) -> bool:
    """Telegram checks each kind of content on its own: a group may take text but no photos
    ("not enough rights to send photos to the chat"). Such an answer will not change on a
    retry."""
    return "not enough rights" in exc.message.lower()
