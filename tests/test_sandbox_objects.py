"""Every object the sandbox returns has the shape the Bot API spec gives it: every required
field present, no field the spec does not define, and PTB parses it.

The field lists in data/bot_api_fields.json were taken from the Bot API spec (the version is
named in the file), for the object types the sandbox returns."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import telegram
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonWebApp, WebAppInfo

from bot.sandbox import SANDBOX_TOKEN, Sandbox

SPEC: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "bot_api_fields.json").read_text(encoding="utf-8")
)["types"]
ALICE = 1001
BOB = 1002
CAROL = 1003
GROUP = -4001
SUPERGROUP = -1001234567890
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") * 2
KEYBOARD = {"inline_keyboard": [[{"text": "Ja", "callback_data": "ja"}]]}
_MEMBER_TYPES = {
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "restricted": "ChatMemberRestricted",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
}
_MENU_TYPES = {
    "default": "MenuButtonDefault",
    "commands": "MenuButtonCommands",
    "web_app": "MenuButtonWebApp",
}


def variant(union: str, value: dict) -> str:
    """The concrete type of a union object, told apart the way the spec describes."""
    if union == "ChatMember":
        return _MEMBER_TYPES[value["status"]]
    if union == "MenuButton":
        return _MENU_TYPES[value["type"]]
    if union == "MaybeInaccessibleMessage":
        return "InaccessibleMessage" if value["date"] == 0 else "Message"
    raise AssertionError(f"no rule for the union {union}")


def shape_errors(value: Any, type_name: str, path: str, seen: set[str]) -> list[str]:
    """Where ``value`` differs from the spec's ``type_name``: missing required fields and
    fields the spec does not define, in nested objects too."""
    if type_name.startswith("Array of "):
        inner = type_name.removeprefix("Array of ")
        if not isinstance(value, list):
            return [f"{path}: expected an array of {inner}"]
        return [
            error
            for index, item in enumerate(value)
            for error in shape_errors(item, inner, f"{path}[{index}]", seen)
        ]
    if not isinstance(value, dict):
        return [f"{path}: expected a {type_name} object"]
    if "subtypes" in SPEC[type_name]:
        type_name = variant(type_name, value)
    seen.add(type_name)
    entry = SPEC[type_name]
    known = set(entry["required"]) | set(entry["optional"])
    errors = [f"{path}.{name}: required in {type_name}" for name in entry["required"]]
    errors = [e for e, name in zip(errors, entry["required"], strict=True) if name not in value]
    errors += [f"{path}.{name}: not a field of {type_name}" for name in value if name not in known]
    for name, inner in entry.get("objects", {}).items():
        if name in value:
            errors += shape_errors(value[name], inner, f"{path}.{name}", seen)
    return errors


def parse_with_ptb(value: Any, type_name: str, bot: Bot) -> None:
    """PTB refuses an object that lacks a field it needs; unions pick their class."""
    if type_name.startswith("Array of "):
        for item in value:
            parse_with_ptb(item, type_name.removeprefix("Array of "), bot)
        return
    cls = getattr(telegram, type_name)
    parsed = cls.de_json(dict(value), bot)
    assert parsed is not None, type_name


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    tg_bot = Bot(SANDBOX_TOKEN, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url)
    async with tg_bot:
        yield tg_bot


class Recorder:
    """Calls Bot API methods over plain HTTP and keeps each result with its spec type."""

    def __init__(self, sandbox: Sandbox, client: httpx.AsyncClient) -> None:
        self.base = f"{sandbox.base_url}{SANDBOX_TOKEN}"
        self.client = client
        self.results: list[tuple[str, str, Any]] = []

    async def __call__(self, type_name: str, method: str, **params: Any) -> Any:
        reply = await self.client.post(f"{self.base}/{method}", json=params)
        body = reply.json()
        assert body["ok"], (method, body)
        self.results.append((f"{method}({params})", type_name, body["result"]))
        return body["result"]


async def every_kind_of_object(sandbox: Sandbox, call: Recorder) -> None:
    """Make the sandbox return each object type it can return, in each of its forms."""
    sandbox.user(ALICE, "Alice", last_name="Andersson", username="alice_a")
    sandbox.user(BOB, "Bob", language_code="en")
    sandbox.user(CAROL, "Carol")
    sandbox.group(GROUP, "Grannar Norr")
    sandbox.group(SUPERGROUP, "Grannar Söder", username="grannar_soder")
    sandbox.set_member_status(GROUP, ALICE, "creator")
    sandbox.set_member_status(GROUP, BOB, "administrator")
    sandbox.set_member_status(SUPERGROUP, BOB, "restricted")
    sandbox.set_member_status(SUPERGROUP, CAROL, "kicked")
    sandbox.set_member_status(SUPERGROUP, ALICE, "member")

    await call("User", "getMe")
    text = await call(
        "Message",
        "sendMessage",
        chat_id=ALICE,
        text="<b>Larm</b> i Centrum, se https://polisen.se",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    sandbox.inject_message(ALICE, ALICE, "Jag såg något")
    await call(
        "Message",
        "sendMessage",
        chat_id=ALICE,
        text="Tack",
        reply_parameters={"message_id": 2},
    )
    await call("Message", "sendMessage", chat_id=GROUP, text="Möte i kväll")
    await call("Message", "sendMessage", chat_id=SUPERGROUP, text="Möte i morgon")
    photo = await call("Message", "sendPhoto", chat_id=ALICE, photo="https://example.com/a.jpg")
    document = await call(
        "Message", "sendDocument", chat_id=ALICE, document="https://example.com/rapport.pdf"
    )
    await call("Message", "sendLocation", chat_id=ALICE, latitude=59.3, longitude=18.06)
    await call(
        "Message",
        "editMessageText",
        chat_id=ALICE,
        message_id=text["message_id"],
        text="Larm i Centrum (uppdaterat)",
        reply_markup=KEYBOARD,
    )
    await call(
        "Message",
        "editMessageCaption",
        chat_id=ALICE,
        message_id=photo["message_id"],
        caption="_bild_",
        parse_mode="Markdown",
    )
    await call("Message", "editMessageReplyMarkup", chat_id=ALICE, message_id=text["message_id"])
    await call("File", "getFile", file_id=photo["photo"][-1]["file_id"])
    await call("File", "getFile", file_id=document["document"]["file_id"])

    for chat_id in (ALICE, GROUP, SUPERGROUP):
        await call("ChatFullInfo", "getChat", chat_id=chat_id)
    for chat_id, user_id in [
        (GROUP, ALICE),
        (GROUP, BOB),
        (GROUP, sandbox.bot_id),
        (SUPERGROUP, BOB),
        (SUPERGROUP, CAROL),
        (SUPERGROUP, ALICE),
        (GROUP, CAROL),
        (ALICE, ALICE),
    ]:
        await call("ChatMember", "getChatMember", chat_id=chat_id, user_id=user_id)
    await call("Array of ChatMember", "getChatAdministrators", chat_id=GROUP)

    await call("WebhookInfo", "getWebhookInfo")
    await call("Boolean", "setWebhook", url="https://example.com/hook", allowed_updates=["message"])
    await call("WebhookInfo", "getWebhookInfo")
    await call("Boolean", "deleteWebhook")
    await call("Boolean", "setMyCommands", commands=[{"command": "start", "description": "Start"}])
    await call("Array of BotCommand", "getMyCommands")
    await call("Boolean", "setMyDescription", description="Grannsamverkan")
    await call("BotDescription", "getMyDescription")
    await call("BotShortDescription", "getMyShortDescription")
    await call("BotName", "getMyName")
    for button in (
        None,
        {"type": "commands"},
        {"type": "web_app", "text": "Karta", "web_app": {"url": "https://example.com/karta"}},
    ):
        if button is not None:
            await call("Boolean", "setChatMenuButton", chat_id=ALICE, menu_button=button)
        await call("MenuButton", "getChatMenuButton", chat_id=ALICE)

    # what users do: every kind of update the sandbox produces
    sandbox.inject_message(ALICE, ALICE, "Jag såg en bil", edited_message_id=2)
    sandbox.inject_message(ALICE, ALICE, photo=True, caption="Bilen #ABC123")
    sandbox.inject_message(ALICE, ALICE, location=(59.3, 18.06))
    sandbox.inject_message(ALICE, ALICE, contact_phone="+46701234567")
    sandbox.inject_message(BOB, GROUP, f"/rapport@{sandbox.bot_username}", reply_to=None)
    sandbox.inject_callback(ALICE, ALICE, text["message_id"], "ja")
    sandbox.inject_callback(ALICE, ALICE, 999, "gammal")  # a message the bot cannot access
    sandbox.set_bot_membership(SUPERGROUP, "administrator", by_user_id=ALICE)
    sandbox.set_bot_membership(SUPERGROUP, "restricted")
    sandbox.block(CAROL)
    sandbox.migrate_group(GROUP)
    await call("Array of Update", "getUpdates", timeout=0)


async def test_every_object_has_the_fields_the_spec_requires(sandbox: Sandbox, bot: Bot) -> None:
    async with httpx.AsyncClient() as client:
        call = Recorder(sandbox, client)
        await every_kind_of_object(sandbox, call)

    seen: set[str] = set()
    errors: list[str] = []
    for where, type_name, result in call.results:
        if type_name == "Boolean":
            assert result is True, where
            continue
        errors += [f"{where}: {e}" for e in shape_errors(result, type_name, "", seen)]
        try:
            parse_with_ptb(result, type_name, bot)
        except (TypeError, KeyError) as exc:
            errors.append(f"{where}: PTB cannot parse it: {exc}")
    assert errors == []
    # each concrete type in the data file was returned at least once
    concrete = {name for name, entry in SPEC.items() if "subtypes" not in entry}
    assert concrete - seen == set()


def test_the_checker_finds_gaps_and_strangers() -> None:
    """The shape check itself: it must notice what is missing and what is invented."""
    member = {"status": "restricted", "user": {"id": 1, "is_bot": False, "first_name": "A"}}
    errors = shape_errors(member, "ChatMember", "", set())
    assert ".can_react_to_messages: required in ChatMemberRestricted" in errors
    message = {
        "message_id": 1,
        "date": 1,
        "chat": {"id": 1, "type": "private", "nickname": "x"},
        "from": {"id": 1, "first_name": "A"},
    }
    assert sorted(shape_errors(message, "Message", "", set())) == [
        ".chat.nickname: not a field of Chat",
        ".from.is_bot: required in User",
    ]
    with pytest.raises(TypeError):
        parse_with_ptb(member, "ChatMember", Bot("1:x"))


async def test_ptb_bot_calls_parse_what_the_sandbox_returns(sandbox: Sandbox, bot: Bot) -> None:
    """The same objects through PTB's own methods, as the bot receives them."""
    sandbox.user(ALICE, "Alice")
    sandbox.group(SUPERGROUP, "Grannar Söder")
    sandbox.user(BOB, "Bob")
    sandbox.set_member_status(SUPERGROUP, BOB, "restricted")
    restricted = await bot.get_chat_member(SUPERGROUP, BOB)
    assert isinstance(restricted, telegram.ChatMemberRestricted)
    assert restricted.can_send_messages is False
    sandbox.set_bot_membership(SUPERGROUP, "restricted")
    update = (await bot.get_updates())[-1]
    assert update.my_chat_member is not None
    assert isinstance(update.my_chat_member.new_chat_member, telegram.ChatMemberRestricted)

    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="ja")]])
    sent = await bot.send_photo(ALICE, PNG, caption="Bil", reply_markup=keyboard)
    assert sent.photo[-1].width == 640 and sent.reply_markup == keyboard
    file = await bot.get_file(sent.photo[-1].file_id)
    assert file.file_size == len(PNG)
    assert isinstance(await bot.get_chat(SUPERGROUP), telegram.ChatFullInfo)
    web_app = MenuButtonWebApp("Karta", WebAppInfo("https://example.com/karta"))
    assert await bot.set_chat_menu_button(ALICE, web_app)
    assert await bot.get_chat_menu_button(ALICE) == web_app
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("", sandbox.updates_pending())
