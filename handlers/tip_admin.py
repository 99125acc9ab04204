"""Tip handling for coordinators and police: /tips, /tipset, the status buttons on each
tip, and the coordinator's /export."""

from __future__ import annotations

from telegram import CallbackQuery, InputFile, Update

from bot import export, tip_card, tip_handling, tip_refs, tips
from bot.roles import Role
from handlers import keyboards
from handlers.callbacks import TipStatus, TipUndo
from handlers.common import (
    Context,
    answer,
    confirm,
    edit_pressed,
    private_or_team_chat,
    reply,
    requires,
    services,
)

LIST_LIMIT = 10  # one message per tip (each with its buttons); more would flood the chat


async def tips_command(update: Update, context: Context) -> None:
    """/tips [open|all] [AREA_CODE] — newest first."""
    caller = context.caller
    svc = services(context)
    args = [a.lower() for a in context.args]
    scope = "open"
    if args and args[0] in ("open", "all", "öppna", "alla"):
        scope = "all" if args.pop(0) in ("all", "alla") else "open"
    # The rest is one area, by code or by a name that may have spaces.
    typed = " ".join(args)
    found = await tip_handling.list_for_handlers(svc.db, scope, typed or None, LIST_LIMIT)
    if found is None:
        await reply(update, caller.t("alert_unknown_areas", codes=typed[:32]))
        return
    listed, total, area = found
    if not listed:
        await reply(update, caller.t(f"tips_none_{scope}"))
        return
    await reply(
        update,
        caller.t(
            f"tips_header_{scope}",
            shown=len(listed),
            total=total,
            area=area.name if area else caller.plain("tips_all_areas"),
        ),
    )
    tz = svc.settings.municipality.tz
    for tip in listed:
        await reply(
            update,
            await tip_card.card_text(svc.db, caller.lang, tip, tz=tz),
            reply_markup=keyboards.status_buttons(caller.lang, tip),
        )


async def tipset(update: Update, context: Context) -> None:
    """/tipset REF STATUS [NOTE]"""
    caller = context.caller
    svc = services(context)
    parts = update.effective_message.text.split(maxsplit=3)
    if len(parts) < 3 or parts[2].lower() not in tips.STATUSES:
        await reply(update, caller.t("tipset_usage", statuses=" ".join(tips.STATUSES)))
        return
    tip = await tip_refs.find_for_staff(svc.db, parts[1])
    if tip is None:
        await reply(update, caller.t("tipstatus_unknown", ref=parts[1][:20]))
        return
    note = parts[3] if len(parts) > 3 else None
    change = await tip_handling.change_status(svc, tip.id, parts[2].lower(), note, caller.user_id)
    if change is None:
        await reply(update, caller.t("tipstatus_unknown", ref=parts[1][:20]))
        return
    await confirm(
        update,
        caller.t(
            "tipset_done",
            ref=change.tip.full_ref,
            status=tips.status_name(caller.lang, change.tip.status),
        ),
    )


@private_or_team_chat
@requires(Role.COORDINATOR, Role.POLICE)
async def on_status_button(update: Update, context: Context) -> None:
    """``tipst:<id>:<status>`` on a tip card, in a private chat or the coordinators' group.
    The change (with its audit row and the reporter's notice) is committed before the press
    is answered and the card redrawn. A card anywhere else (posted there before /tips kept
    to these chats, or forged) changes nothing: redrawing it would show the tip there again."""
    query = update.callback_query
    caller = context.caller
    svc = services(context)
    pressed = TipStatus.parse(query.data)
    if pressed is None or pressed.status not in tips.STATUSES:
        await answer(query, caller.plain("button_expired"))
        return
    status = pressed.status
    change = await tip_handling.change_status(
        svc, pressed.tip_id, status, None, caller.user_id, by_button=True
    )
    if change is None:
        await answer(query, caller.plain("button_expired"))
        return
    await answer(
        query, caller.plain("tip_status_set").format(status=tips.status_name(caller.lang, status))
    )
    # Also after a second press: the card may still show the old status.
    await _redraw(query, context, change)


@private_or_team_chat
@requires(Role.COORDINATOR, Role.POLICE)
async def on_undo_button(update: Update, context: Context) -> None:
    """ "Undo" under a card just changed by button: within the window the status goes back
    and the reporter is told nothing; after it the press says so and nothing changes."""
    query = update.callback_query
    caller = context.caller
    svc = services(context)
    pressed = TipUndo.parse(query.data)
    if pressed is None:
        await answer(query, caller.plain("button_expired"))
        return
    change = await tip_handling.undo(svc, pressed.tip_id, pressed.change_id, caller.user_id)
    if change is None:
        await answer(query, caller.plain("tip_undo_too_late"))
        tip = await tip_handling.tip_for_card(svc.db, pressed.tip_id)
        if tip is not None:
            # Without the undo button, and showing the status that stands.
            await _redraw(query, context, tip_handling.Change(tip, tip.status))
        return
    await answer(
        query,
        caller.plain("tip_undone").format(status=tips.status_name(caller.lang, change.tip.status)),
    )
    await _redraw(query, context, change)


async def _redraw(query: CallbackQuery, context: Context, change: tip_handling.Change) -> None:
    caller = context.caller
    svc = services(context)
    tz = svc.settings.municipality.tz
    await edit_pressed(
        query,
        await tip_card.card_text(svc.db, caller.lang, change.tip, tz=tz),
        reply_markup=keyboards.status_buttons(caller.lang, change.tip, change.undoable),
    )


async def export_command(update: Update, context: Context) -> None:
    """/export tips|participants [FROM [TO]] — a CSV document, dates inclusive, local time."""
    caller = context.caller
    svc = services(context)
    args = [a.lower() for a in context.args]
    what = args[0] if args else ""
    if what not in export.KINDS or len(args) > 3:
        await reply(update, caller.t("export_usage"))
        return
    period = export.parse_period(args[1:], svc.settings.municipality.tz)
    if period is None:
        await reply(update, caller.t("export_bad_dates"))
        return
    document, count = await export.export_csv(svc, what, period, caller.lang, caller.user_id)
    await update.effective_message.reply_document(
        InputFile(document, filename=export.file_name(what, period)),
        caption=caller.t("export_caption", count=count),
    )
