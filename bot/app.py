"""Builds the PTB Application and wires every handler: the routing table of the bot."""

from __future__ import annotations

import logging
import warnings

from telegram import (
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot.services import Services
from bot.texts import LANGUAGES
from bot.tgbot import GrannbotBot
from handlers import alerts, areas, groups, keyboards, privacy, profile, start
from handlers.common import on_error

log = logging.getLogger(__name__)

# Commands react to new messages only: editing an old "/leave centrum" must not run it again.
NEW_MESSAGES = filters.UpdateType.MESSAGE
PRIVATE = filters.ChatType.PRIVATE
FLOW_TIMEOUT = 15 * 60  # seconds a half-finished flow is kept before it is dropped

# Our flows keep their state per user and chat, not per message; PTB warns about that choice.
warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)


def command(name: str, callback, extra: filters.BaseFilter | None = None) -> CommandHandler:
    return CommandHandler(name, callback, filters=NEW_MESSAGES & extra if extra else NEW_MESSAGES)


def button(prefix: str, callback) -> CallbackQueryHandler:
    return CallbackQueryHandler(callback, pattern=rf"^{prefix}(:|$)")


def routes() -> list[BaseHandler]:
    """Every route of the bot, in the order PTB tries them (first match wins)."""
    return [
        # Sign-up
        command("start", start.start),
        button(keyboards.CONSENT, start.on_consent),
        command("join", areas.join),
        button(keyboards.JOIN, areas.on_join_button),
        command("leave", areas.leave),
        button(keyboards.LEAVE, areas.on_leave_button),
        button(keyboards.LEAVE_ALL, areas.on_leave_all_button),
        command("areas", areas.areas),
        # Alerts and notices: a guided flow with a preview; /cancel leaves it at any step
        ConversationHandler(
            entry_points=[
                command("alert", alerts.alert_command),
                command("notice", alerts.notice_command),
            ],
            states={
                alerts.CHOOSE: [button(f"{alerts.PREFIX}:(toggle|all|next)", alerts.on_choose)],
                alerts.TYPE: [
                    MessageHandler(NEW_MESSAGES & filters.TEXT & ~filters.COMMAND, alerts.on_text)
                ],
                alerts.CONFIRM: [button(f"{alerts.PREFIX}:send", alerts.on_send)],
            },
            fallbacks=[
                command("cancel", alerts.cancel),
                button(f"{alerts.PREFIX}:cancel", alerts.cancel),
            ],
            conversation_timeout=FLOW_TIMEOUT,
            allow_reentry=True,
            name="alert",
        ),
        command("alerts", alerts.recent),
        # Group chats
        command("linkgroup", groups.linkgroup),
        command("unlinkgroup", groups.unlinkgroup),
        # Data rights
        command("mydata", privacy.mydata),
        command("forget", privacy.forget),
        button(privacy.FORGET, privacy.on_forget_button),
        # Profile and settings
        command("me", profile.me),
        command("language", profile.language),
        command("help", profile.help_command),
        command("cancel", profile.cancel),
        # Fallbacks: must stay last
        MessageHandler(NEW_MESSAGES & PRIVATE & filters.COMMAND, profile.unknown),
        MessageHandler(NEW_MESSAGES & PRIVATE & filters.TEXT, profile.free_text),
        CallbackQueryHandler(profile.stale_button),
    ]


def build_application(services: Services) -> Application:
    telegram = services.settings.telegram
    bot = GrannbotBot(
        token=telegram.token.get_secret_value(),
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            tzinfo=services.settings.municipality.tz,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        request=HTTPXRequest(connection_pool_size=64),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
    )
    application = ApplicationBuilder().bot(bot).build()
    application.bot_data["services"] = services
    application.add_handlers(routes())
    application.add_error_handler(on_error)
    return application


async def set_command_menus(application: Application) -> None:
    """Menus per language; a failure here must not keep the bot from running."""
    default_lang = application.bot_data["services"].settings.municipality.language
    bot = application.bot
    try:
        for lang in (None, *LANGUAGES):
            menu_lang = lang or default_lang
            await bot.set_my_commands(
                profile.bot_commands(menu_lang, profile.RESIDENT_COMMANDS),
                scope=BotCommandScopeAllPrivateChats(),
                language_code=lang,
            )
            await bot.set_my_commands(
                profile.bot_commands(menu_lang, profile.GROUP_COMMANDS),
                scope=BotCommandScopeAllGroupChats(),
                language_code=lang,
            )
    except TelegramError as exc:
        log.warning("could not set the command menus: %s", exc)
