"""/mydata and /forget."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot import privacy
from bot.texts import plain
from handlers.callbacks import Forget
from handlers.common import Context, answer, edit_pressed, private_only, reply, services


async def mydata(update: Update, context: Context) -> None:
    caller = context.caller
    svc = services(context)
    document = await privacy.export(svc.db, caller.user_id, svc.settings.municipality.name)
    caption = caller.t("mydata_caption")
    if await privacy.is_banned(svc.db, caller.user_id):
        caption = f"{caption}\n\n{caller.t('mydata_banned')}"
    await update.effective_message.reply_document(
        InputFile(document, filename="grannbot-mydata.json"), caption=caption
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
        await edit_pressed(query, caller.t("forgotten"))
    else:
        await answer(query)
        await edit_pressed(query, caller.t("forget_kept"))
