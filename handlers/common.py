"""What every handler shares: the context with the caller loaded once per update, role and
private-chat checks, the error handler."""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackContext,
    ConversationHandler,
    ExtBot,
)

from bot import auditlog, dates, groups, signup
from bot.logsafety import pseudonym
from bot.message import Message as Said
from bot.roles import Access, Role, access_of
from bot.services import Services
from bot.texts import LANGUAGES, plain, t
from storage.participants import Participant

if TYPE_CHECKING:
    from handlers.commands import Commands

log = logging.getLogger(__name__)

COMMAND_TABLE = "commands"  # bot_data: the command table (handlers/commands.py)
LANG = "lang"  # user_data: a language chosen before consent (after it, the participant's)


@dataclass(frozen=True, slots=True)
class Caller:
    """The user behind an update, with the language every reply to them must use and what
    they may do."""

    user_id: int
    first_name: str
    participant: Participant | None
    lang: str
    # Built without its access (a keyboard drawn in a test), a caller holds no role.
    access: Access = field(default_factory=lambda: Access(0))

    def t(self, key: str, **values: Any) -> str:
        return t(self.lang, key, **values)

    def plain(self, key: str) -> str:
        return plain(self.lang, key)

    def say(self, said: Said) -> str:
        """What a service said, in the caller's language; a time of day in it is written
        the way that language writes times ("20.50", "20:50")."""
        values = {
            name: dates.clock_time(value, self.lang) if isinstance(value, time) else value
            for name, value in said.values.items()
        }
        return t(self.lang, said.key, **values)


class Context(CallbackContext[ExtBot, dict, dict, dict]):
    """What every handler gets besides the update (PTB's ``ContextTypes(context=...)``): the
    services, and the caller, read once per update by :func:`load_caller` before any handler
    runs."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self._caller: Caller | None = None

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    @property
    def commands(self) -> Commands:
        return self.application.bot_data[COMMAND_TABLE]

    @property
    def caller(self) -> Caller:
        if self._caller is None:
            raise RuntimeError("no caller: the update names no user, or was not loaded")
        return self._caller

    async def refresh_caller(self, update: Update) -> Caller:
        """Read the caller again: after their consent, language or role changed within this
        update, and where PTB hands over a context of an older update (a flow's timeout)."""
        self._caller = await _read_caller(update, self)
        return self._caller


Handler = Callable[[Update, Context], Awaitable[Any]]
# Handler group of load_caller: before every update's handlers (group 0).
BEFORE_UPDATE = -1


def services(context: Context) -> Services:
    return context.application.bot_data["services"]


async def load_caller(update: object, context: Context) -> None:
    """Handler group -1: the participant, language and roles of the update's user, read once
    for all the handlers that follow."""
    if isinstance(update, Update) and update.effective_user is not None:
        try:
            await context.refresh_caller(update)
        except Exception as exc:
            # No handler can answer without knowing who asks: the error handler apologises
            # once, and the update goes no further (PTB would run the next group anyway).
            await context.application.process_error(update, exc)
            raise ApplicationHandlerStop from exc


async def _read_caller(update: Update, context: Context) -> Caller:
    user = update.effective_user
    svc = services(context)
    participant = await signup.participant(svc.db, user.id)
    if participant is not None:
        lang = participant.language
    else:
        # Not registered yet: a language picked before consent (kept until consent, or
        # forgotten like a flow when idle; see bot/app.py KEPT_ENTRIES).
        lang = context.user_data.get(LANG, svc.settings.municipality.language)
    if lang not in LANGUAGES:
        lang = svc.settings.municipality.language
    access = await access_of(svc, user.id)
    return Caller(user.id, user.first_name or "", participant, lang, access)


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def private_only(handler: Handler) -> Handler:
    """In a group, answer with a button into the private chat instead: nobody's sign-up or
    report should be visible to the group."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context) -> Any:
        if is_private(update):
            return await handler(update, context)
        lang = services(context).settings.municipality.language
        if update.callback_query is not None:
            # Buttons of private flows mean nothing in a group (old or forged data).
            await answer(update.callback_query, plain(lang, "button_expired"))
            return None
        button = InlineKeyboardButton(
            plain(lang, "open_private_button"), url=f"{context.bot.link}?start=from_group"
        )
        await update.effective_message.reply_text(
            t(lang, "group_private_only"), reply_markup=InlineKeyboardMarkup([[button]])
        )
        return None

    return wrapper


def private_or_team_chat(handler: Handler) -> Handler:
    """Like :func:`private_only`, but the coordinators' team chat (at its current id) is let
    through too: it is where tips are handled together."""
    elsewhere = private_only(handler)

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context) -> Any:
        if await in_team_chat(update, context):
            return await handler(update, context)
        return await elsewhere(update, context)

    return wrapper


async def in_team_chat(update: Update, context: Context) -> bool:
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return False
    team_chat = await groups.coordinator_chat_id(services(context))
    return bool(team_chat) and chat.id == team_chat


def requires(*roles: Role, action: str | None = None) -> Callable[[Handler], Handler]:
    """Only users holding one of ``roles`` get through. Everyone else gets a short refusal,
    the refusal is written to the audit log (as ``action``, by default the handler's name),
    and nothing else happens."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: Context) -> Any:
            if update.effective_user is not None and context.caller.access.has(*roles):
                return await handler(update, context)
            name = action or handler.__name__.removesuffix("_command")
            chat = update.effective_chat.id if update.effective_chat else None
            await refuse(update, context, name, str(chat), "not_allowed")
            return ConversationHandler.END

        return wrapper

    return decorate


async def refuse(
    update: Update,
    context: Context,
    action: str,
    target: str,
    key: str,
    **values: Any,
) -> None:
    """Say no, and write the refusal to the audit log; nothing else changes."""
    user = update.effective_user
    await auditlog.refused(services(context).db, user.id if user else None, action, target)
    log.info("refused %s: %s", action, key)
    if user is None:
        return
    caller = context.caller
    if update.callback_query is not None:
        await answer(update.callback_query, caller.plain(key).format(**values))
    else:
        await reply(update, caller.t(key, **values))


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    """Answer in the chat the update came from (a message or a button press)."""
    await update.effective_chat.send_message(text, **kwargs)


async def confirm(update: Update, text: str, **kwargs: Any) -> bool:
    """Tell the user what was done, after it is committed. Telegram failing here must not
    turn a decision that stands into "something went wrong" (someone would do it again), so
    a failure is logged and the handler ends normally; whatever someone relies on receiving
    goes through the outbox anyway."""
    try:
        await reply(update, text, **kwargs)
    except TelegramError as exc:
        log.warning("answer after a committed change not sent: %s", _reason(exc))
        return False
    return True


async def answer(query: CallbackQuery, text: str | None = None) -> bool:
    """Answer a button press (stop its spinner, or show ``text``). Telegram forgets a query
    after some seconds and the network can fail: neither may stop the work the press asked
    for, so a failure is logged and the handler carries on."""
    try:
        await query.answer(text)
    except TelegramError as exc:
        log.info("button press not answered: %s", _reason(exc))
        return False
    return True


def _reason(exc: TelegramError) -> str:
    # Telegram's descriptions and our transport's messages name no user or chat.
    return f"{type(exc).__name__}: {exc.message}"[:300]


_HARMLESS_EDIT_ERRORS = (
    "message is not modified",
    "message to edit not found",
    "message can't be edited",
)
_TAG = re.compile(r"<[^>]+>")


def shows_already(message: object, text: str | None, markup: InlineKeyboardMarkup | None) -> bool:
    """Whether ``message`` (the pressed one, as the update carries it) already has this text
    (our HTML, compared as the plain text Telegram keeps) and these buttons."""
    if not isinstance(message, Message):
        return False
    if markup != message.reply_markup:
        return False
    if text is None:
        return True
    shown = message.text if message.text is not None else message.caption
    return shown is not None and html.unescape(_TAG.sub("", text)).strip() == shown.strip()


async def edit_pressed(
    query: CallbackQuery,
    text: str | None = None,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    **kwargs: Any,
) -> bool:
    """Change the message whose button was pressed (its text, or only its buttons; without
    ``reply_markup`` the buttons go). Nothing is sent when the message already looks like
    this: Telegram refuses an edit into the same content. The edit is only a courtesy to the
    person who pressed, so a failure is logged, never raised; an old or forged press can point
    at a message that is gone, which is not worth an apology either."""
    if shows_already(query.message, text, reply_markup):
        return False
    if not isinstance(query.message, Message):
        return False  # inaccessible (deleted, or too old): nothing to edit
    try:
        if text is None:
            await query.edit_message_reply_markup(reply_markup=reply_markup, **kwargs)
        else:
            await query.edit_message_text(text, reply_markup=reply_markup, **kwargs)
    except BadRequest as exc:
        if any(part in exc.message.lower() for part in _HARMLESS_EDIT_ERRORS):
            log.info("edit after a button press skipped: %s", exc.message)
        else:
            log.warning("edit after a button press refused: %s", _reason(exc))
        return False
    except TelegramError as exc:
        log.warning("edit after a button press failed: %s", _reason(exc))
        return False
    return True


async def on_error(update: object, context: Context) -> None:
    """Log every unexpected failure for the operator and give the user a short apology."""
    log.error("error while handling %s", _describe(update), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        lang = services(context).settings.municipality.language
        if update.effective_user is not None:
            # PTB gives the error handler a context of its own: the caller is read anew.
            lang = (await context.refresh_caller(update)).lang
        if update.callback_query is not None:
            # The handler may have answered the press already; then this one fails quietly.
            await answer(update.callback_query)
        await update.effective_chat.send_message(t(lang, "error"))
    except Exception:
        log.exception("could not tell the user about the error")


def _describe(update: object) -> str:
    if isinstance(update, Update):
        kind = "callback" if update.callback_query else "message"
        # A keyed hash, not the id: a log line next to "tip received" must not name the
        # anonymous reporter, yet two failures in one chat should be seen as such.
        chat = pseudonym(update.effective_chat.id) if update.effective_chat else "-"
        return f"update {update.update_id} ({kind}, chat {chat})"
    # Not its repr: an update that PTB could not parse still carries names and ids.
    return f"a {type(update).__name__}"
