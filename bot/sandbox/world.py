"""The user side of the sandbox: registering users, blocking the bot, and injecting the
updates Telegram would send the bot (messages, edits, button presses, raw updates)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .client import SandboxUser
from .formatting import detect_entities
from .objects import SAMPLE_JPEG, chat_member, image_size, user_json
from .params import CONTENT_RIGHTS
from .state import _Chat, _Signal

__all__ = ["UserSide"]

_ADMINS = ("creator", "administrator")


class UserSide:
    """Mixin for `Sandbox`: everything a test does on behalf of users."""

    # provided by Sandbox / the method mixins
    bot_id: int
    bot_username: str
    privacy_mode: bool
    _bot_user: dict
    _chats: dict[int, _Chat]
    _users: dict[int, dict]
    _handles: dict[int, SandboxUser]
    _callbacks: dict[str, dict]
    _callback_serial: int
    _next_update_id: int
    _updates: deque[tuple[int, dict]]
    _changed: _Signal
    _updates_signal: _Signal
    last_undelivered: str | None

    _enqueue: Callable[[str, dict], int]
    _photo_set: Callable[[bytes | None, int, int], list[dict]]

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str = "sv",
        last_name: str | None = None,
        username: str | None = None,
    ) -> SandboxUser:
        """Register a user who has started the bot (a private chat with id == user_id)."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        if user_id == self.bot_id:
            raise ValueError("that id belongs to the bot")
        data = user_json(
            user_id,
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self._users[user_id] = data
        chat_json: dict[str, Any] = {"id": user_id, "first_name": first_name}
        if last_name:
            chat_json["last_name"] = last_name
        if username:
            chat_json["username"] = username
        chat_json["type"] = "private"
        chat = self._chats.get(user_id)
        if chat is None:
            self._chats[user_id] = _Chat(user_id, "private", chat_json)
        else:
            chat.json = chat_json
        # keep one handle per user so its "since my last message" marks survive
        handle = self._handles.get(user_id)
        if handle is None:
            handle = self._handles[user_id] = SandboxUser(self, user_id, first_name)
        handle.first_name = first_name
        return handle

    def _known_chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}; register it with user() or group() first")
        return chat

    def _known_user(self, user_id: int) -> dict:
        user = self._users.get(user_id)
        if user is None:
            raise KeyError(f"unknown user {user_id}; register it with sandbox.user() first")
        return user

    def _member_update(self, chat: _Chat, actor: dict, old: str, new: str) -> int:
        payload = {
            "chat": chat.json,
            "from": actor,
            "date": int(time.time()),
            "old_chat_member": chat_member(self._bot_user, old),
            "new_chat_member": chat_member(self._bot_user, new),
        }
        return self._enqueue("my_chat_member", payload)

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: sends fail with 403 and a my_chat_member update arrives."""
        chat = self._known_chat(chat_id)
        if chat.type != "private":
            raise ValueError("only private chats can block the bot")
        if not chat.blocked:
            chat.blocked = True
            self._member_update(chat, self._users[chat_id], "member", "kicked")

    def unblock(self, chat_id: int) -> None:
        """The user unblocks the bot again."""
        chat = self._known_chat(chat_id)
        if chat.type != "private":
            raise ValueError("only private chats can block the bot")
        if chat.blocked:
            chat.blocked = False
            self._member_update(chat, self._users[chat_id], "kicked", "member")

    def _addressed_to_bot(self, data: dict) -> bool:
        """Would a bot in privacy mode receive this group message?"""
        reply = data.get("reply_to_message")
        if reply and reply.get("from", {}).get("id") == self.bot_id:
            return True
        text = data.get("text") or data.get("caption") or ""
        entities = data.get("entities") or data.get("caption_entities") or []
        me = "@" + self.bot_username.lower()
        for entity in entities:
            piece = text[entity["offset"] : entity["offset"] + entity["length"]].lower()
            if entity["type"] == "bot_command" and ("@" not in piece or piece.endswith(me)):
                return True
            if entity["type"] == "mention" and piece == me:
                return True
        return False

    def _deliver(self, chat: _Chat, kind: str, data: dict) -> int:
        if (
            chat.type != "private"
            and self.privacy_mode
            and chat.bot_status not in ("administrator", "creator")
            and not self._addressed_to_bot(data)
        ):
            chat.undelivered = self.last_undelivered = (
                f"message {data['message_id']} in chat {chat.id} was not delivered to the bot: "
                "privacy mode only passes commands, replies to the bot and mentions of it"
            )
            self._changed.fire()
            return 0
        chat.undelivered = None
        return self._enqueue(kind, data)

    def inject_message(
        self,
        from_user_id: int,
        chat_id: int,
        text: str | None = None,
        *,
        photo: bool | bytes = False,
        location: tuple[float, float] | None = None,
        caption: str | None = None,
        contact_phone: str | None = None,
        edited_message_id: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        """Queue a message (or edited_message) update from a user; returns its update_id,
        or 0 if Telegram would not deliver it (privacy mode, allowed_updates)."""
        user = self._known_user(from_user_id)
        chat = self._known_chat(chat_id)
        if chat.type == "private":
            if chat_id != from_user_id:
                raise ValueError("in a private chat the sender is the chat's user")
            # writing to a blocked bot unblocks it, as the Telegram apps do
            if chat.blocked:
                self.unblock(chat_id)
        else:
            if chat.migrated_to is not None:
                raise ValueError(f"chat {chat_id} became supergroup {chat.migrated_to}")
            if chat.bot_status in ("left", "kicked"):
                raise ValueError(f"the bot is not in chat {chat_id} ({chat.bot_status})")
            chat.members.setdefault(from_user_id, "member")
            if edited_message_id is None and chat.members[from_user_id] not in _ADMINS:
                if photo is not False:
                    content = "photo"
                elif location is not None:
                    content = "location"
                elif contact_phone is not None:
                    content = "contact"
                else:
                    content = "text"
                permission, what = CONTENT_RIGHTS[content]
                if not chat.permissions.get(permission, True):
                    raise ValueError(f"chat {chat_id} does not allow its members to send {what}")
        now = int(time.time())
        if edited_message_id is not None:
            old = chat.messages.get(edited_message_id)
            if old is None or old.get("from", {}).get("id") != from_user_id:
                # an older message the sandbox never saw (e.g. sent before the bot started)
                old = {
                    "message_id": edited_message_id,
                    "from": user,
                    "chat": chat.json,
                    "date": now,
                    "text": "",
                }
            data = {k: v for k, v in old.items() if k not in ("entities", "caption_entities")}
            data["edit_date"] = now
            if "text" in old:
                data["text"] = text if text is not None else old["text"]
            elif caption is not None or text is not None:
                data["caption"] = caption if caption is not None else text
            self._add_detected(data)
            if chat.messages.get(edited_message_id, old).get("from", {}).get("id") == from_user_id:
                chat.messages[edited_message_id] = data
            return self._deliver(chat, "edited_message", data)
        message_id = chat.next_message_id
        chat.next_message_id += 1
        data = {"message_id": message_id, "from": user, "chat": chat.json, "date": now}
        if reply_to is not None:
            target = chat.messages.get(reply_to)
            if target is None:
                raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
            data["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
        if photo is not False:
            payload = photo if isinstance(photo, bytes) else SAMPLE_JPEG
            width, height = image_size(payload) or (800, 600)
            data["photo"] = self._photo_set(payload, width, height)
            caption = caption if caption is not None else text
            if caption:
                data["caption"] = caption
        elif location is not None:
            data["location"] = {"latitude": float(location[0]), "longitude": float(location[1])}
        elif contact_phone is not None:
            contact = {"phone_number": contact_phone, "first_name": user["first_name"]}
            if "last_name" in user:
                contact["last_name"] = user["last_name"]
            contact["user_id"] = from_user_id
            data["contact"] = contact
        else:
            if not text:
                raise ValueError("a message needs text, photo, location or contact_phone")
            data["text"] = text
        self._add_detected(data)
        chat.messages[message_id] = data
        return self._deliver(chat, "message", data)

    @staticmethod
    def _add_detected(data: dict) -> None:
        if "text" in data:
            entities = detect_entities(data["text"])
            if entities:
                data["entities"] = entities
        elif data.get("caption"):
            entities = detect_entities(data["caption"])
            if entities:
                data["caption_entities"] = entities

    def inject_callback(
        self, from_user_id: int, chat_id: int, message_id: int, data: str, *, check: bool = False
    ) -> str:
        """Queue a callback_query for a button press; returns the callback query id. The bot
        can answer it once, within `callback_timeout` seconds of the press.

        ``data`` is sent as given, so forged or stale button data can be tested. With
        ``check=True`` the message must be the bot's and carry a button with exactly this
        callback_data (`SandboxUser.press` only ever presses real buttons).
        """
        user = self._known_user(from_user_id)
        chat = self._known_chat(chat_id)
        if chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} became supergroup {chat.migrated_to}")
        msg = chat.bot_messages.get(message_id)
        if check:
            if msg is None or msg.deleted:
                raise ValueError(f"the bot has no live message {message_id} in chat {chat_id}")
            inline = (msg.reply_markup or {}).get("inline_keyboard") or []
            if data not in [button.get("callback_data") for row in inline for button in row]:
                raise ValueError(
                    f"message {message_id} has no button with callback_data {data!r}; "
                    f"buttons: {msg.buttons()}"
                )
        message = chat.messages.get(message_id)
        if message is None:
            # what Telegram sends for a message the bot can no longer access
            message = {"chat": chat.json, "message_id": message_id, "date": 0}
        self._callback_serial += 1
        query_id = f"{self.bot_id}{self._callback_serial:010d}"
        payload = {
            "id": query_id,
            "from": user,
            "message": message,
            "chat_instance": str(abs(chat_id) * 7919 + 424242),
            "data": data,
        }
        query = self._callbacks[query_id] = {
            "answered": False,
            "expired": False,
            "chat_id": chat_id,
            "pressed_at": time.monotonic(),
        }
        query["delivered"] = self._enqueue("callback_query", payload) > 0
        return query_id

    def expire_callbacks(self) -> int:
        """Let every button press so far run out of time at once, as if the bot had been
        away longer than `callback_timeout`; returns how many were still unanswered."""
        pending = 0
        for query in self._callbacks.values():
            if not query["answered"] and not query["expired"]:
                pending += 1
            query["expired"] = True
        return pending

    def inject_update(self, update: dict) -> int:
        """Queue a raw (possibly malformed) update as is; assigns update_id if missing."""
        update = dict(update)
        update_id = update.get("update_id")
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            self._next_update_id = max(self._next_update_id, update_id)
        else:
            self._next_update_id += 1
            update_id = update["update_id"] = self._next_update_id
        self._updates.append((update_id, update))
        self._updates_signal.fire()
        self._changed.fire()
        return update_id
