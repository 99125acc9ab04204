"""Command menus per role and language: residents never see admin commands."""

from __future__ import annotations

import logging

from telegram import (
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError
from telegram.ext import Application

from bot.roles import Role, access_of, privileged_users
from bot.texts import LANGUAGES, plain
from handlers.commands import bot_commands, table_of

log = logging.getLogger(__name__)


async def set_all_menus(application: Application) -> None:
    """Default menus for private and group chats, then one per privileged user. A failure
    here is logged and the bot runs on: menus are a convenience, not a function."""
    services = application.bot_data["services"]
    default_lang = services.settings.municipality.language
    commands = table_of(application)
    try:
        for lang in (None, *LANGUAGES):
            menu_lang = lang or default_lang
            await application.bot.set_my_commands(
                bot_commands(menu_lang, commands.menu(Role.RESIDENT)),
                scope=BotCommandScopeAllPrivateChats(),
                language_code=lang,
            )
            await application.bot.set_my_commands(
                bot_commands(menu_lang, commands.menu(Role.RESIDENT, private=False)),
                scope=BotCommandScopeAllGroupChats(),
                language_code=lang,
            )
    except TelegramError as exc:
        log.warning("could not set the command menus: %s", exc)
        return
    settings = services.settings
    users = {*settings.roles.coordinators, *settings.roles.police}
    users.update(await privileged_users(services))
    for user_id in sorted(users):
        await set_menu_for(application, user_id)


async def set_descriptions(application: Application) -> None:
    """What Telegram shows in the empty chat before START (a resident who scanned a sign
    sees it first) and on the bot's profile, per language; without a language code, the
    municipality's. A failure is logged and the bot runs on, as for the menus."""
    services = application.bot_data["services"]
    default_lang = services.settings.municipality.language
    municipality = services.settings.municipality.name
    bot = application.bot
    try:
        for lang in (None, *LANGUAGES):
            text_lang = lang or default_lang
            await bot.set_my_description(
                plain(text_lang, "bot_description").format(municipality=municipality),
                language_code=lang,
            )
            await bot.set_my_short_description(
                plain(text_lang, "bot_short_description").format(municipality=municipality),
                language_code=lang,
            )
    except TelegramError as exc:
        log.warning("could not set the bot's description: %s", exc)


async def set_menu_for(application: Application, user_id: int) -> None:
    """The menu of one user's private chat, after their role changed."""
    services = application.bot_data["services"]
    default_lang = services.settings.municipality.language
    role = (await access_of(services, user_id)).main_role
    scope = BotCommandScopeChat(user_id)
    try:
        for lang in (None, *LANGUAGES):
            if role == Role.RESIDENT:
                await application.bot.delete_my_commands(scope=scope, language_code=lang)
            else:
                await application.bot.set_my_commands(
                    bot_commands(lang or default_lang, table_of(application).menu(role)),
                    scope=scope,
                    language_code=lang,
                )
    except TelegramError as exc:
        # A user who never opened the chat cannot get a chat menu yet; that is fine.
        log.info("a personal command menu was not set: %s", exc)
