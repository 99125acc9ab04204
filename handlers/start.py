"""/start with its deep links, and the consent button."""

from __future__ import annotations

from telegram import Update

from bot import admin, retention, signup
from bot.signup import Consent
from bot.texts import LANGUAGES
from handlers import callbacks, keyboards
from handlers.common import (
    LANG,
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
from storage.areas import Area

AREA_LINK = "area_"


async def start(update: Update, context: Context) -> None:
    """Welcome, emergency and privacy notice with a consent button; ``area_CODE`` deep links
    (QR codes on grannsamverkan signs) join that area once consent is given."""
    caller = context.caller
    if await refused_as_banned(update, context, "start"):
        return
    payload = context.args[0] if context.args else ""
    area_code = payload[len(AREA_LINK) :].lower() if payload.startswith(AREA_LINK) else None
    lookup = None
    if area_code is not None:
        lookup = await signup.find_area(services(context).db, area_code)
        area_code = lookup.area.code if lookup.area else None

    if caller.participant is None:
        await ask_consent(update, context, caller, area_code)
        return

    db = services(context).db
    if not caller.participant.active:
        # They had blocked the bot; writing to it again makes them reachable again.
        await signup.reactivate(db, caller.user_id)
    joined = None
    if lookup is not None and lookup.area is not None:
        joined = await signup.join(db, caller.user_id, lookup.area)
    areas = await signup.areas_of(db, caller.user_id)
    names = ", ".join(a.name for a in areas) if areas else caller.plain("me_none")
    welcome = caller.t("welcome_back", name=caller.first_name, areas=names)
    keyboard = keyboards.residents_keyboard(update, context)
    await confirm(update, f"{welcome}\n\n{caller.t('emergency')}", reply_markup=keyboard)
    if joined is not None:
        await confirm_joined(update, context, caller, lookup.area, joined)
    elif not areas:
        await offer_areas(update, context, caller)


async def refused_as_banned(update: Update, context: Context, action: str) -> bool:
    """A banned user, registered or not (or erased since), gets a short neutral refusal,
    audited like any other, and nothing is stored about them."""
    if not context.caller.access.banned:
        return False
    await refuse(update, context, action, str(update.effective_chat.id), admin.BANNED)
    return True


def consent_text(context: Context, caller: Caller) -> str:
    """Welcome, what to do in an emergency, and what is stored and why."""
    settings = services(context).settings
    municipality = settings.municipality.name
    return "\n\n".join(
        (
            caller.t("welcome", name=caller.first_name, municipality=municipality),
            caller.t("emergency"),
            caller.t("privacy", municipality=municipality, **retention.periods(settings)),
            caller.t("privacy_bans"),
        )
    )


async def ask_consent(
    update: Update, context: Context, caller: Caller, area_code: str | None
) -> None:
    offer = language_to_offer(update, context, caller)
    markup = keyboards.consent(caller.lang, area_code, offer=offer)
    await reply(update, consent_text(context, caller), reply_markup=markup)


def language_to_offer(update: Update, context: Context, caller: Caller) -> str | None:
    """The language Telegram says the user has, when we have it, it is not the
    municipality's, and the consent is about to be shown in another one; a button then
    shows it in theirs."""
    user = update.effective_user
    code = (user.language_code or "") if user is not None else ""
    # Telegram sends IETF tags such as "en" or "en-GB"; our texts go by the first part.
    wanted = code.split("-")[0].lower()
    usual = services(context).settings.municipality.language
    if wanted in LANGUAGES and wanted not in (usual, caller.lang):
        return wanted
    return None


@private_only
async def on_consent_language(update: Update, context: Context) -> None:
    """The consent again, in the language offered above it. Nothing is stored but the
    choice, kept like one made with /language before consent."""
    query = update.callback_query
    pressed = callbacks.ConsentLanguage.parse(query.data)
    await answer(query)
    if pressed is None or pressed.language not in LANGUAGES:
        return
    if context.caller.participant is None:
        context.user_data[LANG] = pressed.language
    caller = await context.refresh_caller(update)
    if caller.participant is not None:
        # Consent was given meanwhile (an old prompt): nothing left to show in another language.
        await edit_pressed(query, reply_markup=None)
        return
    markup = keyboards.consent(caller.lang, pressed.area_code)
    await edit_pressed(query, consent_text(context, caller), reply_markup=markup)


@private_only
async def on_consent(update: Update, context: Context) -> None:
    """Consent (and the area of a sign's deep link) is stored before the press is answered."""
    query = update.callback_query
    if await refused_as_banned(update, context, "consent"):
        await edit_pressed(query, reply_markup=None)
        return
    caller = context.caller
    db = services(context).db
    pressed = callbacks.Consent.parse(query.data)
    area_code = pressed.area_code if pressed else None
    area = (await signup.find_area(db, area_code)).area if area_code else None
    new = caller.participant is None
    joined = False
    if new:
        joined = await signup.register(db, caller.user_id, consent_of(caller), area)
        # From now on the language is the participant's; the one kept for signing up goes.
        context.user_data.pop(LANG, None)
    elif area is not None:
        joined = await signup.join(db, caller.user_id, area)
    await answer(query)
    await edit_pressed(query, reply_markup=None)
    if new:
        # A participant now: their language is the one stored with the consent, and the
        # residents' keyboard is theirs from this first answer on.
        caller = await context.refresh_caller(update)
        await confirm(
            update,
            caller.t("consent_thanks", name=caller.first_name),
            reply_markup=keyboards.residents_keyboard(update, context),
        )
    else:
        await confirm(update, caller.t("consent_already"))
    if area_code and area is None:
        await confirm(update, caller.t("unknown_area"))
    elif area is not None:
        await confirm_joined(update, context, caller, area, joined)
    elif not await signup.areas_of(db, caller.user_id):
        await offer_areas(update, context, caller)


def consent_of(caller: Caller) -> Consent:
    return Consent(caller.first_name, caller.lang)


async def offer_areas(update: Update, context: Context, caller: Caller) -> None:
    areas = await signup.all_areas(services(context).db)
    if not areas:
        await reply(update, caller.t("no_areas"))
        return
    page = keyboards.area_choice(caller.lang, areas)
    await reply(update, page.text, reply_markup=page.markup)


async def join_and_confirm(
    update: Update, context: Context, caller: Caller, area_code: str
) -> None:
    db = services(context).db
    lookup = await signup.find_area(db, area_code)
    if lookup.area is None:
        await reply(update, caller.t("unknown_area"))
        return
    joined = await signup.join(db, caller.user_id, lookup.area)
    await confirm_joined(update, context, caller, lookup.area, joined)


async def confirm_joined(
    update: Update, context: Context, caller: Caller, area: Area, joined: bool
) -> None:
    """Joined (or already a member); with the first area, in the same message, what happens
    next: where alerts arrive, how to report, how to leave."""
    text = caller.t("joined" if joined else "already_member", area=area.name)
    if joined and len(await signup.areas_of(services(context).db, caller.user_id)) == 1:
        text = f"{text}\n\n{caller.t('next_steps')}"
    await confirm(update, text, reply_markup=keyboards.residents_keyboard(update, context))
