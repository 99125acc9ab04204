"""The coordinator's commands: /area, /invite, /revoke, /ban, /unban, /audit, /qr, and the
area contact's /members. Anyone may /redeem an invite."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot import admin, area_codes, auditlog, signup
from bot.roles import Role
from bot.texts import Safe, plain, t
from handlers import keyboards
from handlers.callbacks import RemoveArea, RemoveAreaPage, RemoveAreaPick
from handlers.common import (
    Caller,
    Context,
    answer,
    confirm,
    edit_pressed,
    private_only,
    refuse,
    reply,
    requires,
    services,
)
from handlers.menus import set_menu_for
from storage.areas import Area


async def _area_arg(update: Update, context, caller: Caller, code: str) -> Area | None:
    lookup = await signup.find_area(services(context).db, code)
    if lookup.postcode is not None:
        await reply(update, caller.t("unknown_area"))
        return None
    if lookup.area is None:
        await reply(update, caller.t(lookup.problem, **lookup.values))
    return lookup.area


async def _answer(update: Update, caller: Caller, outcome: admin.Outcome) -> None:
    await confirm(update, caller.t(outcome.key, **outcome.values))


async def area(update: Update, context: Context) -> None:
    caller = context.caller
    db = services(context).db
    # The name keeps its spaces and case, so split the original text, not context.args.
    parts = update.effective_message.text.split(maxsplit=3)
    action = parts[1].lower() if len(parts) > 1 else ""
    if action == "remove" and len(parts) == 2:
        all_areas = await signup.all_areas(db)
        if not all_areas:
            await reply(update, caller.t("no_areas"))
            return
        chooser = _remove_chooser(caller.lang, all_areas, 1)
        await reply(update, chooser.text, reply_markup=chooser.markup)
        return
    if action not in ("add", "rename", "remove", "postcodes") or len(parts) < 3:
        await reply(update, caller.t("area_usage"))
        return
    code = parts[2]
    rest = parts[3] if len(parts) > 3 else ""
    if action == "add":
        if not rest:
            await reply(update, caller.t("area_usage"))
            return
        await _answer(update, caller, await admin.add_area(db, caller.user_id, code, rest))
        return
    # Only /area remove has nothing after the area, so only there may its name have spaces.
    typed = f"{code} {rest}" if action == "remove" and rest else code
    target = await _area_arg(update, context, caller, typed)
    if target is None:
        return
    if action == "rename":
        if not rest:
            await reply(update, caller.t("area_usage"))
            return
        await _answer(update, caller, await admin.rename_area(db, caller.user_id, target, rest))
    elif action == "postcodes":
        tokens = area_codes.postcode_tokens(rest)
        await _answer(update, caller, await admin.set_postcodes(db, caller.user_id, target, tokens))
    else:
        await _remove_or_ask(update, context, caller, target)


async def _remove_or_ask(
    update: Update,
    context: Context,
    caller: Caller,
    target: Area,
    *,
    always_ask: bool = False,
) -> None:
    """A typed code of an area nobody has joined removes it at once; otherwise the
    coordinator confirms first. A tap in a long list is easily the wrong one, so a tap
    always asks."""
    count = await admin.member_count(services(context).db, target)
    if count == 0 and not always_ask:
        await admin.remove_area(services(context), caller.user_id, target)
        await confirm(update, caller.t("area_removed", name=target.name, count=0))
        return
    await reply(
        update,
        caller.t("area_remove_confirm", name=target.name, count=count),
        reply_markup=_remove_confirm_markup(caller.lang, target),
    )


def _remove_confirm_markup(lang: str, target: Area) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(lang, "area_remove_yes"), callback_data=RemoveArea(target.code).pack()
                ),
                InlineKeyboardButton(
                    plain(lang, "area_remove_no"), callback_data=RemoveArea(RemoveArea.KEEP).pack()
                ),
            ]
        ]
    )


def _remove_chooser(lang: str, areas: list[Area], page: int) -> keyboards.Picker:
    buttons = [
        InlineKeyboardButton(a.name, callback_data=RemoveAreaPick(a.code).pack()) for a in areas
    ]
    return keyboards.picker(lang, t(lang, "area_remove_choose"), buttons, page, RemoveAreaPage)


@private_only
@requires(Role.COORDINATOR)
async def on_remove_pick(update: Update, context: Context) -> None:
    """An area pressed in the /area remove list: asks before removing it."""
    query = update.callback_query
    caller = context.caller
    await answer(query)
    pressed = RemoveAreaPick.parse(query.data)
    target = await _area_arg(update, context, caller, pressed.area_code if pressed else "")
    if target is not None:
        await _remove_or_ask(update, context, caller, target, always_ask=True)


@private_only
@requires(Role.COORDINATOR)
async def on_remove_page(update: Update, context: Context) -> None:
    query = update.callback_query
    caller = context.caller
    await answer(query)
    areas = await signup.all_areas(services(context).db)
    if not areas:
        await edit_pressed(query, caller.t("no_areas"))
        return
    page = keyboards.page_number(query.data)
    await keyboards.show(query, _remove_chooser(caller.lang, areas, page))


@private_only
@requires(Role.COORDINATOR)
async def on_remove_area(update: Update, context: Context) -> None:
    query = update.callback_query
    caller = context.caller
    pressed = RemoveArea.parse(query.data)
    code = pressed.area_code if pressed else ""
    if code == RemoveArea.KEEP:
        await answer(query)
        await edit_pressed(query, caller.t("area_kept"))
        return
    lookup = await signup.find_area(services(context).db, code)
    if lookup.area is None or lookup.postcode is not None:
        # Removed already (a second press), or never there.
        await answer(query, caller.plain("button_expired"))
        await edit_pressed(query, reply_markup=None)
        return
    target = lookup.area
    count = await admin.remove_area(services(context), caller.user_id, target)
    await answer(query)
    await edit_pressed(query, caller.t("area_removed", name=target.name, count=count))


async def invite(update: Update, context: Context) -> None:
    caller = context.caller
    args = [a.lower() for a in context.args]
    target = None
    if args == ["police"]:
        role = "police"
    elif len(args) == 2 and args[0] == "contact":
        role = "contact"
        target = await _area_arg(update, context, caller, args[1])
        if target is None:
            return
    else:
        await reply(update, caller.t("invite_usage"))
        return
    code = await admin.issue_invite(services(context).db, caller.user_id, role, target)
    link = f"{context.bot.link}?start=inv_{code}"
    key = "invite_created_contact" if target else "invite_created_police"
    await confirm(update, caller.t(key, code=code, link=link, area=target.name if target else ""))


def _user_id(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 15 else None


async def revoke(update: Update, context: Context) -> None:
    caller = context.caller
    user_id = _user_id(context.args[0]) if len(context.args) == 1 else None
    if user_id is None:
        await reply(update, caller.t("revoke_usage"))
        return
    removed = await admin.revoke(services(context), caller.user_id, user_id)
    await confirm(update, caller.t("revoked", user_id=user_id, count=removed))
    await set_menu_for(context.application, user_id)


async def ban(update: Update, context: Context) -> None:
    caller = context.caller
    user_id = _user_id(context.args[0]) if context.args else None
    if user_id is None:
        await reply(update, caller.t("ban_usage"))
        return
    reason = " ".join(context.args[1:])[:200] or None
    # Registered or not: a ban by user id also keeps someone out who has not signed up yet.
    await admin.ban(services(context).db, caller.user_id, user_id, reason)
    await confirm(update, caller.t("banned_user", user_id=user_id))
    # A ban outranks any role: a banned coordinator's menu is a resident's from now on.
    await set_menu_for(context.application, user_id)


async def unban(update: Update, context: Context) -> None:
    caller = context.caller
    user_id = _user_id(context.args[0]) if len(context.args) == 1 else None
    if user_id is None:
        await reply(update, caller.t("unban_usage"))
        return
    if await admin.unban(services(context).db, caller.user_id, user_id):
        await confirm(update, caller.t("unbanned_user", user_id=user_id))
        await set_menu_for(context.application, user_id)
    else:
        await reply(update, caller.t("not_banned", user_id=user_id))


async def audit_log(update: Update, context: Context) -> None:
    """``/audit`` pages through the whole log, ``/audit N`` through its newest N entries."""
    caller = context.caller
    latest = _user_id(context.args[0]) if len(context.args) == 1 else None
    if context.args and not latest:
        await reply(update, caller.t("audit_usage"))
        return
    db = services(context).db
    page = await auditlog.page(db, caller.lang, await auditlog.first_view(db, latest))
    if page is None:
        await reply(update, caller.t("audit_empty"))
        return
    await reply(update, Safe(page.text), reply_markup=keyboards.audit_pager(caller.lang, page))


@private_only
@requires(Role.COORDINATOR)
async def on_audit_page(update: Update, context: Context) -> None:
    query = update.callback_query
    caller = context.caller
    await answer(query)
    # Data this bot did not make shows the newest page.
    view = keyboards.audit_view(query.data) or auditlog.View()
    page = await auditlog.page(services(context).db, caller.lang, view)
    if page is None:
        await edit_pressed(query, caller.t("audit_empty"))
        return
    await edit_pressed(
        query, Safe(page.text), reply_markup=keyboards.audit_pager(caller.lang, page)
    )


async def members(update: Update, context: Context) -> None:
    caller = context.caller
    if not context.args:
        await reply(update, caller.t("members_usage"))
        return
    # An area's name may have spaces: "/members östra mark".
    target = await _area_arg(update, context, caller, " ".join(context.args))
    if target is None:
        return
    svc = services(context)
    if not caller.access.may_act_for(target.id):
        await refuse(update, context, "members", target.code, "not_your_area", area=target.name)
        return
    names = await admin.member_names(svc.db, target)
    await reply(
        update,
        caller.t("members_list", area=target.name, count=len(names), names=", ".join(names) or "–"),
    )


async def qr(update: Update, context: Context) -> None:
    caller = context.caller
    if not context.args:
        await reply(update, caller.t("qr_usage"))
        return
    # An area's name may have spaces: "/qr östra mark".
    target = await _area_arg(update, context, caller, " ".join(context.args))
    if target is None:
        return
    link = f"{context.bot.link}?start=area_{target.code}"
    png = admin.qr_png(link, target.name)
    # As a document, not a photo: Telegram would recompress a photo to JPEG.
    await update.effective_message.reply_document(
        InputFile(png, filename=f"grannsamverkan-{target.code}.png"),
        caption=caller.t("qr_caption", area=target.name, link=link),
    )
