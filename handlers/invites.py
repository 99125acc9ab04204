"""Redeeming an invite: `/start inv_CODE` (deep link) or `/redeem CODE`. A role needs a
registered participant, so someone new gives consent first."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import admin
from handlers import keyboards
from handlers.common import Caller, caller_of, edit_pressed, private_only, reply, services
from handlers.menus import set_menu_for
from handlers.start import consent_text, record_consent

INVITE_LINK = "inv_"
CONSENT_INVITE = "consentinv"  # "consentinv:CODE": consent, then redeem the invite
CODE_MAX = 40  # generated codes are 16 characters; callback data allows 64 bytes


@private_only
async def start_with_invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    caller = await caller_of(update, context)
    await redeem_code(update, context, caller, context.args[0][len(INVITE_LINK) :])


@private_only
async def redeem(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    caller = await caller_of(update, context)
    if len(context.args) != 1:
        await reply(update, caller.t("redeem_usage"))
        return
    await redeem_code(update, context, caller, context.args[0])


async def redeem_code(
    update: Update, context: ContextTypes.DEFAULT_TYPE, caller: Caller, code: str
) -> None:
    code = code[:CODE_MAX]
    if caller.participant is None:
        markup = keyboards.consent_then(caller.lang, f"{CONSENT_INVITE}:{code}")
        await reply(update, consent_text(context, caller), reply_markup=markup)
        return
    outcome = await admin.redeem(services(context).db, caller.user_id, code)
    await reply(update, caller.t(outcome.key, **outcome.values))
    if outcome.ok:
        await set_menu_for(context.application, caller.user_id)


@private_only
async def on_consent_invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    caller = await caller_of(update, context)
    await query.answer()
    await edit_pressed(query, reply_markup=None)
    if caller.participant is None:
        caller = await record_consent(update, context, caller)
    await redeem_code(update, context, caller, query.data.partition(":")[2])
