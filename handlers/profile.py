"""/me, /language, /help, /cancel and the answer to anything the bot does not understand."""

from __future__ import annotations

from telegram import Update

from bot import signup, tip_refs
from bot.texts import LANGUAGES
from handlers.common import (
    LANG,
    Context,
    answer,
    confirm,
    is_private,
    reply,
    services,
)
from handlers.keyboards import residents_keyboard


async def me(update: Update, context: Context) -> None:
    """The resident's areas first (it is what the keyboard's "Mina områden" opens), with how
    to join more or leave one, then the rest of what they are to the bot."""
    caller = context.caller
    if caller.participant is None:
        await reply(update, caller.t("not_registered"))
        return
    svc = services(context)
    access = caller.access
    mine = await signup.areas_of(svc.db, caller.user_id)
    names = ", ".join(a.name for a in mine) if mine else caller.plain("me_none")
    # Anonymous tips are not linked to anyone, so only the resident's own named tips show.
    refs = await tip_refs.references_of(svc.db, caller.user_id)
    details = caller.t(
        "me",
        name=caller.participant.first_name,
        role=caller.plain(f"role_{access.main_role}"),
        language=caller.plain("language_name"),
        areas=names,
        tips=", ".join(refs) if refs else caller.plain("me_none"),
    )
    hint = caller.t("me_areas_hint" if mine else "me_no_areas_hint")
    await reply(update, f"{details}\n\n{hint}", reply_markup=residents_keyboard(update, context))


async def language(update: Update, context: Context) -> None:
    caller = context.caller
    wanted = context.args[0].lower() if len(context.args) == 1 else ""
    if wanted not in LANGUAGES:
        await reply(update, caller.t("language_usage"))
        return
    if not await signup.set_language(services(context).db, caller.user_id, wanted):
        context.user_data[LANG] = wanted
    caller = await context.refresh_caller(update)
    await confirm(update, caller.plain("language_set"))


async def help_command(update: Update, context: Context) -> None:
    """The caller's commands under the names of their language (the other names work too),
    and, in a private chat, the residents' keyboard."""
    caller = context.caller
    listed = context.commands.menu(caller.access.main_role, private=is_private(update))
    lines = [caller.t("help_header")]
    lines += [f"/{command.name_in(caller.lang)} — {caller.t(command.help)}" for command in listed]
    lines += ["", caller.t("help_other_names")]
    await reply(update, "\n".join(lines), reply_markup=residents_keyboard(update, context))


async def cancel(update: Update, context: Context) -> None:
    """Reached only when no flow is active: flows handle their own /cancel first."""
    caller = context.caller
    await reply(update, caller.t("nothing_to_cancel"))


async def unknown(update: Update, context: Context) -> None:
    """Private chats get a pointer to /help; in groups the bot stays quiet (other bots'
    commands are not ours to answer)."""
    caller = context.caller
    await reply(update, caller.t("unknown_command"))


async def stale_button(update: Update, context: Context) -> None:
    """A press on a button whose data no handler knows (an old keyboard, or forged data)."""
    caller = context.caller
    await answer(update.callback_query, caller.plain("button_expired"))
