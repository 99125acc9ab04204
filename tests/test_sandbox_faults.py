"""Injected faults reach every Bot API method and read like Telegram's own errors."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.sandbox import SANDBOX_TOKEN, Sandbox

ALICE = 1001
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="ja")]])


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta ``retry_after`` so 429 answers raise no deprecation noise."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    tg_bot = Bot(SANDBOX_TOKEN, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url)
    async with tg_bot:
        yield tg_bot


Call = Callable[[Bot, Sandbox], Awaitable[object]]


async def _edit(bot: Bot, sandbox: Sandbox) -> object:
    sent = await bot.send_message(ALICE, "Fråga", reply_markup=KEYBOARD)
    return await bot.edit_message_text("Svar", chat_id=ALICE, message_id=sent.message_id)


async def _answer(bot: Bot, sandbox: Sandbox) -> object:
    sent = await bot.send_message(ALICE, "Fråga", reply_markup=KEYBOARD)
    return await bot.answer_callback_query(
        sandbox.inject_callback(ALICE, ALICE, sent.message_id, "ja")
    )


async def _updates(bot: Bot, sandbox: Sandbox) -> object:
    return await bot.get_updates(timeout=0)


async def _photo(bot: Bot, sandbox: Sandbox) -> object:
    return await bot.send_photo(ALICE, PNG)


async def _document(bot: Bot, sandbox: Sandbox) -> object:
    return await bot.send_document(ALICE, b"rapport", filename="r.txt")


async def _chat(bot: Bot, sandbox: Sandbox) -> object:
    return await bot.get_chat(ALICE)


async def _commands(bot: Bot, sandbox: Sandbox) -> object:
    return await bot.set_my_commands([("start", "Starta")])


CALLS: dict[str, Call] = {
    "editMessageText": _edit,
    "answerCallbackQuery": _answer,
    "getUpdates": _updates,
    "sendPhoto": _photo,
    "sendDocument": _document,
    "getChat": _chat,
    "setMyCommands": _commands,
}


@pytest.mark.parametrize("method", list(CALLS))
async def test_fail_next_hits_every_method(sandbox: Sandbox, bot: Bot, method: str) -> None:
    sandbox.user(ALICE, "Alice")
    call = CALLS[method]
    sandbox.faults.fail_next(method, status=400, description="message to edit not found")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await call(bot, sandbox)
    failed = [c for c in sandbox.calls if c.status == 400]
    assert [(c.method, c.description) for c in failed] == [
        (method, "Bad Request: message to edit not found")
    ]
    # the fault is used up and left no trace: the same call now works
    await call(bot, sandbox)
    assert sandbox.calls[-1].status == 200


@pytest.mark.parametrize("method", list(CALLS))
async def test_rates_hit_every_method(sandbox: Sandbox, bot: Bot, method: str) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.faults.rates(method, p_429=1.0, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await CALLS[method](bot, sandbox)
    retry_after = caught.value.retry_after
    assert isinstance(retry_after, dtm.timedelta) and retry_after.total_seconds() == 3
    assert sandbox.calls[-1].method == method
    assert sandbox.calls[-1].description == "Too Many Requests: retry after 3"
    sandbox.faults.rates(method)  # all zero: off again
    await CALLS[method](bot, sandbox)
    assert sandbox.calls[-1].status == 200


async def test_star_covers_every_method(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    sent = await bot.send_message(ALICE, "Fråga", reply_markup=KEYBOARD)
    query_id = sandbox.inject_callback(ALICE, ALICE, sent.message_id, "ja")
    sandbox.faults.fail_next("*", status=503, count=4)
    attempts = [
        bot.get_updates(timeout=0),
        bot.answer_callback_query(query_id),
        bot.edit_message_reply_markup(chat_id=ALICE, message_id=sent.message_id),
        bot.send_chat_action(ALICE, "typing"),
    ]
    for attempt in attempts:
        with pytest.raises(NetworkError, match="Service Unavailable"):
            await attempt
    assert [c.status for c in sandbox.calls[-4:]] == [503] * 4

    sandbox.faults.rates("*", p_5xx=1.0)
    for attempt in (bot.get_me(), bot.get_chat(ALICE), bot.get_updates(timeout=0)):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await attempt
    sandbox.faults.rates("*")
    assert await bot.answer_callback_query(query_id) is True


async def test_a_fault_for_the_method_comes_before_one_for_all(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.faults.fail_next("*", status=500)
    sandbox.faults.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden):
        await bot.send_message(ALICE, "a")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(ALICE, "b")
    assert (await bot.send_message(ALICE, "c")).text == "c"


@pytest.mark.parametrize(
    ("status", "description", "error", "expected"),
    [
        (400, None, BadRequest, "Bad Request: chat not found"),
        (400, "Chat not found", BadRequest, "Bad Request: chat not found"),
        (400, "Bad Request: message is too long", BadRequest, "Bad Request: message is too long"),
        (400, "BUTTON_DATA_INVALID", BadRequest, "Bad Request: BUTTON_DATA_INVALID"),
        (403, None, Forbidden, "Forbidden: bot was blocked by the user"),
        (403, "user is deactivated", Forbidden, "Forbidden: user is deactivated"),
        (401, None, InvalidToken, "Unauthorized"),
        (404, None, InvalidToken, "Not Found"),
        (
            409,
            None,
            Conflict,
            "Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running",
        ),
        (500, None, NetworkError, "Internal Server Error"),
        (502, None, NetworkError, "Bad Gateway"),
        (504, "Gateway Timeout: try later", NetworkError, "Gateway Timeout: try later"),
    ],
)
async def test_injected_errors_read_like_telegrams(
    sandbox: Sandbox,
    bot: Bot,
    status: int,
    description: str | None,
    error: type[TelegramError],
    expected: str,
) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.faults.fail_next("sendMessage", status=status, description=description)
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            f"{sandbox.base_url}{SANDBOX_TOKEN}/sendMessage", json={"chat_id": ALICE, "text": "x"}
        )
    assert reply.status_code == status
    assert reply.json() == {"ok": False, "error_code": status, "description": expected}
    sandbox.faults.fail_next("sendMessage", status=status, description=description)
    with pytest.raises(error):
        await bot.send_message(ALICE, "x")
    assert sandbox.messages(ALICE) == []


def test_only_statuses_telegram_uses(sandbox: Sandbox) -> None:
    for status in (302, 402, 418, 420, 600):
        with pytest.raises(ValueError, match="never answers with status"):
            sandbox.faults.fail_next("sendMessage", status=status)
    with pytest.raises(ValueError, match="'drop' or 'drop_after'"):
        sandbox.faults.fail_next("sendMessage", status="timeout")


async def test_polling_survives_failing_get_updates(sandbox: Sandbox) -> None:
    alice = sandbox.user(ALICE, "Alice")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(f"Fick: {update.message.text}")

    app = ApplicationBuilder().token(SANDBOX_TOKEN).base_url(sandbox.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    sandbox.faults.fail_next("getUpdates", status=502, count=2)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            reply = await alice.send("hej", timeout=15)
        finally:
            await app.updater.stop()
            await app.stop()
    assert reply.text == "Fick: hej"
    polls = [c.status for c in sandbox.calls if c.method == "getUpdates"]
    assert polls[:2] == [502, 502] and 200 in polls


async def test_fault_descriptions_over_the_control_route(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    sent = await bot.send_message(ALICE, "Fråga")
    root = sandbox.base_url.removesuffix("/bot") + "/sandbox"
    spec = {"method": "editMessageText", "status": 400, "description": "message to edit not found"}
    async with httpx.AsyncClient() as client:
        reply = await client.post(f"{root}/faults", json={"fail_next": spec})
    queued = reply.json()["result"]["fail_next"]["editmessagetext"][0]
    assert (queued["status"], queued["description"]) == (400, "message to edit not found")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("Svar", chat_id=ALICE, message_id=sent.message_id)
    edited = await bot.edit_message_text("Svar", chat_id=ALICE, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.text == "Svar"
