"""/tip for residents: the guided flow (category → area → when → description → photo or
location → contact → summary → Send), the one-line form, free text offered as a tip, and
/tipstatus.

Long because the flow has nine steps: one callback per step, in the order a resident meets
them, reads better here than spread over modules."""

from __future__ import annotations

from datetime import timedelta

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import dates, guessing, signup, tip_card, tip_refs, tips
from bot.persistence import Flow
from bot.texts import Safe
from handlers import areas, keyboards
from handlers.callbacks import (
    CallbackData,
    TipAnyway,
    TipArea,
    TipBack,
    TipCancel,
    TipCategory,
    TipContact,
    TipDate,
    TipNext,
    TipOffer,
    TipPage,
    TipSend,
    TipWhen,
)
from handlers.commands import NEW_MESSAGES, button, command
from handlers.common import (
    Caller,
    Context,
    Handler,
    answer,
    confirm,
    edit_pressed,
    reply,
    services,
)

CATEGORY, AREA, WHEN, DATE, DESCRIBE, ATTACH, CONTACT, PHONE, CONFIRM, URGENT, OFFER = range(11)
END = ConversationHandler.END
DRAFT = "tip_draft"
LIMIT = "tip_limit"
# Seconds a half-written tip is kept. Read when the routes are built, so a test can shorten it.
TIMEOUT: float = 15 * 60
DATE_BUTTONS = 5  # buttons for the days before yesterday; any other date can be typed


def _limit(context: Context) -> tips.HourlyLimit:
    limit = context.bot_data.get(LIMIT)
    if limit is None:
        limit = context.bot_data[LIMIT] = tips.HourlyLimit(
            services(context).settings.tips.max_per_hour
        )
    return limit


def _button(label: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data.pack())


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _nav(caller: Caller, *, back: bool = True) -> list[InlineKeyboardButton]:
    row = [_button(caller.plain("tip_back_button"), TipBack())] if back else []
    return [*row, _button(caller.plain("tip_cancel_button"), TipCancel())]


# ------------------------------------------------------------------ entry


async def tip_command(update: Update, context: Context) -> int:
    caller = context.caller
    svc = services(context)
    context.user_data.pop(DRAFT, None)
    refusal = await tips.may_report(svc, _limit(context), caller.user_id, caller.participant)
    if refusal is not None:
        await reply(update, caller.say(refusal))
        return END
    parts = update.effective_message.text.split(maxsplit=1)
    # Without args (the keyboard's "Lämna tips" has none) the text is no one-line tip.
    if context.args and len(parts) == 2:
        return await _one_line(update, context, caller, parts[1])
    draft = tips.Draft(areas=await tips.areas_of(svc.db, caller.user_id))
    if len(draft.areas) == 1:
        draft.area = draft.areas[0]
    context.user_data[DRAFT] = draft
    await reply(update, caller.t("emergency"))
    return await _show(update, context, caller, draft, CATEGORY)


async def _one_line(update: Update, context: Context, caller: Caller, argument: str) -> int:
    """``/tip [anonym] CATEGORY TEXT``: stored at once, answered with the reference."""
    svc = services(context)
    parsed = tips.parse_one_line(argument)
    if parsed.category is None:
        await reply(update, caller.t("tip_unknown_category", categories=_category_list(caller)))
        return END
    area, text, _ = await tips.area_for_one_line(svc.db, caller.user_id, parsed.text)
    problem = tips.description_problem(text)
    if problem is not None:
        usage = caller.t("tip_one_line_usage")
        await reply(update, caller.say(problem) + "\n" + usage)
        return END
    draft = tips.Draft(
        category=parsed.category,
        area=area,
        description=text,
        contact="anonymous" if parsed.anonymous else "telegram",
    )
    # The limit and ban were checked a moment ago in tip_command.
    return await _submit(update, context, caller, draft, checked=True)


def _category_list(caller: Caller) -> str:
    return ", ".join(
        f"{code} ({tips.category_name(caller.lang, code)})" for code in tips.CATEGORIES
    )


# ------------------------------------------------------------------ free text


async def on_free_text(update: Update, context: Context) -> None:
    """Text typed in the private chat that no flow and no command took (this route comes
    last). Nothing is thrown away: a postcode joins its area, anything else from a resident
    is offered as a tip, the text kept in this flow's draft until Send or "no"; someone not
    signed up is told how."""
    caller = context.caller
    svc = services(context)
    text = update.effective_message.text
    postcode = await signup.postcode_area(svc.db, text)
    if postcode is not None:
        await areas.join_found(update, context, postcode)
        return
    if caller.participant is None:
        await reply(update, caller.t("free_text_not_registered"))
        return
    problem = tips.description_problem(text)
    if problem is not None:
        await reply(update, caller.t(problem.key, **problem.values))
        return
    context.user_data[DRAFT] = tips.Draft(description=text.strip())
    _flow(context).begin(update, OFFER)
    await _offer(update, caller)


def _flow(context: Context) -> Flow:
    """This flow as the application runs it."""
    return next(
        h
        for group in context.application.handlers.values()
        for h in group
        if isinstance(h, Flow) and h.name == tips.FLOW
    )


async def on_more_text(update: Update, context: Context) -> int:
    """More text while the offer is open: it belongs to the same report."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    caller = context.caller
    text = f"{draft.description}\n{update.effective_message.text.strip()}"
    problem = tips.description_problem(text)
    if problem is not None:
        await reply(update, caller.t(problem.key, **problem.values))
    else:
        draft.description = text
    await _offer(update, caller)
    return OFFER


async def _offer(update: Update, caller: Caller) -> None:
    await reply(update, caller.t("free_text_offer"), reply_markup=_offer_markup(caller))


def _offer_markup(caller: Caller) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(caller.plain("free_text_send_button"), TipOffer(TipOffer.YES)),
                _button(caller.plain("free_text_no_button"), TipOffer(TipOffer.NO)),
            ]
        ]
    )


async def on_offer(update: Update, context: Context) -> int:
    """The answer to the offer: yes begins the guided flow with the text as its
    description; no forgets the text."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    pressed = TipOffer.parse(await _pressed(update))
    caller = context.caller
    if pressed is None or pressed.choice != TipOffer.YES:
        context.user_data.pop(DRAFT, None)
        await reply(update, caller.t("free_text_declined"))
        return END
    svc = services(context)
    refusal = await tips.may_report(svc, _limit(context), caller.user_id, caller.participant)
    if refusal is not None:
        context.user_data.pop(DRAFT, None)
        await reply(update, caller.t(refusal.key, **refusal.values))
        return END
    draft.areas = await tips.areas_of(svc.db, caller.user_id)
    if len(draft.areas) == 1:
        draft.area = draft.areas[0]
    await reply(update, caller.t("emergency"))
    return await _show(update, context, caller, draft, CATEGORY)


# ------------------------------------------------------------------ showing a step


async def _show(
    update: Update,
    context: Context,
    caller: Caller,
    draft: tips.Draft,
    step: int,
) -> int:
    """Ask for ``step`` and remember it, so that "back" can return to it. The phone number
    is part of the contact step: "back" from the summary returns to the contact choice; the
    call-112 notice is no step to return to."""
    if step not in (PHONE, URGENT):
        draft.steps.append(step)
    if step == CATEGORY:
        buttons = [
            _button(tips.category_name(caller.lang, code), TipCategory(code))
            for code in tips.CATEGORIES
        ]
        markup = [*_pairs(buttons), _nav(caller, back=False)]
        await reply(
            update, caller.t("tip_choose_category"), reply_markup=InlineKeyboardMarkup(markup)
        )
    elif step == AREA:
        chooser = _area_chooser(caller, draft, 1)
        await reply(update, chooser.text, reply_markup=chooser.markup)
    elif step == WHEN:
        buttons = [
            _button(caller.plain(f"tip_when_{w}"), TipWhen(w))
            for w in (*tips.OCCURRED, TipWhen.PICK)
        ]
        markup = [*_pairs(buttons), _nav(caller)]
        await reply(update, caller.t("tip_choose_when"), reply_markup=InlineKeyboardMarkup(markup))
    elif step == URGENT:
        markup = [[_button(caller.plain("tip_now_anyway_button"), TipAnyway())], _nav(caller)]
        await reply(update, caller.t("tip_now_call_112"), reply_markup=InlineKeyboardMarkup(markup))
    elif step == DATE:
        today = tips.local_today(services(context))
        days = [today - timedelta(days=n) for n in range(2, 2 + DATE_BUTTONS)]
        buttons = [_button(dates.day(d, caller.lang), TipDate(d.isoformat())) for d in days]
        markup = [*_pairs(buttons), _nav(caller)]
        await reply(update, caller.t("tip_choose_date"), reply_markup=InlineKeyboardMarkup(markup))
    elif step == DESCRIBE:
        await reply(
            update,
            caller.t("tip_describe", limit=tips.MAX_DESCRIPTION),
            reply_markup=InlineKeyboardMarkup([_nav(caller)]),
        )
    elif step == ATTACH:
        markup = [[_button(caller.plain("tip_attach_done_button"), TipNext())], _nav(caller)]
        await reply(update, caller.t("tip_attach"), reply_markup=InlineKeyboardMarkup(markup))
    elif step == CONTACT:
        buttons = [_button(caller.plain(f"tip_contact_{c}"), TipContact(c)) for c in tips.CONTACTS]
        markup = [[b] for b in buttons] + [_nav(caller)]
        await reply(
            update, caller.t("tip_choose_contact"), reply_markup=InlineKeyboardMarkup(markup)
        )
    elif step == PHONE:
        keyboard = ReplyKeyboardMarkup(
            [
                [KeyboardButton(caller.plain("tip_share_phone_button"), request_contact=True)],
                [KeyboardButton(caller.plain("tip_back_button"))],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
        await reply(update, caller.t("tip_ask_phone"), reply_markup=keyboard)
    elif step == CONFIRM:
        markup = [[_button(caller.plain("tip_send_button"), TipSend())], _nav(caller)]
        await reply(update, _summary(caller, draft), reply_markup=InlineKeyboardMarkup(markup))
    return step


def _area_chooser(caller: Caller, draft: tips.Draft, page: int) -> keyboards.Picker:
    """The reporter's own areas, a page at a time, with back and cancel on every page."""
    buttons = [_button(a.name, TipArea(a.code)) for a in draft.areas]
    return keyboards.picker(
        caller.lang,
        caller.t("tip_choose_area"),
        buttons,
        page,
        TipPage,
        rows_after=[_nav(caller)],
    )


def _summary(caller: Caller, draft: tips.Draft) -> str:
    contact = caller.plain(f"tip_contact_{draft.contact}")
    if draft.contact == "phone" and draft.phone:
        contact += f" ({draft.phone})"
    return caller.t(
        "tip_summary",
        category=tips.category_name(caller.lang, draft.category or "other"),
        area=draft.area.name if draft.area else caller.plain("tip_no_area"),
        occurred=tip_card.occurred_text(caller.lang, draft.occurred, draft.occurred_at),
        description=draft.description,
        photo=caller.plain("tip_yes" if draft.photo else "tip_no"),
        location=caller.plain("tip_yes" if draft.location else "tip_no"),
        contact=contact,
    )


async def _draft(update: Update, context: Context) -> tips.Draft | None:
    """The draft, or None after telling the user the button is stale."""
    draft = context.user_data.get(DRAFT)
    if draft is None and update.callback_query is not None:
        caller = context.caller
        await answer(update.callback_query, caller.plain("button_expired"))
    return draft


async def _pressed(update: Update) -> str:
    """Acknowledge the press and take the buttons off the step that was answered; returns
    the press's callback data."""
    query = update.callback_query
    await answer(query)
    await edit_pressed(query, reply_markup=None)
    return query.data


# ------------------------------------------------------------------ the steps


async def on_category(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    pressed = TipCategory.parse(await _pressed(update))
    code = pressed.code if pressed else ""
    if code not in tips.CATEGORIES:
        return CATEGORY
    draft.category = code
    caller = context.caller
    # A resident in one area (or none) has nothing to choose: a tip without area is kept
    # and shown to the coordinator as "no area given".
    step = AREA if len(draft.areas) > 1 else WHEN
    return await _show(update, context, caller, draft, step)


async def on_area(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    pressed = TipArea.parse(await _pressed(update))
    chosen = [a for a in draft.areas if pressed and a.code == pressed.area_code]
    if not chosen:
        return AREA
    draft.area = chosen[0]
    return await _show(update, context, context.caller, draft, WHEN)


async def on_area_page(update: Update, context: Context) -> int:
    """Another page of the area step; the step itself stays open."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    query = update.callback_query
    await answer(query)
    caller = context.caller
    await keyboards.show(query, _area_chooser(caller, draft, keyboards.page_number(query.data)))
    return AREA


async def on_when(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    pressed = TipWhen.parse(await _pressed(update))
    choice = pressed.choice if pressed else ""
    caller = context.caller
    if choice == TipWhen.PICK:
        return await _show(update, context, caller, draft, DATE)
    if choice not in tips.OCCURRED:
        return WHEN
    draft.occurred = choice
    if choice == "now":
        # Something happening now is a case for 112, not a form: say so before any question.
        draft.occurred_at = tips.now_stamp()
        return await _show(update, context, caller, draft, URGENT)
    draft.occurred_at = None
    return await _show(update, context, caller, draft, _after_when(draft))


async def on_anyway(update: Update, context: Context) -> int:
    """The resident read the call-112 notice and goes on with the tip."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    await _pressed(update)
    return await _show(update, context, context.caller, draft, _after_when(draft))


async def on_date_button(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    pressed = TipDate.parse(await _pressed(update))
    return await _take_date(update, context, draft, pressed.day if pressed else "")


async def on_date_text(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    return await _take_date(update, context, draft, update.effective_message.text)


async def _take_date(update: Update, context: Context, draft: tips.Draft, text: str) -> int:
    caller = context.caller
    day = tips.parse_date(text, tips.local_today(services(context)))
    if day is None:
        await reply(update, caller.t("tip_bad_date"))
        return DATE
    draft.occurred = day.isoformat()
    return await _show(update, context, caller, draft, _after_when(draft))


def _after_when(draft: tips.Draft) -> int:
    """The description step, unless the tip began as text the resident had typed."""
    return ATTACH if draft.description and DESCRIBE not in draft.steps else DESCRIBE


async def on_description(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    caller = context.caller
    text = update.effective_message.text
    problem = tips.description_problem(text)
    if problem is not None:
        await reply(update, caller.say(problem))
        return DESCRIBE
    draft.description = text.strip()
    return await _show(update, context, caller, draft, ATTACH)


async def on_describe_other(update: Update, context: Context) -> int:
    caller = context.caller
    await reply(update, caller.t("tip_describe_first"))
    return DESCRIBE


async def on_photo(update: Update, context: Context) -> int:
    """One photo per tip (a second one replaces the first); only its Telegram file id is
    kept, the picture itself is never downloaded."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    largest = update.effective_message.photo[-1]
    draft.photo = (largest.file_id, largest.file_unique_id)
    caller = context.caller
    await reply(update, caller.t("tip_photo_added"), reply_markup=_attach_markup(caller))
    return ATTACH


async def on_location(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    location = update.effective_message.location
    draft.location = tips.round_location(location.latitude, location.longitude)
    caller = context.caller
    await reply(update, caller.t("tip_location_added"), reply_markup=_attach_markup(caller))
    return ATTACH


async def on_document(update: Update, context: Context) -> int:
    """Files can carry anything (and their metadata, e.g. where a picture was taken)."""
    caller = context.caller
    await reply(update, caller.t("tip_photo_as_document"))
    return ATTACH


def _attach_markup(caller: Caller) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(caller.plain("tip_attach_done_button"), TipNext())], _nav(caller)]
    )


async def on_attach_done(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    await _pressed(update)
    return await _show(update, context, context.caller, draft, CONTACT)


async def on_contact(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    pressed = TipContact.parse(await _pressed(update))
    choice = pressed.choice if pressed else ""
    if choice not in tips.CONTACTS:
        return CONTACT
    draft.contact = choice
    draft.phone = None
    step = PHONE if choice == "phone" else CONFIRM
    return await _show(update, context, context.caller, draft, step)


async def on_phone(update: Update, context: Context) -> int:
    """The reporter's own number, shared with the button or typed."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    caller = context.caller
    message = update.effective_message
    if message.contact is not None:
        if message.contact.user_id != caller.user_id:
            await reply(update, caller.t("tip_phone_not_own"))
            return PHONE
        phone = tips.normalise_phone(message.contact.phone_number)
    else:
        if message.text.strip() == caller.plain("tip_back_button"):
            await reply(
                update,
                caller.t("tip_going_back"),
                reply_markup=keyboards.after_reply_keyboard(update, context),
            )
            return await _back(update, context, caller, draft, current_shown=False)
        phone = tips.normalise_phone(message.text)
    if phone is None:
        await reply(update, caller.t("tip_bad_phone"))
        return PHONE
    draft.phone = phone
    await reply(
        update,
        caller.t("tip_phone_noted"),
        reply_markup=keyboards.after_reply_keyboard(update, context),
    )
    return await _show(update, context, caller, draft, CONFIRM)


async def on_use_buttons(update: Update, context: Context) -> int | None:
    """Something typed where a button was expected: say so and stay on the step."""
    caller = context.caller
    await reply(update, caller.t("tip_use_buttons"))
    return None


async def on_back(update: Update, context: Context) -> int:
    draft = await _draft(update, context)
    if draft is None:
        return END
    await _pressed(update)
    return await _back(update, context, context.caller, draft)


async def _back(
    update: Update,
    context: Context,
    caller: Caller,
    draft: tips.Draft,
    *,
    current_shown: bool = True,
) -> int:
    if current_shown and len(draft.steps) > 1:
        draft.steps.pop()
    return await _show(update, context, caller, draft, draft.steps.pop())


async def on_send(update: Update, context: Context) -> int:
    draft: tips.Draft | None = await _draft(update, context)
    if draft is None:
        return END
    return await _submit(update, context, context.caller, draft)


async def _submit(
    update: Update,
    context: Context,
    caller: Caller,
    draft: tips.Draft,
    *,
    checked: bool = False,
) -> int:
    svc = services(context)
    # Checked again at Send: the limit or a ban may have changed while the flow was open.
    refusal = (
        None
        if checked
        else await tips.may_report(svc, _limit(context), caller.user_id, caller.participant)
    )
    if refusal is not None:
        context.user_data.pop(DRAFT, None)
        if update.callback_query is not None:
            await _pressed(update)
        await reply(update, caller.say(refusal))
        return END
    # Stored (with the handlers' copies queued) before the resident hears a word.
    tip = await tips.submit(svc, _limit(context), draft, caller.user_id)
    context.user_data.pop(DRAFT, None)
    if update.callback_query is not None:
        await _pressed(update)
    key = "tip_received_anonymous" if tip.contact == "anonymous" else "tip_received"
    lines = [caller.t(key, ref=tip.full_ref)]
    if tip.area_id is None:
        lines.append(caller.t("tip_received_no_area"))
    lines.append(caller.t("emergency"))
    await confirm(update, Safe("\n\n".join(lines)))
    return END


async def cancel(update: Update, context: Context) -> int:
    caller = context.caller
    context.user_data.pop(DRAFT, None)
    if update.callback_query is not None:
        await _pressed(update)
    await reply(
        update,
        caller.t("tip_cancelled"),
        reply_markup=keyboards.after_reply_keyboard(update, context),
    )
    return END


async def on_timeout(update: Update, context: Context) -> None:
    """PTB calls this with the flow's last update once TIMEOUT has passed without an answer."""
    context.user_data.pop(DRAFT, None)
    # The context is the one of the flow's last update: the caller may have changed since.
    caller = await context.refresh_caller(update)
    await reply(
        update,
        caller.t("tip_timed_out"),
        reply_markup=keyboards.after_reply_keyboard(update, context),
    )


# ------------------------------------------------------------------ the flow


def conversation(entry_points: list[CommandHandler]) -> Flow:
    """The guided tip, a step a message; /cancel (or the cancel button) leaves it at any
    step. Its steps take free text, photos and locations, so it comes before the bot's
    fallbacks. Its step and draft survive a restart (bot/persistence.py)."""
    typed_text = NEW_MESSAGES & filters.TEXT & ~filters.COMMAND
    return Flow(
        # Free text outside the flow enters at OFFER through on_free_text, the bot's last
        # route, so that every other route that takes text comes first.
        entry_points=entry_points,
        states=dict(
            [
                _step(CATEGORY, button(TipCategory, on_category), back=False),
                _step(
                    AREA,
                    button(TipArea, on_area),
                    button(TipPage, on_area_page),
                ),
                _step(WHEN, button(TipWhen, on_when)),
                _step(URGENT, button(TipAnyway, on_anyway)),
                _step(
                    DATE,
                    button(TipDate, on_date_button),
                    MessageHandler(typed_text, on_date_text),
                    otherwise=None,
                ),
                _step(
                    DESCRIBE,
                    MessageHandler(typed_text, on_description),
                    otherwise=on_describe_other,
                ),
                _step(
                    ATTACH,
                    MessageHandler(NEW_MESSAGES & filters.PHOTO, on_photo),
                    MessageHandler(NEW_MESSAGES & filters.LOCATION, on_location),
                    MessageHandler(NEW_MESSAGES & filters.Document.ALL, on_document),
                    button(TipNext, on_attach_done),
                ),
                _step(CONTACT, button(TipContact, on_contact)),
                # The reply keyboard's back button arrives as text; on_phone handles it.
                _step(
                    PHONE,
                    MessageHandler(
                        NEW_MESSAGES & (filters.CONTACT | (filters.TEXT & ~filters.COMMAND)),
                        on_phone,
                    ),
                    back=False,
                    otherwise=None,
                ),
                _step(CONFIRM, button(TipSend, on_send)),
                _step(
                    OFFER,
                    button(TipOffer, on_offer),
                    MessageHandler(typed_text, on_more_text),
                    back=False,
                ),
                # PTB runs this with the flow's last update once the timeout has passed.
                (ConversationHandler.TIMEOUT, [TypeHandler(Update, on_timeout)]),
            ]
        ),
        fallbacks=[command("cancel", cancel), button(TipCancel, cancel)],
        conversation_timeout=TIMEOUT,
        allow_reentry=True,
        name=tips.FLOW,
        persistent=True,
        draft=DRAFT,
        draft_type=tips.Draft,
    )


def _step(
    state: int,
    *handlers: BaseHandler,
    back: bool = True,
    otherwise: Handler | None = on_use_buttons,
) -> tuple[int, list[BaseHandler]]:
    """A step's own handlers, then what the steps share: the back button, and an answer to
    anything else sent (by default: "use the buttons"), which keeps the step open."""
    shared: list[BaseHandler] = []
    if back:
        shared.append(button(TipBack, on_back))
    if otherwise is not None:
        shared.append(MessageHandler(NEW_MESSAGES & ~filters.COMMAND, otherwise))
    return state, [*handlers, *shared]


# ------------------------------------------------------------------ /tipstatus


async def tipstatus(update: Update, context: Context) -> None:
    """The full reference is the only key, so this works for anonymous tips too; the answer
    shows status and date only, never the handlers' notes. A short form, a wrong check part
    and an unknown number get the same answer, and after a few misses nothing is looked up
    for a while (bot/guessing.py)."""
    caller = context.caller
    if not context.args:
        await reply(update, caller.t("tipstatus_usage"))
        return
    # A person may type the reference with spaces between its parts.
    typed = " ".join(context.args)
    guesses = guessing.limit_in(context.bot_data, guessing.TIPSTATUS)
    found = await tip_refs.status_for(services(context), guesses, caller.user_id, typed)
    if found.wait_minutes:
        await reply(update, caller.t("error_too_many_tries", minutes=found.wait_minutes))
        return
    if found.tip is None:
        await reply(update, caller.t("tipstatus_not_found", ref=typed[:24]))
        return
    await reply(
        update,
        caller.t(
            "tipstatus_reply",
            ref=found.tip.full_ref,
            status=tips.status_name(caller.lang, found.tip.status),
            updated=dates.day(found.tip.updated_at, caller.lang, relative=True),
        ),
    )
