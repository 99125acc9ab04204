"""Groups in the sandbox behave like Telegram's: a basic group migrates to a supergroup with a
new id, and a group's permissions decide per content type what a non-admin bot may send."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner, Message, Update
from telegram.error import BadRequest, ChatMigrated
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.sandbox import SANDBOX_TOKEN, Sandbox

ALICE = 1001
BOB = 1002
GROUP = -4001
SUPERGROUP = -1001234567890
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    tg_bot = Bot(SANDBOX_TOKEN, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url)
    async with tg_bot:
        yield tg_bot


def neighbourhood(sandbox: Sandbox) -> None:
    """Alice created the group, Bob is a member, the bot is a plain member."""
    sandbox.user(ALICE, "Alice")
    sandbox.user(BOB, "Bob")
    sandbox.group(GROUP, "Grannar Norr")
    sandbox.set_member_status(GROUP, ALICE, "creator")
    sandbox.set_member_status(GROUP, BOB, "member")


async def raw(sandbox: Sandbox, method: str, **params: object) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(f"{sandbox.base_url}{SANDBOX_TOKEN}/{method}", json=params)


# --------------------------------------------------------------------------- migration


async def test_migration_announces_itself_in_both_chats(sandbox: Sandbox, bot: Bot) -> None:
    neighbourhood(sandbox)
    before = await bot.send_message(GROUP, "Möte i kväll")
    new_id = sandbox.migrate_group(GROUP)

    assert new_id <= -1_000_000_000_000 and str(new_id).startswith("-100")
    updates = await bot.get_updates()
    assert len(updates) == 2
    old_notice, new_notice = (u.message for u in updates)
    # the bot is no admin and privacy mode is on: service messages still reach it
    assert (old_notice.chat.id, old_notice.chat.type) == (GROUP, "group")
    assert old_notice.migrate_to_chat_id == new_id
    assert old_notice.from_user is not None and old_notice.from_user.id == ALICE
    assert old_notice.message_id == before.message_id + 1
    assert (new_notice.chat.id, new_notice.chat.type) == (new_id, "supergroup")
    assert new_notice.chat.title == "Grannar Norr"
    assert new_notice.migrate_from_chat_id == GROUP
    assert new_notice.sender_chat is not None and new_notice.sender_chat.id == new_id
    assert new_notice.from_user is not None and new_notice.from_user.username == (
        "GroupAnonymousBot"
    )
    assert new_notice.message_id == 1


async def test_old_id_raises_chat_migrated_everywhere_but_get_chat(
    sandbox: Sandbox, bot: Bot
) -> None:
    neighbourhood(sandbox)
    sent = await bot.send_message(GROUP, "Möte i kväll")
    new_id = sandbox.migrate_group(GROUP)

    attempts = [
        bot.send_message(GROUP, "hej"),
        bot.send_photo(GROUP, PNG),
        bot.send_document(GROUP, b"x", filename="a.txt"),
        bot.send_location(GROUP, 59.3, 18.0),
        bot.send_chat_action(GROUP, "typing"),
        bot.edit_message_text("ändrad", chat_id=GROUP, message_id=sent.message_id),
        bot.delete_message(GROUP, sent.message_id),
        bot.get_chat_member(GROUP, ALICE),
        bot.get_chat_administrators(GROUP),
        bot.leave_chat(GROUP),
    ]
    for attempt in attempts:
        with pytest.raises(ChatMigrated) as caught:
            await attempt
        assert caught.value.new_chat_id == new_id
        # ChatMigrated is not a BadRequest: a bot catching only BadRequest misses it
        assert not isinstance(caught.value, BadRequest)
    assert [m.text for m in sandbox.messages(GROUP)] == ["Möte i kväll"]

    reply = await raw(sandbox, "sendMessage", chat_id=GROUP, text="hej")
    assert reply.status_code == 400
    assert reply.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": new_id},
    }
    # reading the old group still works on Telegram (read access is not write access)
    old = await bot.get_chat(GROUP)
    assert (old.id, old.type) == (GROUP, "group")
    assert (await bot.get_chat_member(GROUP, bot.id)).status == "member"


async def test_the_supergroup_keeps_title_members_and_bot_rights(
    sandbox: Sandbox, bot: Bot
) -> None:
    neighbourhood(sandbox)
    sandbox.set_bot_membership(GROUP, "administrator", notify=False)
    sandbox.set_permissions(GROUP, can_send_photos=False)
    new_id = sandbox.migrate_group(GROUP)

    chat = await bot.get_chat(new_id)
    assert (chat.type, chat.title) == ("supergroup", "Grannar Norr")
    assert chat.permissions is not None and chat.permissions.can_send_photos is False
    assert isinstance(await bot.get_chat_member(new_id, bot.id), ChatMemberAdministrator)
    assert isinstance(await bot.get_chat_member(new_id, ALICE), ChatMemberOwner)
    assert (await bot.get_chat_member(new_id, BOB)).status == "member"
    assert await bot.get_chat_member_count(new_id) == 3
    sent = await bot.send_message(new_id, "Välkomna till supergruppen")
    assert sent.chat.id == new_id and sent.chat.type == "supergroup"
    assert [m.text for m in sandbox.messages(new_id)] == ["Välkomna till supergruppen"]

    # users go on talking in the new chat; the old one takes no messages any more
    update_id = sandbox.inject_message(BOB, new_id, "Jag såg en bil")
    assert update_id > 0  # the bot is an admin there, so it sees every message
    updates = await bot.get_updates()
    assert updates[-1].message.chat.id == new_id and updates[-1].message.text == "Jag såg en bil"
    with pytest.raises(ValueError, match="became supergroup"):
        sandbox.inject_message(BOB, GROUP, "hallå?")
    with pytest.raises(ValueError, match="already became supergroup"):
        sandbox.migrate_group(GROUP)
    with pytest.raises(ValueError, match="only basic groups migrate"):
        sandbox.migrate_group(new_id)


async def test_application_sees_both_migration_messages(sandbox: Sandbox) -> None:
    neighbourhood(sandbox)
    seen: list[tuple[int, int | None, int | None]] = []

    async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert isinstance(message, Message)
        seen.append((message.chat.id, message.migrate_to_chat_id, message.migrate_from_chat_id))

    app = (
        ApplicationBuilder()
        .token(SANDBOX_TOKEN)
        .base_url(sandbox.base_url)
        .base_file_url(sandbox.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=5)
        try:
            new_id = sandbox.migrate_group(GROUP)
            await sandbox.wait_for(lambda: len(seen) == 2)
        finally:
            await app.updater.stop()
            await app.stop()
    assert seen == [(GROUP, new_id, None), (new_id, None, GROUP)]


async def test_migration_over_the_control_route(sandbox: Sandbox, bot: Bot) -> None:
    neighbourhood(sandbox)
    root = sandbox.base_url.removesuffix("/bot") + "/sandbox"
    async with httpx.AsyncClient() as client:
        moved = await client.post(f"{root}/migrate", json={"chat_id": GROUP, "by_user_id": BOB})
        again = await client.post(f"{root}/migrate", json={"chat_id": GROUP})
    new_id = moved.json()["result"]["chat_id"]
    assert new_id <= -1_000_000_000_000
    assert again.status_code == 400 and "already became supergroup" in again.json()["description"]
    with pytest.raises(ChatMigrated):
        await bot.send_message(GROUP, "hej")
    notice = (await bot.get_updates())[0].message
    assert notice.from_user is not None and notice.from_user.id == BOB


# --------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("chat_id", [GROUP, SUPERGROUP])
async def test_text_only_group_refuses_photos_and_documents(
    sandbox: Sandbox, bot: Bot, chat_id: int
) -> None:
    sandbox.group(chat_id, "Grannar")
    sandbox.set_permissions(chat_id, can_send_photos=False, can_send_documents=False)

    assert (await bot.send_message(chat_id, "Bara text här")).text == "Bara text här"
    assert (await bot.send_location(chat_id, 59.3, 18.0)).location is not None
    photo = await raw(sandbox, "sendPhoto", chat_id=chat_id, photo="https://example.com/a.jpg")
    document = await raw(
        sandbox, "sendDocument", chat_id=chat_id, document="https://example.com/a.pdf"
    )
    assert (photo.status_code, photo.json()["description"]) == (
        400,
        "Bad Request: not enough rights to send photos to the chat",
    )
    assert (document.status_code, document.json()["description"]) == (
        400,
        "Bad Request: not enough rights to send documents to the chat",
    )
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to send photos"):
        await bot.send_photo(chat_id, PNG, caption="Bil")
    assert [m.kind for m in sandbox.messages(chat_id)] == ["text", "location"]

    chat = await bot.get_chat(chat_id)
    assert chat.permissions is not None
    assert (chat.permissions.can_send_photos, chat.permissions.can_send_documents) == (
        False,
        False,
    )
    assert chat.permissions.can_send_messages is True


async def test_no_messages_means_no_text_and_no_locations(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.group(GROUP, "Tyst grupp")
    sandbox.set_permissions(GROUP, can_send_messages=False)
    text = await raw(sandbox, "sendMessage", chat_id=GROUP, text="hej")
    location = await raw(sandbox, "sendLocation", chat_id=GROUP, latitude=59.3, longitude=18.0)
    assert text.json()["description"] == (
        "Bad Request: not enough rights to send text messages to the chat"
    )
    assert location.json()["description"] == (
        "Bad Request: not enough rights to send locations to the chat"
    )
    # photos are their own right
    assert (await bot.send_photo(GROUP, PNG)).photo
    # invalid input is refused for what it is before the rights are looked at
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(GROUP, " ")

    # administrators are not bound by the group's permissions
    sandbox.set_bot_membership(GROUP, "administrator", notify=False)
    assert (await bot.send_message(GROUP, "Admin talar")).text == "Admin talar"
    sandbox.set_permissions(GROUP, can_send_messages=True)
    sandbox.set_bot_membership(GROUP, "member", notify=False)
    assert (await bot.send_message(GROUP, "Nu får alla")).text == "Nu får alla"


async def test_members_are_bound_by_the_permissions_too(sandbox: Sandbox) -> None:
    neighbourhood(sandbox)
    sandbox.set_permissions(GROUP, can_send_photos=False)
    with pytest.raises(ValueError, match="does not allow its members to send photos"):
        sandbox.inject_message(BOB, GROUP, photo=True)
    # the creator may, and text is still allowed for everyone
    sandbox.inject_message(ALICE, GROUP, photo=True, caption="/rapport")
    sandbox.inject_message(BOB, GROUP, "/rapport")


def test_permission_names_are_checked(sandbox: Sandbox) -> None:
    sandbox.user(ALICE, "Alice")
    sandbox.group(GROUP, "Grannar")
    with pytest.raises(ValueError, match="not ChatPermissions fields"):
        sandbox.set_permissions(GROUP, can_send_pictures=False)
    with pytest.raises(ValueError, match="True or False"):
        sandbox.set_permissions(GROUP, can_send_photos="no")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="private chats"):
        sandbox.set_permissions(ALICE, can_send_photos=False)
    current = sandbox.set_permissions(GROUP, can_send_polls=False)
    assert current["can_send_polls"] is False and current["can_send_messages"] is True


async def test_permissions_over_the_control_route(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.group(GROUP, "Grannar")
    root = sandbox.base_url.removesuffix("/bot") + "/sandbox"
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            f"{root}/permissions", json={"chat_id": GROUP, "can_send_documents": False}
        )
    assert reply.json()["result"]["can_send_documents"] is False
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to send documents"):
        await bot.send_document(GROUP, b"rapport", filename="r.txt")


def test_only_supergroups_have_restricted_members(sandbox: Sandbox) -> None:
    neighbourhood(sandbox)
    sandbox.group(SUPERGROUP, "Grannar Söder")
    with pytest.raises(ValueError, match="only supergroups have restricted members"):
        sandbox.set_member_status(GROUP, BOB, "restricted")
    with pytest.raises(ValueError, match="only supergroups have restricted members"):
        sandbox.set_bot_membership(GROUP, "restricted")
    sandbox.set_member_status(SUPERGROUP, BOB, "restricted")
    sandbox.set_bot_membership(SUPERGROUP, "restricted")
