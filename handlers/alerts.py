"""/alert and /notice (guided or one line, always with a preview and a Send button), and
/alerts for residents."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import alerts, area_names, dates, notices, signup
from bot.alerts import Draft, Kind
from bot.persistence import Flow
from bot.roles import Role
from bot.texts import Safe, plain, t
from handlers import keyboards
from handlers.callbacks import (
    AlertAll,
    AlertCancel,
    AlertNext,
    AlertPage,
    AlertSend,
    AlertSuggestion,
    AlertToggle,
    pattern,
)
from handlers.commands import NEW_MESSAGES, button, command
from handlers.common import (
    Caller,
    Context,
    answer,
    confirm,
    edit_pressed,
    refuse,
    reply,
    requires,
    services,
)
from storage.areas import Area

CHOOSE, TYPE, CONFIRM, SUGGEST = range(4)
END = ConversationHandler.END
DRAFT = "alert_draft"
FLOW = "alert"  # the flow's name, kept with its stored steps
PREVIEW_TEXT_MAX = 3000  # the preview adds its own lines; keep it under Telegram's 4096
TIMEOUT = 15 * 60  # seconds a half-written alert is kept


def conversation(entry_points: list[CommandHandler]) -> Flow:
    """Choose the areas, type the text, check the preview and send; /cancel (or the cancel
    button) leaves at any step. Its step and draft survive a restart (bot/persistence.py)."""
    return Flow(
        entry_points=entry_points,
        states={
            CHOOSE: [
                CallbackQueryHandler(
                    on_choose, pattern=pattern(AlertToggle, AlertAll, AlertNext, AlertPage)
                )
            ],
            TYPE: [MessageHandler(NEW_MESSAGES & filters.TEXT & ~filters.COMMAND, on_text)],
            CONFIRM: [button(AlertSend, on_send)],
            SUGGEST: [button(AlertSuggestion, on_suggestion)],
        },
        fallbacks=[command("cancel", cancel), button(AlertCancel, cancel)],
        conversation_timeout=TIMEOUT,
        allow_reentry=True,
        name=FLOW,
        persistent=True,
        draft=DRAFT,
        draft_type=Draft,
    )


async def alert_command(update: Update, context: Context) -> int:
    return await _begin(update, context, notice=False)


async def notice_command(update: Update, context: Context) -> int:
    return await _begin(update, context, notice=True)


async def _begin(update: Update, context: Context, *, notice: bool) -> int:
    caller = context.caller
    svc = services(context)
    access = caller.access
    kind = alerts.kind_for(access, notice=notice)
    context.user_data.pop(DRAFT, None)
    # Split the original text rather than context.args, so the sender's line breaks survive.
    parts = update.effective_message.text.split(maxsplit=2)
    if len(parts) < 2:
        if notice:
            await reply(update, caller.t("notice_usage"))
            return END
        context.user_data[DRAFT] = Draft(kind, caller.user_id, [])
        await _show_chooser(update, context, caller)
        return CHOOSE
    typed = await alerts.typed_areas(svc.db, parts[1])
    text = parts[2] if len(parts) > 2 else ""
    if not (typed.found or typed.suggested or typed.candidates):
        # No area at all in front: what follows the command is the text, kept whole.
        text = update.effective_message.text.split(maxsplit=1)[1]
    draft = Draft(kind, caller.user_id, typed.found, text)
    context.user_data[DRAFT] = draft
    if typed.suggested:
        draft.suggested = typed.suggested
        await _ask_suggestion(update, caller, draft, typed.typed)
        return SUGGEST
    if typed.typed or not typed.found:
        key = "alert_area_ambiguous" if typed.candidates else "alert_unknown_choose"
        shown = ", ".join(typed.typed) or parts[1][:32]
        names = area_names.names(typed.candidates)
        await reply(update, caller.t(key, typed=shown, names=names))
        await _show_chooser(update, context, caller)
        return CHOOSE
    return await _go_on(update, context, caller, draft)


async def _ask_suggestion(update: Update, caller: Caller, draft: Draft, typed: list[str]) -> None:
    names = area_names.names(draft.suggested)
    await reply(
        update,
        caller.t("alert_did_you_mean", typed=", ".join(typed), names=names),
        reply_markup=_suggestion_markup(caller.lang, names),
    )


def _suggestion_markup(lang: str, names: str) -> InlineKeyboardMarkup:
    yes = plain(lang, "alert_did_you_mean_yes_button").format(names=names)
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(yes, callback_data=AlertSuggestion(AlertSuggestion.YES).pack())],
            [
                InlineKeyboardButton(
                    plain(lang, "alert_did_you_mean_no_button"),
                    callback_data=AlertSuggestion(AlertSuggestion.NO).pack(),
                )
            ],
        ]
    )


@requires(Role.POLICE, Role.COORDINATOR, Role.CONTACT)
async def on_suggestion(update: Update, context: Context) -> int:
    """The answer to "did you mean": yes takes the suggested areas and goes on with the text
    kept; no shows the chooser with the areas typed correctly already ticked."""
    query = update.callback_query
    caller = context.caller
    draft: Draft | None = context.user_data.get(DRAFT)
    if draft is None:
        await answer(query, caller.plain("button_expired"))
        return END
    pressed = AlertSuggestion.parse(query.data)
    suggested, draft.suggested = draft.suggested, []
    if pressed is not None and pressed.choice == AlertSuggestion.YES:
        draft.areas = list(dict.fromkeys([*draft.areas, *suggested]))
        return await _pressed_on(update, context, caller, draft)
    await answer(query)
    await edit_pressed(query, reply_markup=None)
    await _show_chooser(update, context, caller)
    return CHOOSE


async def _pressed_on(update: Update, context: Context, caller: Caller, draft: Draft) -> int:
    """A press that ends the choice of areas. A refusal is the press's answer, so the press
    is answered here only when the flow goes on."""
    query = update.callback_query
    if _not_permitted(caller, draft) is None:
        await answer(query)
    await edit_pressed(query, reply_markup=None)
    return await _go_on(update, context, caller, draft)


def _not_permitted(caller: Caller, draft: Draft) -> Area | None:
    """The first area an area contact's notice may not go to."""
    if draft.kind != Kind.NOTICE:
        return None
    return next((a for a in draft.areas if not caller.access.may_act_for(a.id)), None)


async def _go_on(update: Update, context: Context, caller: Caller, draft: Draft) -> int:
    """The areas are chosen: ask for the text, or show the preview when it was typed."""
    area = _not_permitted(caller, draft)
    if area is not None:
        context.user_data.pop(DRAFT, None)
        await refuse(update, context, "notice", area.code, "not_your_area", area=area.name)
        return END
    if not draft.text.strip():
        await reply(update, caller.t("alert_type_text", areas=draft.area_names))
        return TYPE
    return await _preview(update, context, caller, draft)


def _chooser(lang: str, all_areas: list[Area], chosen: list[Area], page: int) -> keyboards.Picker:
    """One page of the areas with the chosen ones ticked; "all", "next" and "cancel" on
    every page. The page travels in the callback data, the choice stays in the draft."""
    chosen_codes = {a.code for a in chosen}
    buttons = [
        InlineKeyboardButton(
            ("✅ " if a.code in chosen_codes else "") + a.name,
            callback_data=AlertToggle(a.code).pack(),
        )
        for a in all_areas
    ]
    page = min(max(page, 1), keyboards.page_count(len(buttons)))
    own = [
        [
            InlineKeyboardButton(
                plain(lang, "alert_all_button"), callback_data=AlertAll(page).pack()
            ),
            InlineKeyboardButton(
                plain(lang, "alert_next_button"), callback_data=AlertNext().pack()
            ),
        ],
        [
            InlineKeyboardButton(
                plain(lang, "alert_cancel_button"), callback_data=AlertCancel().pack()
            )
        ],
    ]
    return keyboards.picker(
        lang, t(lang, "alert_choose_areas"), buttons, page, AlertPage, rows_after=own
    )


async def _show_chooser(update: Update, context: Context, caller: Caller) -> None:
    all_areas = await signup.all_areas(services(context).db)
    chooser = _chooser(caller.lang, all_areas, context.user_data[DRAFT].areas, 1)
    await reply(update, chooser.text, reply_markup=chooser.markup)


@requires(Role.POLICE, Role.COORDINATOR, Role.CONTACT)
async def on_choose(update: Update, context: Context) -> int:
    """Toggle an area, take all, turn the page, or go on to the text."""
    query = update.callback_query
    caller = context.caller
    draft: Draft | None = context.user_data.get(DRAFT)
    if draft is None:
        await answer(query, caller.plain("button_expired"))
        return END
    all_areas = await signup.all_areas(services(context).db)
    if AlertNext.matches(query.data):
        if not draft.areas:
            await answer(query, caller.plain("alert_pick_one"))
            return CHOOSE
        return await _pressed_on(update, context, caller, draft)
    page = keyboards.page_number(query.data)
    toggle = AlertToggle.parse(query.data)
    if AlertAll.matches(query.data):
        draft.areas = [] if len(draft.areas) == len(all_areas) else list(all_areas)
    elif toggle is not None:
        chosen = {a.code for a in draft.areas} ^ {toggle.area_code}
        draft.areas = [a for a in all_areas if a.code in chosen]
        codes = [a.code for a in all_areas]
        # Stay on the page of the area just pressed.
        page = keyboards.page_of(codes.index(toggle.area_code)) if toggle.area_code in codes else 1
    await answer(query)
    await keyboards.show(query, _chooser(caller.lang, all_areas, draft.areas, page))
    return CHOOSE


def _preview_markup(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(lang, "alert_send_button"), callback_data=AlertSend().pack()
                ),
                InlineKeyboardButton(
                    plain(lang, "alert_cancel_button"), callback_data=AlertCancel().pack()
                ),
            ]
        ]
    )


async def on_text(update: Update, context: Context) -> int:
    caller = context.caller
    draft: Draft | None = context.user_data.get(DRAFT)
    if draft is None:
        return END
    draft.text = update.effective_message.text
    return await _preview(update, context, caller, draft)


async def _preview(update: Update, context: Context, caller: Caller, draft: Draft) -> int:
    problem = alerts.text_problem(draft)
    if problem is not None:
        await reply(update, caller.say(problem))
        return TYPE
    people, groups = await alerts.recipient_counts(services(context).db, draft.areas)
    shown = draft.text.strip()
    if len(shown) > PREVIEW_TEXT_MAX:
        shown = shown[:PREVIEW_TEXT_MAX] + " …"
    preview = alerts.render_parts(draft.kind, draft.area_names, shown, caller.lang)
    recipients = alerts.recipients_text(caller.lang, people, groups, draft.areas)
    await reply(
        update,
        caller.t("alert_preview", recipients=Safe(recipients), preview=Safe(preview)),
        reply_markup=_preview_markup(caller.lang),
    )
    return CONFIRM


@requires(Role.POLICE, Role.COORDINATOR, Role.CONTACT)
async def on_send(update: Update, context: Context) -> int:
    """Decide, commit, then talk: the alert is queued before the officer hears a word, so
    that no failure of the answer or the edit can lose it. What the officer hears next is
    the delivery report, one message that the outbox sends and keeps up to date."""
    query = update.callback_query
    caller = context.caller
    svc = services(context)
    draft: Draft | None = context.user_data.get(DRAFT)
    if draft is None:
        await answer(query, caller.plain("button_expired"))
        return END
    alert_id = await alerts.send(svc, draft, update.effective_chat.id)
    context.user_data.pop(DRAFT, None)
    try:
        await answer(query)
        await edit_pressed(query, reply_markup=None)
        if alert_id is None:
            await confirm(update, caller.t("alert_no_recipients"))
    finally:
        # The report (from the outbox) comes after the preview lost its buttons.
        notices.wake(svc)
    return END


async def cancel(update: Update, context: Context) -> int:
    caller = context.caller
    context.user_data.pop(DRAFT, None)
    if update.callback_query is not None:
        await answer(update.callback_query)
        await edit_pressed(update.callback_query, reply_markup=None)
    await reply(update, caller.t("alert_cancelled"))
    return END


async def recent(update: Update, context: Context) -> None:
    """/alerts: the latest alerts and notices to the resident's areas."""
    caller = context.caller
    svc = services(context)
    latest = await alerts.recent_for(svc.db, caller.user_id)
    if not latest:
        await reply(update, caller.t("alerts_none"))
        return
    lines = [caller.t("alerts_header")]
    for alert in latest:
        lines.append(
            caller.t(
                "alerts_item",
                date=dates.moment(alert.created_at, caller.lang, relative=True),
                heading=caller.plain(f"alert_heading_plain_{alert.kind}").format(
                    areas=alert.area_names
                ),
                text=(
                    caller.plain(alert.text_key).format(areas=alert.area_names)
                    if alert.text_key
                    else alert.text[:500]
                ),
            )
        )
    await reply(update, Safe("\n\n".join(lines)))
