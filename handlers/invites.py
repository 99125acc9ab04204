"""Redeeming an invite: `/start inv_CODE` (deep link) or `/redeem CODE`. A role needs a
registered participant, so someone new gives consent first."""

from __future__ import annotations

from telegram import Update

from bot import admin, guessing
from bot.signup import Consent
from handlers import keyboards
from handlers.callbacks import ConsentInvite
from handlers.common import (
    Caller,
    Context,
    answer,
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


async def start_with_invite(update: Update, context: Context) -> None:
    caller = context.caller
    await redeem_code(update, context, caller, context.args[0][len(INVITE_LINK) :])


async def redeem(update: Update, context: Context) -> None:
    caller = context.caller
    if len(context.args) != 1:
        await reply(update, caller.t("redeem_usage"))
        return
    await redeem_code(update, context, caller, context.args[0])


async def redeem_code(
    update: Update,
    context: Context,
    caller: Caller,
    code: str,
    *,
    consent: Consent | None = None,
) -> None:
    code = code[:CODE_MAX]
    if caller.access.banned:
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
        # The new role counts from here on, also for the rest of this update.
        await context.refresh_caller(update)
        await set_menu_for(context.application, caller.user_id)


@private_only
async def on_consent_invite(update: Update, context: Context) -> None:
    """Consent and the invite's role in one transaction, before the press is answered."""
    caller = context.caller
    consent = consent_of(caller) if caller.participant is None else None
    pressed = ConsentInvite.parse(update.callback_query.data)
    code = pressed.code if pressed else ""
    await redeem_code(update, context, caller, code, consent=consent)
