"""The aiohttp transport under PTB's Bot: what it sends arrives as sent, answers parse, and
every transport failure becomes the TelegramError PTB's own transport would raise."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from bot.request import AiohttpRequest
from bot.sandbox import SANDBOX_TOKEN, Sandbox

ALICE = 7001


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sb:
        sb.user(ALICE, "Alice")
        yield sb


def bot_on(sandbox: Sandbox, request: AiohttpRequest) -> Bot:
    return Bot(
        SANDBOX_TOKEN,
        base_url=sandbox.base_url,
        base_file_url=sandbox.base_file_url,
        request=request,
        get_updates_request=AiohttpRequest(),
    )


async def test_text_markup_and_files_arrive_as_sent(sandbox: Sandbox) -> None:
    async with bot_on(sandbox, AiohttpRequest(4)) as bot:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Granskad", callback_data="s:1")]])
        sent = await bot.send_message(
            ALICE, "<b>Tips</b> åäö &amp; 🚲", parse_mode=ParseMode.HTML, reply_markup=markup
        )
        assert sent.text == "Tips åäö & 🚲"
        assert sent.reply_markup == markup
        payload = b"ref;status\r\nT-2026-000001;new\r\n" + bytes(range(256))
        document = await bot.send_document(ALICE, payload, filename="tips.csv", caption="2 rader")
        assert document.document.file_name == "tips.csv"

    shown = sandbox.messages(ALICE)
    assert shown[0].text == "Tips åäö & 🚲" and shown[0].buttons() == [("Granskad", "s:1")]
    assert shown[1].kind == "document" and shown[1].file_bytes == payload
    assert shown[1].text == "2 rader"


async def test_telegram_refusals_keep_their_meaning(sandbox: Sandbox) -> None:
    async with bot_on(sandbox, AiohttpRequest(2)) as bot:
        with pytest.raises(BadRequest, match="parse entities"):
            await bot.send_message(ALICE, "<b>open", parse_mode=ParseMode.HTML)
        sandbox.block(ALICE)
        with pytest.raises(Forbidden):
            await bot.send_message(ALICE, "hej")
        sandbox.unblock(ALICE)
        sandbox.faults.fail_next("sendMessage", status=502)
        with pytest.raises(NetworkError):
            await bot.send_message(ALICE, "hej")
        sandbox.faults.fail_next("sendMessage", status="drop")
        with pytest.raises(NetworkError, match="aiohttp"):
            await bot.send_message(ALICE, "hej")
        # The pool recovers from a dropped connection.
        assert (await bot.send_message(ALICE, "igen")).text == "igen"


async def test_read_timeout_default_and_per_call(sandbox: Sandbox) -> None:
    sandbox.faults.method_latency["sendMessage"] = 0.5
    async with bot_on(sandbox, AiohttpRequest(2, read_timeout=0.1)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "för långsamt")
        sent = await bot.send_message(ALICE, "väntar längre", read_timeout=2)
        assert sent.text == "väntar längre"


async def test_waiting_for_a_free_connection_times_out(sandbox: Sandbox) -> None:
    sandbox.faults.method_latency["sendMessage"] = 1.0
    request = AiohttpRequest(1, connect_timeout=0.1, pool_timeout=0.1)
    async with bot_on(sandbox, request) as bot:
        slow = asyncio.create_task(bot.send_message(ALICE, "tar hela poolen"))
        await sandbox.wait_for(lambda: any(c.method == "sendMessage" for c in sandbox.calls))
        with pytest.raises(TimedOut):
            await bot.get_chat(ALICE)
        assert (await slow).text == "tar hela poolen"


async def test_long_polling_waits_past_the_read_timeout(sandbox: Sandbox) -> None:
    """PTB adds the long-poll timeout to the transport's read timeout for getUpdates."""
    request = AiohttpRequest(read_timeout=0.2)
    assert request.read_timeout == 0.2
    bot = Bot(SANDBOX_TOKEN, base_url=sandbox.base_url, get_updates_request=request)
    async with bot:
        poll = asyncio.create_task(bot.get_updates(timeout=1))
        await sandbox.wait_for(
            lambda: any(c.method == "getUpdates" and c.status == -1 for c in sandbox.calls)
        )
        await asyncio.sleep(0.5)  # longer than the read timeout: the poll must still be open
        update_id = sandbox.user(ALICE, "Alice").send_nowait("hej")
        updates = await asyncio.wait_for(poll, 5)
    assert [u.update_id for u in updates] == [update_id]


async def test_must_be_initialized_and_closes_cleanly(sandbox: Sandbox) -> None:
    request = AiohttpRequest()
    bot = bot_on(sandbox, request)
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{sandbox.base_url}{SANDBOX_TOKEN}/getMe", "POST")
    async with bot:
        assert (await bot.get_me()).is_bot
        await request.initialize()  # a second initialize keeps the open pool
        assert (await bot.get_me()).is_bot
    await request.shutdown()  # a second shutdown is harmless
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{sandbox.base_url}{SANDBOX_TOKEN}/getMe", "POST")
