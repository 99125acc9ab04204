"""The sandbox Bot API server, exercised over real HTTP with a real PTB Bot / Application."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.sandbox import SANDBOX_TOKEN, NotDelivered, Sandbox
from bot.sandbox.formatting import FormatError, format_text

ALICE = 1001
BOB = 1002
GROUP = -4001
SUPERGROUP = -1001234567890


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta ``retry_after`` so 429 answers raise no deprecation noise."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sb:
        yield sb


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    tg_bot = Bot(SANDBOX_TOKEN, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url)
    async with tg_bot:
        yield tg_bot


@contextlib.asynccontextmanager
async def running_app(sandbox: Sandbox, *handlers: object) -> AsyncIterator[Application]:
    app = (
        ApplicationBuilder()
        .token(SANDBOX_TOKEN)
        .base_url(sandbox.base_url)
        .base_file_url(sandbox.base_file_url)
        .build()
    )
    for handler in handlers:
        app.add_handler(handler)  # type: ignore[arg-type]
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=5)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else value


# --------------------------------------------------------------------------- basics


async def test_initialize_calls_get_me(sandbox: Sandbox, bot: Bot) -> None:
    assert bot.username == sandbox.bot_username
    assert bot.id == 123456
    assert bot.bot.is_bot
    assert sandbox.calls[0].method == "getMe"
    assert sandbox.calls[0].status == 200


async def test_send_message_and_read_back(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.user(BOB, "Bob")
    sent = await bot.send_message(
        ALICE,
        "<b>Hej</b> &amp; välkommen, <i>Alice</i>!",
        parse_mode="HTML",
        reply_markup=keyboard([("Ja", "yes"), ("Nej", "no")]),
    )
    second = await bot.send_message(ALICE, "Två")
    other = await bot.send_message(BOB, "Bob's first")

    assert sent.text == "Hej & välkommen, Alice!"
    assert sent.chat.id == ALICE and sent.from_user.id == bot.id
    assert [e.type for e in sent.entities] == [MessageEntity.BOLD, MessageEntity.ITALIC]
    assert sent.entities[1].offset == 17 and sent.entities[1].length == 5
    assert (sent.message_id, second.message_id, other.message_id) == (1, 2, 1)

    stored = sandbox.messages(ALICE)
    assert [m.message_id for m in stored] == [1, 2]
    first = stored[0]
    assert first.text == "Hej & välkommen, Alice!"
    assert first.raw_text == "<b>Hej</b> &amp; välkommen, <i>Alice</i>!"
    assert first.parse_mode == "HTML" and first.kind == "text" and not first.edited
    assert first.buttons() == [("Ja", "yes"), ("Nej", "no")]
    assert isinstance(first.date, int)
    call = sandbox.calls[-3]
    assert (call.method, call.chat_id, call.status) == ("sendMessage", ALICE, 200)


async def test_wrong_token_unknown_method_and_plain_http(sandbox: Sandbox) -> None:
    request = HTTPXRequest()
    wrong = Bot("654321:wrong-token", base_url=sandbox.base_url, request=request)
    try:
        with pytest.raises(InvalidToken):
            await wrong.get_me()
    finally:
        await request.shutdown()
    async with httpx.AsyncClient() as client:
        base = sandbox.base_url + SANDBOX_TOKEN
        reply = await client.post(f"{base}/noSuchMethod")
        assert reply.status_code == 404
        assert reply.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        # method names are case-insensitive; JSON bodies and query strings work too
        sandbox.user(ALICE, "Alice")
        by_json = await client.post(f"{base}/SENDMESSAGE", json={"chat_id": ALICE, "text": "a"})
        by_query = await client.get(f"{base}/sendMessage", params={"chat_id": ALICE, "text": "b"})
    assert by_json.json()["result"]["text"] == "a"
    assert by_query.json()["result"]["message_id"] == 2


# --------------------------------------------------------------------------- rejections


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>unclosed", 'can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<blink>x</blink>", 'unsupported start tag "blink" at byte offset 0'),
        ("1 < 2", 'unsupported start tag "" at byte offset 2'),
        ("trailing <", "unclosed start tag at byte offset 9"),
        ("x</b>", "unexpected end tag at byte offset 1"),
        ("&nbsp;", 'unsupported html entity "&nbsp;" at byte offset 0'),
        ('<span class="x">s</span>', 'tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
async def test_html_rejected_like_telegram(
    sandbox: Sandbox, bot: Bot, text: str, expected: str
) -> None:
    sandbox.user(ALICE, "Alice")
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(ALICE, text, parse_mode="HTML")
    assert caught.value.message.lower() == f"can't parse entities: {expected}".lower()
    assert sandbox.messages(ALICE) == []
    assert sandbox.calls[-1].status == 400
    assert sandbox.calls[-1].description.startswith("Bad Request: can't parse entities: ")


def test_html_accepted_forms() -> None:
    text, entities = format_text(
        '<a href="https://example.com/?a=1&amp;b=2">länk</a> &lt;3 &#128512; '
        '<pre><code class="language-python">x = 1</code></pre> <tg-spoiler>s</tg-spoiler> '
        '<span class="tg-spoiler">t</span> <blockquote expandable>q</blockquote> '
        "<B>bold</B> <s>del</s> Q & A",
        "HTML",
        limit=4096,
    )
    assert text == "länk <3 😀 x = 1 s t q bold del Q & A"
    by_type = {e["type"]: e for e in entities}
    assert by_type["text_link"]["url"] == "https://example.com/?a=1&b=2"
    assert by_type["pre"]["language"] == "python"
    # offsets are UTF-16: the emoji counts twice
    assert by_type["pre"] == {"type": "pre", "offset": 11, "length": 5, "language": "python"}
    assert by_type["expandable_blockquote"]["length"] == 1
    assert by_type["bold"]["length"] == 4


def test_length_is_measured_after_parsing_and_text_is_trimmed() -> None:
    text, _ = format_text("<b>" + "x" * 4096 + "</b>", "HTML", limit=4096)
    assert len(text) == 4096
    with pytest.raises(FormatError, match=r"(?i)message is too long"):
        format_text("x" * 4097, None, limit=4096)
    with pytest.raises(FormatError, match=r"(?i)message text is empty"):
        format_text("<b> </b>\n", "HTML", limit=4096)
    assert format_text("\n  hej  \n", None, limit=4096) == ("hej", [])
    with pytest.raises(FormatError, match=r"(?i)unsupported parse_mode"):
        format_text("x", "BBCode", limit=4096)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Klockan är 12.30",
            "Character '.' is reserved and must be escaped with the preceding '\\'",
        ),
        ("*fet", "Can't find end of Bold entity at byte offset 0"),
        ("[länk](https://x.se", "Can't find end of a URL at byte offset 8"),
    ],
)
def test_markdown_v2_rejected_like_telegram(text: str, expected: str) -> None:
    with pytest.raises(FormatError) as caught:
        format_text(text, "MarkdownV2", limit=4096)
    assert str(caught.value) == f"can't parse entities: {expected}"


def test_markdown_v2_and_legacy_markdown_accepted() -> None:
    text, entities = format_text(
        "*fet* _kursiv_ __under__ ~stryk~ ||dold|| `kod` [länk](https://x.se) 12\\.30",
        "MarkdownV2",
        limit=4096,
    )
    assert text == "fet kursiv under stryk dold kod länk 12.30"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    legacy, legacy_entities = format_text("*fet* och _kursiv_ 1.5", "Markdown", limit=4096)
    assert legacy == "fet och kursiv 1.5"
    assert [e["type"] for e in legacy_entities] == ["bold", "italic"]


async def test_markdown_v2_rejected_over_http(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    with pytest.raises(BadRequest, match=r"(?i)character '!' is reserved"):
        await bot.send_message(ALICE, "Hej!", parse_mode="MarkdownV2")
    ok = await bot.send_message(ALICE, "*Hej*\\!", parse_mode="MarkdownV2")
    assert ok.text == "Hej!" and ok.entities[0].type == MessageEntity.BOLD


async def test_empty_long_and_caption_limits(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    with pytest.raises(BadRequest, match=r"(?i)Message text is empty"):
        await bot.send_message(ALICE, "   ")
    with pytest.raises(BadRequest, match=r"(?i)Message is too long"):
        await bot.send_message(ALICE, "å" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)Message caption is too long"):
        await bot.send_document(ALICE, b"data", filename="a.txt", caption="c" * 1025)
    ok = await bot.send_message(ALICE, "å" * 4096)
    assert len(ok.text) == 4096
    assert len(sandbox.messages(ALICE)) == 1


async def test_chat_not_found_blocked_and_group_membership(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.group(GROUP, "Grannar Norr")
    sandbox.group(SUPERGROUP, "Grannar Söder", bot_member=False)
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.send_message(999, "hej")

    sandbox.block(ALICE)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ALICE, "hej")
    sandbox.unblock(ALICE)
    assert (await bot.send_message(ALICE, "hej igen")).text == "hej igen"

    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the supergroup chat"):
        await bot.send_message(SUPERGROUP, "hej")
    sandbox.set_bot_membership(GROUP, "kicked")
    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the group chat"):
        await bot.send_message(GROUP, "hej")
    sandbox.set_bot_membership(GROUP, "left")
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the group chat"):
        await bot.send_chat_action(GROUP, "typing")
    assert sandbox.messages(GROUP) == []


async def test_inline_keyboard_validation(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    with pytest.raises(BadRequest, match=r"(?i)Button_data_invalid"):
        await bot.send_message(ALICE, "x", reply_markup=keyboard([("A", "å" * 33)]))
    assert (await bot.send_message(ALICE, "x", reply_markup=keyboard([("A", "a" * 64)]))).text
    async with httpx.AsyncClient() as client:
        base = sandbox.base_url + SANDBOX_TOKEN
        text_only = {"inline_keyboard": [[{"text": "just text"}]]}
        reply = await client.post(
            f"{base}/sendMessage", json={"chat_id": ALICE, "text": "x", "reply_markup": text_only}
        )
        not_json = await client.post(
            f"{base}/sendMessage", data={"chat_id": ALICE, "text": "x", "reply_markup": "{"}
        )
        localhost = {"inline_keyboard": [[{"text": "t", "url": "http://localhost:8080"}]]}
        bad_url = await client.post(
            f"{base}/sendMessage", json={"chat_id": ALICE, "text": "x", "reply_markup": localhost}
        )
    assert reply.status_code == 400
    assert "Text buttons are unallowed in the inline keyboard" in reply.json()["description"]
    assert not_json.json()["description"] == (
        "Bad Request: can't parse reply keyboard markup JSON object"
    )
    assert "is invalid: Wrong HTTP URL" in bad_url.json()["description"]
    assert len(sandbox.messages(ALICE)) == 1


async def test_edit_rules(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    msg = await bot.send_message(
        ALICE, "<b>Fråga</b>", parse_mode="HTML", reply_markup=keyboard([("Ja", "y")])
    )
    with pytest.raises(BadRequest, match=r"(?i)Message is not modified: specified new message"):
        await bot.edit_message_text(
            "<b>Fråga</b>",
            chat_id=ALICE,
            message_id=msg.message_id,
            parse_mode="HTML",
            reply_markup=keyboard([("Ja", "y")]),
        )
    # same visible text but different formatting is a real change
    plain = await bot.edit_message_text(
        "Fråga", chat_id=ALICE, message_id=msg.message_id, reply_markup=keyboard([("Ja", "y")])
    )
    assert plain.edit_date is not None and plain.entities == ()
    # omitting reply_markup removes the keyboard, as on Telegram
    await bot.edit_message_text("Klar", chat_id=ALICE, message_id=msg.message_id)
    current = sandbox.messages(ALICE)[0]
    assert (current.text, current.reply_markup, current.edited, current.edit_count) == (
        "Klar",
        None,
        True,
        2,
    )
    with pytest.raises(BadRequest, match=r"(?i)Message is not modified"):
        await bot.edit_message_reply_markup(chat_id=ALICE, message_id=msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)Message to edit not found"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=77)
    assert await bot.delete_message(ALICE, msg.message_id) is True
    with pytest.raises(BadRequest, match=r"(?i)Message to delete not found"):
        await bot.delete_message(ALICE, msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)Message to edit not found"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=msg.message_id)
    assert sandbox.messages(ALICE) == []
    assert sandbox.messages(ALICE, include_deleted=True)[0].deleted


async def test_answer_callback_query_rules(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    msg = await bot.send_message(ALICE, "Välj", reply_markup=keyboard([("Ja", "yes")]))
    with pytest.raises(BadRequest, match=r"(?i)Query is too old"):
        await bot.answer_callback_query("nonexistent")
    query_id = sandbox.inject_callback(ALICE, ALICE, msg.message_id, "yes")
    assert await bot.answer_callback_query(query_id, text="Tack!") is True
    with pytest.raises(BadRequest, match=r"(?i)Query is too old and response timeout expired"):
        await bot.answer_callback_query(query_id)
    assert sandbox.callback_answers[query_id]["text"] == "Tack!"
    assert sandbox.callback_answers[query_id]["show_alert"] is False
    with pytest.raises(ValueError, match=r"no button with callback_data 'nope'"):
        sandbox.inject_callback(ALICE, ALICE, msg.message_id, "nope", check=True)
    forged = sandbox.inject_callback(ALICE, ALICE, msg.message_id, "nope")
    assert (await bot.get_updates())[-1].callback_query.data == "nope"
    assert await bot.answer_callback_query(forged) is True


# --------------------------------------------------------------------------- faults


async def test_fault_statuses_map_to_ptb_errors(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.faults.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ALICE, "a")
    assert seconds(caught.value.retry_after) == 7
    sandbox.faults.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await bot.send_message(ALICE, "b")
    sandbox.faults.fail_next("sendMessage", status="drop")
    with pytest.raises(NetworkError):
        await bot.send_message(ALICE, "c")
    # faulted requests leave no trace except in calls
    assert sandbox.messages(ALICE) == []
    assert [c.status for c in sandbox.calls[-3:]] == [429, 502, 0]

    sandbox.faults.fail_next("sendMessage", status="drop_after")
    with pytest.raises(NetworkError):
        await bot.send_message(ALICE, "lost answer")
    assert [m.text for m in sandbox.messages(ALICE)] == ["lost answer"]
    assert sandbox.calls[-1].status == 0
    assert (await bot.send_message(ALICE, "fine")).message_id == 2


async def test_fault_targeting_count_and_rates(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.user(BOB, "Bob")
    sandbox.faults.fail_next("sendmessage", status=500, count=2, chat_id=BOB)
    assert (await bot.send_message(ALICE, "a")).text == "a"
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(BOB, "b")
    assert (await bot.send_message(BOB, "b")).text == "b"

    async def outcomes(seed: int) -> list[int]:
        sandbox.faults.seed(seed)
        sandbox.faults.rates("sendMessage", p_5xx=0.3, p_429=0.3, retry_after=2)
        start = len(sandbox.calls)
        for _ in range(20):
            with contextlib.suppress(NetworkError, RetryAfter):
                await bot.send_message(ALICE, "r")
        return [c.status for c in sandbox.calls[start:]]

    first, second = await outcomes(5), await outcomes(5)
    assert first == second
    assert {200, 429, 502} <= set(first)
    sandbox.faults.clear()
    assert (await bot.send_message(ALICE, "calm")).text == "calm"


async def test_latency_is_added(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.faults.method_latency["sendMessage"] = 0.15
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bot.send_message(ALICE, "slow")
    assert loop.time() - started >= 0.15
    started = loop.time()
    await bot.get_chat(ALICE)
    assert loop.time() - started < 0.15


# --------------------------------------------------------------------------- updates


async def test_get_updates_long_poll_returns_promptly(sandbox: Sandbox, bot: Bot) -> None:
    alice = sandbox.user(ALICE, "Alice")
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await sandbox.wait_for(
        lambda: any(c.method == "getUpdates" and c.status == -1 for c in sandbox.calls)
    )
    started = loop.time()
    update_id = alice.send_nowait("hej")
    updates = await asyncio.wait_for(poll, 5)
    assert loop.time() - started < 1.0
    assert [u.update_id for u in updates] == [update_id]
    assert updates[0].message.text == "hej"
    assert updates[0].message.from_user.language_code == "sv"
    assert sandbox.updates_pending() == 1
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    assert sandbox.updates_pending() == 0


async def test_second_poller_terminates_first_with_conflict(sandbox: Sandbox, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await sandbox.wait_for(lambda: any(c.status == -1 for c in sandbox.calls))
    # a second instance of the same bot starts polling
    async with Bot(SANDBOX_TOKEN, base_url=sandbox.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates request"):
            await asyncio.wait_for(first, 5)
        # the newest poller keeps working
        update_id = sandbox.user(ALICE, "Alice").send_nowait("x")
        assert [u.update_id for u in await other.get_updates(timeout=5)] == [update_id]


async def test_privacy_mode_and_command_entities(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.group(GROUP, "Grannar")
    alice = sandbox.user(ALICE, "Alice")
    assert sandbox.inject_message(ALICE, GROUP, "bara prat") == 0
    assert sandbox.inject_message(ALICE, GROUP, "/rapport@someotherbot") == 0
    assert alice.send_nowait(f"/rapport@{sandbox.bot_username} inbrott", chat_id=GROUP) > 0
    assert sandbox.inject_message(ALICE, ALICE, "privat prat") > 0
    updates = await bot.get_updates()
    command = updates[0].message
    assert command.entities[0].type == MessageEntity.BOT_COMMAND
    assert command.entities[0].offset == 0
    assert command.entities[0].length == len(f"/rapport@{sandbox.bot_username}")
    assert updates[1].message.chat.type == "private"
    sandbox.set_bot_membership(GROUP, "administrator")
    assert sandbox.inject_message(ALICE, GROUP, "admins see everything") > 0


async def test_raw_updates_and_user_side_media(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    raw_id = sandbox.inject_update({"unknown_kind": {"x": 1}})
    photo_id = sandbox.inject_message(ALICE, ALICE, photo=True, caption="Misstänkt bil")
    location_id = sandbox.inject_message(ALICE, ALICE, location=(59.33, 18.06))
    contact_id = sandbox.inject_message(ALICE, ALICE, contact_phone="+46701234567")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [raw_id, photo_id, location_id, contact_id]
    assert updates[0].effective_message is None
    photo = updates[1].message
    assert photo.caption == "Misstänkt bil" and photo.photo[-1].width == 800
    downloaded = await (await bot.get_file(photo.photo[-1].file_id)).download_as_bytearray()
    assert bytes(downloaded).startswith(b"\xff\xd8")
    assert updates[2].message.location.latitude == pytest.approx(59.33)
    assert updates[3].message.contact.user_id == ALICE


async def test_replies_edits_and_deletes_by_users(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.group(GROUP, "Grannar")
    sandbox.user(ALICE, "Alice")
    sandbox.inject_message(ALICE, ALICE, "Jag såg något")
    reply = await bot.send_message(ALICE, "Berätta mer", reply_to_message_id=1)
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "Jag såg något"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(ALICE, "?", reply_to_message_id=99)
    sent = await bot.send_message(
        ALICE, "ok", reply_to_message_id=99, allow_sending_without_reply=True
    )
    assert sent.reply_to_message is None

    edit_id = sandbox.inject_message(ALICE, ALICE, "Jag såg en bil", edited_message_id=1)
    updates = await bot.get_updates()
    edited = next(u for u in updates if u.update_id == edit_id).edited_message
    assert edited.text == "Jag såg en bil" and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=1)

    assert sandbox.inject_message(ALICE, GROUP, "/larm") > 0
    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
        await bot.delete_message(GROUP, 1)
    sandbox.set_bot_membership(GROUP, "administrator")
    assert await bot.delete_message(GROUP, 1) is True


async def test_undelivered_updates_fail_fast(sandbox: Sandbox) -> None:
    sandbox.group(GROUP, "Grannar")
    alice = sandbox.user(ALICE, "Alice")
    with pytest.raises(NotDelivered, match="privacy mode"):
        await alice.send("hej alla", chat_id=GROUP)
    with pytest.raises(TimeoutError, match=r"not met within 0\.05s"):
        await sandbox.wait_for(lambda: False, timeout=0.05)


# --------------------------------------------------------------------------- application


async def test_application_command_handler_replies(sandbox: Sandbox) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.effective_user is not None
        await update.message.reply_text(f"Hej {update.effective_user.first_name}!")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(f"Du skrev: {update.message.text}")

    async def two(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("Ett")
        await asyncio.sleep(0.01)  # the bot works a little between its two answers
        await update.message.reply_text("Två")

    alice = sandbox.user(ALICE, "Alice")
    async with running_app(
        sandbox,
        CommandHandler("start", start),
        CommandHandler("two", two),
        MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
    ):
        reply = await alice.send("/start")
        assert reply.text == "Hej Alice!"
        assert reply.reply_to_message_id is None
        echoed = await alice.send("Det brinner")
        assert echoed.text == "Du skrev: Det brinner"
        assert alice.texts() == ["Hej Alice!", "Du skrev: Det brinner"]
        assert alice.last_text() == "Du skrev: Det brinner"
        assert (await alice.wait_text("brinner")).message_id == echoed.message_id
        # turn-taking: the next send waits for the bot to finish its two-part answer
        assert (await alice.send("/two")).text == "Ett"
        assert (await alice.send("sen")).text == "Du skrev: sen"
        assert alice.texts()[-3:] == ["Ett", "Två", "Du skrev: sen"]
    assert sandbox.updates_pending() == 0


async def test_callback_press_flow(sandbox: Sandbox) -> None:
    async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(
            "Vad vill du göra?",
            reply_markup=keyboard(
                [("Rapportera", "report"), ("Tyst", "quiet")], [("Ignorera", "ignore")]
            ),
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        if query.data == "ignore":
            return  # a bug: the user's app would spin forever
        await query.answer()
        if query.data == "report":
            await query.edit_message_text(f"Tack! ({query.message.text})")

    alice = sandbox.user(ALICE, "Alice")
    async with running_app(sandbox, CommandHandler("meny", menu), CallbackQueryHandler(pressed)):
        shown = await alice.send("/meny")
        assert [t for t, _ in shown.buttons()] == ["Rapportera", "Tyst", "Ignorera"]

        edited = await alice.press("rapport")
        assert edited is not None
        assert edited.message_id == shown.message_id
        assert edited.text == "Tack! (Vad vill du göra?)"
        assert edited.edited and edited.reply_markup is None

        await alice.send("/meny")
        assert await alice.press("quiet") is None
        with pytest.raises(TimeoutError, match=r"(?i)never answered"):
            await alice.press("Ignorera", timeout=0.5)
        with pytest.raises(LookupError, match=r"(?i)no inline button matching"):
            await alice.press("finns inte")
    assert len(sandbox.callback_answers) == 2


async def test_wait_for_message_sees_edits_and_times_out_usefully(
    sandbox: Sandbox, bot: Bot
) -> None:
    sandbox.user(ALICE, "Alice")
    first = await bot.send_message(ALICE, "ett")
    assert (await sandbox.wait_for_message(ALICE)).text == "ett"
    waiter = asyncio.create_task(
        sandbox.wait_for_message(ALICE, after=first.message_id, since_seq=sandbox.seq)
    )
    await bot.edit_message_text("ett (ändrad)", chat_id=ALICE, message_id=first.message_id)
    seen = await asyncio.wait_for(waiter, 5)
    assert (seen.message_id, seen.text, seen.edit_count) == (1, "ett (ändrad)", 1)

    sandbox.faults.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden):
        await bot.send_message(ALICE, "blocked?")
    with pytest.raises(TimeoutError) as caught:
        await sandbox.wait_for_message(ALICE, after=first.message_id, timeout=0.2)
    assert "failed call sendMessage -> 403" in str(caught.value)


# --------------------------------------------------------------------------- files & members


async def test_send_document_and_photo_uploads(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    payload = "Rapport: inbrott på Storgatan\n".encode()
    sent = await bot.send_document(ALICE, payload, filename="rapport.txt", caption="Bifogat")
    assert sent.document.file_name == "rapport.txt"
    assert sent.document.mime_type == "text/plain"
    assert sent.document.file_size == len(payload)
    stored = sandbox.messages(ALICE)[0]
    assert (stored.kind, stored.file_bytes, stored.file_name, stored.text) == (
        "document",
        payload,
        "rapport.txt",
        "Bifogat",
    )
    again = await bot.send_document(ALICE, sent.document.file_id)
    assert again.document.file_unique_id == sent.document.file_unique_id
    assert sandbox.messages(ALICE)[1].file_bytes is None
    with pytest.raises(BadRequest, match=r"(?i)Wrong file identifier"):
        await bot.send_document(ALICE, "not-a-file-id")
    with pytest.raises(BadRequest, match=r"(?i)Image_process_failed"):
        await bot.send_photo(ALICE, b"definitely not an image")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (1600).to_bytes(4, "big") * 2
    photo = await bot.send_photo(ALICE, png, caption="<i>bild</i>", parse_mode="HTML")
    assert photo.photo[-1].width == 1280 and photo.photo[0].width == 90
    assert photo.caption == "bild"
    assert sandbox.messages(ALICE)[-1].file_bytes == png
    with pytest.raises(BadRequest, match=r"(?i)Can't use file of type Photo as Document"):
        await bot.send_document(ALICE, photo.photo[-1].file_id)


async def test_get_chat_member_reflects_membership(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.group(GROUP, "Grannar")
    sandbox.user(ALICE, "Alice")
    assert isinstance(await bot.get_chat_member(GROUP, bot.id), ChatMemberMember)
    sandbox.set_bot_membership(GROUP, "administrator", by_user_id=ALICE)
    admin = await bot.get_chat_member(GROUP, bot.id)
    assert isinstance(admin, ChatMemberAdministrator) and admin.can_delete_messages
    sandbox.set_bot_membership(GROUP, "left")
    assert isinstance(await bot.get_chat_member(GROUP, bot.id), ChatMemberLeft)
    assert isinstance(await bot.get_chat_member(GROUP, ALICE), ChatMemberLeft)
    sandbox.set_member_status(GROUP, ALICE, "creator")
    assert (await bot.get_chat_member(GROUP, ALICE)).status == "creator"
    with pytest.raises(BadRequest, match=r"(?i)User not found"):
        await bot.get_chat_member(GROUP, 5555)

    updates = await bot.get_updates()
    changes = [u.my_chat_member for u in updates]
    assert [(c.old_chat_member.status, c.new_chat_member.status) for c in changes] == [
        ("member", "administrator"),
        ("administrator", "left"),
    ]
    assert changes[0].from_user.id == ALICE
    chat = await bot.get_chat(GROUP)
    assert (chat.type, chat.title) == ("group", "Grannar")


async def test_commands_webhook_and_misc_methods(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.user(ALICE, "Alice")
    await bot.set_my_commands([("start", "Starta"), ("rapport", "Rapportera")])
    await bot.set_my_commands([("start", "Start")], language_code="en")
    assert [c.command for c in await bot.get_my_commands()] == ["start", "rapport"]
    assert sandbox.commands[('{"type":"default"}', "en")] == [
        {"command": "start", "description": "Start"}
    ]
    with pytest.raises(BadRequest, match=r"(?i)Bot_command_invalid"):
        await bot.set_my_commands([("Start", "versaler")])
    await bot.delete_my_commands(language_code="en")
    assert ('{"type":"default"}', "en") not in sandbox.commands

    assert await bot.send_chat_action(ALICE, "typing") is True
    with pytest.raises(BadRequest, match=r"(?i)An https url must be provided"):
        await bot.set_webhook("http://example.com/hook")
    assert await bot.set_webhook("https://example.com/hook", secret_token="s3cret") is True
    assert sandbox.webhook is not None and sandbox.webhook["secret_token"] == "s3cret"
    assert (await bot.get_webhook_info()).url == "https://example.com/hook"
    with pytest.raises(Conflict, match=r"(?i)webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook() is True
    assert sandbox.webhook is None
    assert await bot.log_out() is True and await bot.close() is True


# --------------------------------------------------------------------------- control surface


async def test_control_http_endpoints(sandbox: Sandbox, bot: Bot) -> None:
    root = sandbox.base_url.removesuffix("/bot") + "/sandbox"
    async with httpx.AsyncClient() as client:
        created = await client.post(f"{root}/user", json={"user_id": BOB, "first_name": "Bob"})
        assert created.json() == {"ok": True, "result": {"user_id": BOB, "chat_id": BOB}}
        many = [{"user_id": uid, "first_name": f"Boende {uid}"} for uid in range(5000, 5100)]
        assert (await client.post(f"{root}/users", json={"users": many})).json()["result"] == 100
        assert (await bot.send_message(5099, "hej")).chat.first_name == "Boende 5099"
        group = await client.post(f"{root}/group", json={"chat_id": GROUP, "title": "Grannar"})
        assert group.json()["result"]["type"] == "group"
        injected = await client.post(
            f"{root}/message", json={"from_user_id": BOB, "text": "/start"}
        )
        update_id = injected.json()["result"]["update_id"]
        updates = await bot.get_updates()
        assert [u.update_id for u in updates] == [update_id]

        await bot.send_message(BOB, "Hej Bob", reply_markup=keyboard([("OK", "ok")]))
        listed = (await client.get(f"{root}/messages", params={"chat_id": BOB})).json()["result"]
        assert [(m["text"], m["buttons"]) for m in listed] == [("Hej Bob", [["OK", "ok"]])]
        pressed = await client.post(
            f"{root}/callback",
            json={"from_user_id": BOB, "message_id": listed[0]["message_id"], "data": "ok"},
        )
        assert pressed.json()["ok"] is True

        calls = await client.get(f"{root}/calls", params={"method": "sendMessage"})
        assert [c["status"] for c in calls.json()["result"]["calls"]] == [200, 200]
        faulted = await client.post(
            f"{root}/faults", json={"fail_next": {"status": 429, "retry_after": 3}}
        )
        assert faulted.json()["result"]["fail_next"]["sendmessage"][0]["status"] == 429
        with pytest.raises(RetryAfter):
            await bot.send_message(BOB, "x")
        await client.post(f"{root}/block", json={"chat_id": BOB})
        with pytest.raises(Forbidden):
            await bot.send_message(BOB, "x")
        bad = await client.post(f"{root}/message", json={"from_user_id": 42, "text": "hi"})
        assert bad.status_code == 400 and bad.json()["ok"] is False
        state = (await client.get(f"{root}/state")).json()["result"]
        assert state["bot_messages"] == 2


async def test_standalone_process_serves_until_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        assert line.startswith("base_url=http://127.0.0.1:")
        base_url = line.removeprefix("base_url=")
        async with httpx.AsyncClient() as client:
            reply = await client.get(f"{base_url}{SANDBOX_TOKEN}/getMe")
        assert reply.json()["result"]["username"] == "grannbot_sandbox_bot"
    finally:
        if process.returncode is None:
            process.terminate()
        code = await asyncio.wait_for(process.wait(), 10)
    assert code == 0
