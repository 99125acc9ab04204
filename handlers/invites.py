"""Redeeming an invite: `/start inv_CODE` (deep link) or `/redeem CODE`. A role needs a
registered participant, so someone new gives consent first."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import admin, guessing
from bot.roles import is_banned
from bot.signup import Consent
from handlers import keyboards
from handlers.callbacks import ConsentInvite
from handlers.common import (
    Caller,
    answer,
    caller_of,
    confirm,
    edit_pressed,
    private_only,
    refuse,
    reply,
    services,
)
from handlers.menus import set_menu_for
from handlers.start import consent_of, consent_text

INVITE_LINK = "inv_"
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
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    caller: Caller,
    code: str,
    *,
    consent: Consent | None = None,
) -> None:
    code = code[:CODE_MAX]
    if await is_banned(services(context).db, caller.user_id):
        await refuse(update, context, "redeem", str(update.effective_chat.id), admin.BANNED)
        if update.callback_query is not None:
            await edit_pressed(update.callback_query, reply_markup=None)
        return
    if caller.participant is None and consent is None:
        markup = keyboards.consent_then(caller.lang, ConsentInvite(code).pack())
        await reply(update, consent_text(context, caller), reply_markup=markup)
        return
    guesses = guessing.limit_in(context.bot_data, guessing.REDEEM)
    outcome = await admin.redeem(
        services(context), caller.user_id, caller.first_name, code, guesses, consent=consent
    )
    if update.callback_query is not None:
        await answer(update.callback_query)
        await edit_pressed(update.callback_query, reply_markup=None)
    if consent is not None and outcome.key != admin.BANNED:
        await confirm(update, caller.t("consent_thanks", name=caller.first_name))
    await confirm(update, caller.t(outcome.key, **outcome.values))
    if outcome.ok:
        await set_menu_for(context.application, caller.user_id)


@private_only
async def on_consent_invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Consent and the invite's role in one transaction, before the press is answered."""
    caller = await caller_of(update, context)
    consent = consent_of(caller) if caller.participant is None else None
    pressed = ConsentInvite.parse(update.callback_query.data)
    code = pressed.code if pressed else ""
    await redeem_code(update, context, caller, code, consent=consent)
