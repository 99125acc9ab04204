"""/me, /language, /help, /cancel and the answer to anything the bot does not understand."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import ContextTypes

from bot import signup, tip_refs
from bot.roles import Role, access_of
from bot.texts import LANGUAGES, plain
from handlers.common import (
    LANG,
    answer,
    caller_of,
    confirm,
    is_private,
    private_only,
    reply,
    services,
)

# Commands shown in menus and /help, per role; each role also sees the ones before it.
RESIDENT_COMMANDS = (
    "start",
    "join",
    "leave",
    "areas",
    "alerts",
    "tip",
    "tipstatus",
    "me",
    "language",
    "help",
    "cancel",
)
GROUP_COMMANDS = ("start", "join", "areas", "help")
ROLE_COMMANDS: dict[Role, tuple[str, ...]] = {
    Role.RESIDENT: RESIDENT_COMMANDS,
    Role.CONTACT: (*RESIDENT_COMMANDS, "notice", "members", "linkgroup", "unlinkgroup"),
    Role.POLICE: (*RESIDENT_COMMANDS, "alert", "tips", "tipset"),
    Role.COORDINATOR: (
        *RESIDENT_COMMANDS,
        "alert",
        "notice",
        "members",
        "linkgroup",
        "unlinkgroup",
        "area",
        "invite",
        "revoke",
        "ban",
        "unban",
        "audit",
        "qr",
        "tips",
        "tipset",
        "export",
        "remind",
        "reminders",
        "unremind",
        "summary",
    ),
}


def commands_for(role: Role) -> tuple[str, ...]:
    return ROLE_COMMANDS.get(role, RESIDENT_COMMANDS)


def bot_commands(lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, plain(lang, f"cmd_{name}")) for name in names]


@private_only
async def me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    caller = await caller_of(update, context)
    if caller.participant is None:
        await reply(update, caller.t("not_registered"))
        return
    svc = services(context)
    access = await access_of(svc, caller.user_id)
    mine = await signup.areas_of(svc.db, caller.user_id)
    names = ", ".join(a.name for a in mine) if mine else caller.plain("me_none")
    # Anonymous tips are not linked to anyone, so only the resident's own named tips show.
    refs = await tip_refs.references_of(svc.db, caller.user_id)
    await reply(
        update,
        caller.t(
            "me",
            name=caller.participant.first_name,
            role=caller.plain(f"role_{access.main_role}"),
            language=caller.plain("language_name"),
            areas=names,
            tips=", ".join(refs) if refs else caller.plain("me_none"),
        ),
    )


@private_only
async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    caller = await caller_of(update, context)
    wanted = context.args[0].lower() if len(context.args) == 1 else ""
    if wanted not in LANGUAGES:
        await reply(update, caller.t("language_usage"))
        return
    if not await signup.set_language(services(context).db, caller.user_id, wanted):
        context.user_data[LANG] = wanted
    await confirm(update, plain(wanted, "language_set"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    caller = await caller_of(update, context)
    access = await access_of(services(context), caller.user_id)
    names = commands_for(access.main_role) if is_private(update) else GROUP_COMMANDS
    lines = [caller.t("help_header")]
    lines += [f"/{name} — {caller.t(f'cmd_{name}')}" for name in names]
    await reply(update, "\n".join(lines))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reached only when no flow is active: flows handle their own /cancel first."""
    caller = await caller_of(update, context)
    await reply(update, caller.t("nothing_to_cancel"))


async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Private chats get a pointer to /help; in groups the bot stays quiet (other bots'
    commands are not ours to answer)."""
    caller = await caller_of(update, context)
    await reply(update, caller.t("unknown_command"))


async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    caller = await caller_of(update, context)
    await reply(update, caller.t("use_commands"))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on a button whose data no handler knows (an old keyboard, or forged data)."""
    caller = await caller_of(update, context)
    await answer(update.callback_query, caller.plain("button_expired"))
