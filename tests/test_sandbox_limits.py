"""Telegram's limits in the sandbox: button presses expire, keyboards and callback answers
have a size, command menus follow TDLib's rules, getUpdates clamps its parameters."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    MenuButtonDefault,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes

from bot.sandbox import SANDBOX_TOKEN, Sandbox

ALICE = 1001
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    tg_bot = Bot(SANDBOX_TOKEN, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url)
    async with tg_bot:
        yield tg_bot


def buttons(*row_lengths: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"{r}.{b}", callback_data=f"{r}.{b}") for b in range(length)]
            for r, length in enumerate(row_lengths)
        ]
    )


async def raw(sandbox: Sandbox, method: str, **params: object) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(f"{sandbox.base_url}{SANDBOX_TOKEN}/{method}", json=params)


# --------------------------------------------------------------------------- callback queries


async def test_a_press_can_be_answered_once_and_only_in_time(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    assert sandbox.callback_timeout == 15.0
    msg = await bot.send_message(ALICE, "Välj", reply_markup=buttons(2))

    first = sandbox.inject_callback(ALICE, ALICE, msg.message_id, "0.0")
    assert await bot.answer_callback_query(first, text="Tack") is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(first)
    assert sandbox.calls[-1].description == QUERY_INVALID

    # a press older than the timeout can no longer be answered
    late = sandbox.inject_callback(ALICE, ALICE, msg.message_id, "0.1")
    sandbox.callback_timeout = 0.0
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(late)
    sandbox.callback_timeout = 15.0

    waiting = sandbox.inject_callback(ALICE, ALICE, msg.message_id, "0.1")
    assert sandbox.expire_callbacks() == 2  # "late" and "waiting" were never answered
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(waiting)
    fresh = sandbox.inject_callback(ALICE, ALICE, msg.message_id, "0.1")
    assert await bot.answer_callback_query(fresh) is True
    assert set(sandbox.callback_answers) == {first, fresh}


async def test_callback_answer_text_is_at_most_200_characters(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    msg = await bot.send_message(ALICE, "Välj", reply_markup=buttons(1))
    query_id = sandbox.inject_callback(ALICE, ALICE, msg.message_id, "0.0")
    reply = await raw(sandbox, "answerCallbackQuery", callback_query_id=query_id, text="å" * 201)
    assert (reply.status_code, reply.json()["description"]) == (
        400,
        "Bad Request: MESSAGE_TOO_LONG",
    )
    # the refused answer used nothing up
    assert await bot.answer_callback_query(query_id, text="å" * 200, show_alert=True)
    assert sandbox.callback_answers[query_id]["text"] == "å" * 200


async def test_a_late_answer_fails_but_the_press_is_still_handled(sandbox: Sandbox) -> None:
    """The bot was away while Alice pressed: answering fails, the edit still works."""
    sandbox.user(ALICE, "Alice")
    outcomes: list[str] = []

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        try:
            await query.answer()
            outcomes.append("answered")
        except BadRequest as exc:
            outcomes.append(exc.message)
        await query.edit_message_text("Registrerat")

    app = ApplicationBuilder().token(SANDBOX_TOKEN).base_url(sandbox.base_url).build()
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        shown = await app.bot.send_message(ALICE, "Bekräfta", reply_markup=buttons(1))
        sandbox.inject_callback(ALICE, ALICE, shown.message_id, "0.0", check=True)
        sandbox.expire_callbacks()
        mark = sandbox.seq
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=5)
        try:
            edited = await sandbox.wait_for_message(ALICE, since_seq=mark, after=shown.message_id)
        finally:
            await app.updater.stop()
            await app.stop()
    assert edited.text == "Registrerat"
    assert outcomes == ["Query is too old and response timeout expired or query id is invalid"]


async def test_press_tells_when_the_answer_came_too_late(sandbox: Sandbox) -> None:
    alice = sandbox.user(ALICE, "Alice")

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        # the bot is slow: the press has run out of time before it answers
        sandbox.expire_callbacks()
        with contextlib.suppress(BadRequest):
            await query.answer()

    app = ApplicationBuilder().token(SANDBOX_TOKEN).base_url(sandbox.base_url).build()
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.bot.send_message(ALICE, "Bekräfta", reply_markup=buttons(1))
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=5)
        try:
            with pytest.raises(TimeoutError, match=r"answered in vain \(Bad Request: query is"):
                await alice.press("0.0", timeout=3.0)
        finally:
            await app.updater.stop()
            await app.stop()


async def test_callbacks_over_the_control_route(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    msg = await bot.send_message(ALICE, "Välj", reply_markup=buttons(1))
    query_id = sandbox.inject_callback(ALICE, ALICE, msg.message_id, "0.0")
    root = sandbox.base_url.removesuffix("/bot") + "/sandbox"
    async with httpx.AsyncClient() as client:
        reply = await client.post(f"{root}/callbacks", json={"timeout": 30, "expire": True})
    assert reply.json()["result"] == {"callback_timeout": 30.0, "expired": 1}
    assert sandbox.callback_timeout == 30.0
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)


# --------------------------------------------------------------------------- keyboards


async def test_inline_keyboards_have_at_most_8_a_row_and_100_in_all(
    sandbox: Sandbox, bot: Bot
) -> None:
    sandbox.user(ALICE, "Alice")
    widest = await bot.send_message(ALICE, "8 i rad", reply_markup=buttons(8))
    largest = await bot.send_message(ALICE, "100", reply_markup=buttons(*[8] * 12, 4))
    assert len(widest.reply_markup.inline_keyboard[0]) == 8
    assert sum(len(row) for row in largest.reply_markup.inline_keyboard) == 100

    too_wide = await raw(
        sandbox, "sendMessage", chat_id=ALICE, text="9", reply_markup=buttons(9).to_dict()
    )
    assert (too_wide.status_code, too_wide.json()["description"]) == (
        400,
        "Bad Request: reply markup is too long",
    )
    with pytest.raises(BadRequest, match=r"(?i)reply markup is too long"):
        await bot.send_message(ALICE, "101", reply_markup=buttons(*[8] * 12, 5))
    with pytest.raises(BadRequest, match=r"(?i)reply markup is too long"):
        await bot.send_photo(ALICE, "https://example.com/a.jpg", reply_markup=buttons(9))
    with pytest.raises(BadRequest, match=r"(?i)reply markup is too long"):
        await bot.edit_message_reply_markup(
            chat_id=ALICE, message_id=widest.message_id, reply_markup=buttons(*[2] * 51)
        )
    assert [m.text for m in sandbox.messages(ALICE)] == ["8 i rad", "100"]
    assert len(sandbox.messages(ALICE)[0].buttons()) == 8


# --------------------------------------------------------------------------- commands


async def test_set_my_commands_follows_telegrams_rules(sandbox: Sandbox, bot: Bot) -> None:
    hundred = [(f"c{i}", f"Kommando {i}") for i in range(100)]
    assert await bot.set_my_commands(hundred)
    assert len(await bot.get_my_commands()) == 100

    refusals = [
        ([*hundred, ("extra", "Ett för mycket")], "BOT_COMMANDS_TOO_MUCH"),
        ([("a" * 33, "lång")], "command length must not exceed 32"),
        ([("Start", "versaler")], "BOT_COMMAND_INVALID"),
        ([("hjälp", "å ä ö")], "BOT_COMMAND_INVALID"),
        ([("start", "  ")], "command description must be non-empty"),
        ([("start", "d" * 257)], "command description length must not exceed 256"),
        ([("/", "bara snedstreck")], "command must be non-empty"),
    ]
    for commands, expected in refusals:
        with pytest.raises(BadRequest):
            await bot.set_my_commands(commands)
        assert sandbox.calls[-1].description == f"Bad Request: {expected}"
    # nothing was changed by a refused call
    assert len(await bot.get_my_commands()) == 100

    # TDLib trims and drops a leading slash; the longest allowed forms pass
    assert await bot.set_my_commands(
        [(" /hjalp ", "d" * 256), ("a" * 32, " x ")], language_code="sv"
    )
    assert [
        (c.command, len(c.description)) for c in await bot.get_my_commands(language_code="sv")
    ] == [
        ("hjalp", 256),
        ("a" * 32, 1),
    ]
    for bad_code in ("SV", "swe", "s1"):
        with pytest.raises(BadRequest, match=r"(?i)invalid language code specified"):
            await bot.set_my_commands([("start", "Starta")], language_code=bad_code)
    with pytest.raises(BadRequest, match=r"(?i)invalid language code specified"):
        await bot.get_my_commands(language_code="english")
    with pytest.raises(BadRequest, match=r"(?i)invalid language code specified"):
        await bot.delete_my_commands(language_code="EN")

    not_a_list = await raw(sandbox, "setMyCommands", commands={"command": "start"})
    assert not_a_list.json()["description"] == "Bad Request: expected an Array of BotCommand"
    no_description = await raw(sandbox, "setMyCommands", commands=[{"command": "start"}])
    assert no_description.json()["description"] == (
        "Bad Request: can't parse BotCommand: Can't find field \"description\""
    )


async def test_descriptions_names_and_menu_buttons_per_language(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    assert await bot.set_my_description("Grannsamverkan i Kumla", language_code="sv")
    assert await bot.set_my_description("Neighbourhood watch", language_code="en")
    assert await bot.set_my_short_description("Tips och larm")
    assert (await bot.get_my_description("sv")).description == "Grannsamverkan i Kumla"
    assert (await bot.get_my_description("en")).description == "Neighbourhood watch"
    assert (await bot.get_my_description()).description == ""
    assert (await bot.get_my_short_description()).short_description == "Tips och larm"
    assert (await bot.get_my_name()).name == "Grannbot"
    assert await bot.set_my_name("Grannbot Kumla", language_code="sv")
    assert (await bot.get_my_name("sv")).name == "Grannbot Kumla"
    with pytest.raises(BadRequest, match=r"(?i)invalid language code specified"):
        await bot.set_my_description("x", language_code="sve")
    assert await bot.set_my_description("", language_code="en")
    assert (await bot.get_my_description("en")).description == ""

    assert isinstance(await bot.get_chat_menu_button(), MenuButtonDefault)
    assert await bot.set_chat_menu_button(ALICE, MenuButtonCommands())
    assert isinstance(await bot.get_chat_menu_button(ALICE), MenuButtonCommands)
    assert isinstance(await bot.get_chat_menu_button(), MenuButtonDefault)
    broken = await raw(sandbox, "setChatMenuButton", menu_button={"type": "web_app"})
    assert broken.json()["description"] == (
        "Bad Request: can't parse menu button: Can't find field \"text\""
    )
    unknown = await raw(sandbox, "setChatMenuButton", menu_button={"type": "fancy"})
    assert unknown.json()["description"] == (
        "Bad Request: can't parse menu button: MenuButton has unsupported type"
    )


# --------------------------------------------------------------------------- getUpdates


async def test_get_updates_clamps_limit_to_1_to_100(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.user(ALICE, "Alice")
    for i in range(101):
        alice.send_nowait(f"meddelande {i}")
    assert len(await bot.get_updates(limit=0)) == 1
    assert len(await bot.get_updates(limit=-5)) == 1
    assert len(await bot.get_updates(limit=1000)) == 100
    assert len(await bot.get_updates()) == 100
    assert len((await raw(sandbox, "getUpdates", limit="3")).json()["result"]) == 3
    # the Bot API server reads what is not a number as 0, which becomes the minimum
    assert len((await raw(sandbox, "getUpdates", limit="many")).json()["result"]) == 1


async def test_long_poll_timeout_is_capped(sandbox: Sandbox, bot: Bot) -> None:
    assert sandbox.long_poll_max_timeout == 50
    sandbox.long_poll_max_timeout = 0.2
    # without the cap this poll would wait 60 s for an update that never comes
    assert await asyncio.wait_for(bot.get_updates(timeout=60), 10) == ()
    poll = sandbox.calls[-1]
    assert (poll.method, poll.status, int(poll.params["timeout"])) == ("getUpdates", 200, 60)
    assert await asyncio.wait_for(bot.get_updates(timeout=-3), 10) == ()
