"""/mydata and /forget."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardRemove,
    Update,
)

from bot import dates, privacy
from bot.texts import plain
from handlers.callbacks import Forget
from handlers.common import (
    Caller,
    Context,
    answer,
    confirm,
    edit_pressed,
    private_only,
    reply,
    services,
)


async def mydata(update: Update, context: Context) -> None:
    """First in words what we hold, then everything as a JSON file for whoever wants it."""
    caller = context.caller
    svc = services(context)
    found = await privacy.overview(svc.db, caller.access)
    await reply(update, overview_text(caller, found))
    document = await privacy.export(svc.db, caller.user_id, svc.settings.municipality.name)
    caption = caller.t("mydata_caption")
    if await privacy.is_banned(svc.db, caller.user_id):
        caption = f"{caption}\n\n{caller.t('mydata_banned')}"
    await update.effective_message.reply_document(
        InputFile(document, filename="grannbot-mydata.json"), caption=caption
    )


def overview_text(caller: Caller, found: privacy.Overview | None) -> str:
    if found is None:
        return caller.t("mydata_nothing")
    none = caller.plain("me_none")
    roles = [
        caller.t("mydata_role_in", role=caller.plain(f"role_{role}"), area=area)
        if area
        else caller.plain(f"role_{role}")
        for role, area in found.roles
    ]
    return caller.t(
        "mydata_summary",
        name=found.first_name,
        language=caller.plain("language_name"),
        areas=", ".join(found.areas) or none,
        roles=", ".join(roles) or caller.plain("role_resident"),
        tips=", ".join(found.tips) or none,
        consent=dates.day(found.consent_at, caller.lang),
    )


async def forget(update: Update, context: Context) -> None:
    caller = context.caller
    if caller.participant is None:
        await reply(update, caller.t("not_registered"))
        return
    await reply(update, caller.t("forget_confirm"), reply_markup=forget_confirm(caller.lang))


def forget_confirm(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(plain(lang, "forget_yes"), callback_data=Forget("yes").pack()),
                InlineKeyboardButton(plain(lang, "forget_no"), callback_data=Forget("no").pack()),
            ]
        ]
    )


@private_only
async def on_forget_button(update: Update, context: Context) -> None:
    query = update.callback_query
    caller = context.caller
    if Forget.parse(query.data) == Forget("yes"):
        await privacy.erase_person(services(context).db, caller.user_id)
        context.user_data.clear()
        await answer(query)
        # A new message, not an edit: only a message can take the residents' keyboard away.
        await confirm(update, caller.t("forgotten"), reply_markup=ReplyKeyboardRemove())
        await edit_pressed(query, reply_markup=None)
    else:
        await answer(query)
        await edit_pressed(query, caller.t("forget_kept"))
