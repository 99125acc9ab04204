"""/join, /leave, /areas and their buttons."""

from __future__ import annotations

from telegram import Update

from bot import signup
from bot.texts import Safe
from handlers import keyboards
from handlers.callbacks import Join, Leave, LeaveAll
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
from handlers.start import ask_consent, confirm_joined, join_and_confirm, offer_areas
from storage.areas import Area


async def join(update: Update, context: Context) -> None:
    db = services(context).db
    argument = " ".join(context.args)
    lookup = await signup.find_area(db, argument) if argument else None
    await join_found(update, context, lookup)


async def join_found(update: Update, context: Context, lookup: signup.AreaLookup | None) -> None:
    """Join what /join or a postcode typed alone found; without a lookup, offer the areas.
    Someone who has not consented yet is asked first, the area kept for after."""
    caller = context.caller
    if lookup is not None and lookup.area is None:
        await reply(update, caller.t(lookup.problem, **lookup.values))
        return
    if caller.participant is None:
        await ask_consent(update, context, caller, lookup.area.code if lookup else None)
    elif lookup is None:
        await offer_areas(update, context, caller)
    else:
        await join_and_confirm(update, context, caller, lookup.area.code)


@private_only
async def on_join_button(update: Update, context: Context) -> None:
    query = update.callback_query
    caller = context.caller
    if caller.participant is None:
        await answer(query)
        pressed = Join.parse(query.data)
        await ask_consent(update, context, caller, pressed.area_code if pressed else "")
        return
    area = await _pressed_area(update, context, caller, Join)
    if area is None:
        return
    joined = await signup.join(services(context).db, caller.user_id, area)
    await answer(query)
    await confirm_joined(update, context, caller, area, joined)


async def _pressed_area(
    update: Update, context: Context, caller: Caller, kind: type[Join | Leave]
) -> Area | None:
    """The area named by the pressed button; an unknown one (removed meanwhile, or forged
    data) is answered here and gives None."""
    query = update.callback_query
    pressed = kind.parse(query.data)
    lookup = await signup.find_area(services(context).db, pressed.area_code if pressed else "")
    if lookup.area is None:
        await answer(query)
        await reply(update, caller.t("unknown_area"))
    return lookup.area


@private_only
async def on_join_page(update: Update, context: Context) -> None:
    """Another page of the areas to join."""
    query = update.callback_query
    caller = context.caller
    await answer(query)
    all_areas = await signup.all_areas(services(context).db)
    page = keyboards.page_number(query.data)
    await keyboards.show(query, keyboards.area_choice(caller.lang, all_areas, page))


async def leave(update: Update, context: Context) -> None:
    caller = context.caller
    db = services(context).db
    mine = await signup.areas_of(db, caller.user_id)
    if not mine:
        await reply(update, caller.t("no_memberships"))
        return
    argument = " ".join(context.args)
    if not argument:
        page = keyboards.leave_choice(caller.lang, mine)
        await reply(update, page.text, reply_markup=page.markup)
        return
    lookup = await signup.find_area(db, argument)
    if lookup.area is None:
        await reply(update, caller.t(lookup.problem, **lookup.values))
        return
    left = await signup.leave(db, caller.user_id, lookup.area)
    await confirm(update, caller.t("left" if left else "not_member", area=lookup.area.name))


@private_only
async def on_leave_button(update: Update, context: Context) -> None:
    query = update.callback_query
    caller = context.caller
    area = await _pressed_area(update, context, caller, Leave)
    if area is None:
        return
    left = await signup.leave(services(context).db, caller.user_id, area)
    await answer(query)
    await confirm(update, caller.t("left" if left else "not_member", area=area.name))


@private_only
async def on_leave_page(update: Update, context: Context) -> None:
    """Another page of the resident's own areas."""
    query = update.callback_query
    caller = context.caller
    await answer(query)
    mine = await signup.areas_of(services(context).db, caller.user_id)
    if not mine:
        await edit_pressed(query, caller.t("no_memberships"))
        return
    page = keyboards.page_number(query.data)
    await keyboards.show(query, keyboards.leave_choice(caller.lang, mine, page))


@private_only
async def on_leave_all_button(update: Update, context: Context) -> None:
    """Leaving every area stops all messages, so it is asked once more before it happens."""
    query = update.callback_query
    caller = context.caller
    db = services(context).db
    pressed = LeaveAll.parse(query.data)
    choice = pressed.answer if pressed else None
    if choice == "yes":
        await signup.leave_all(db, caller.user_id)
        await answer(query)
        await edit_pressed(query, caller.t("left_all"))
    elif choice == "no":
        await answer(query)
        await edit_pressed(query, caller.t("leave_all_kept"))
    else:
        await answer(query)
        count = len(await signup.areas_of(db, caller.user_id))
        if count == 0:
            await reply(update, caller.t("no_memberships"))
            return
        await reply(
            update,
            caller.t("leave_all_confirm", count=count),
            reply_markup=keyboards.leave_all_confirm(caller.lang),
        )


async def areas(update: Update, context: Context) -> None:
    caller = context.caller
    svc = services(context)
    all_areas = await signup.all_areas(svc.db)
    if not all_areas:
        await reply(update, caller.t("no_areas"))
        return
    lines = [caller.t("areas_header", municipality=svc.settings.municipality.name)]
    lines += [caller.t("areas_item", name=a.name, code=a.code) for a in all_areas]
    await reply(update, Safe("\n".join(lines)))
