"""The group side of the sandbox: registering groups, memberships and their changes,
permissions, and the upgrade of a basic group to a supergroup."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .objects import user_json
from .state import DEFAULT_PERMISSIONS, _Chat, _Signal

__all__ = ["ANONYMOUS_ADMIN", "GroupSide"]

_BOT_STATUSES = frozenset({"member", "administrator", "left", "kicked", "restricted"})
_MEMBER_STATUSES = _BOT_STATUSES | {"creator"}
_SUPERGROUP_LIMIT = -1_000_000_000_000
# Telegram's "GroupAnonymousBot": who a change is attributed to when nobody is given, and the
# sender of messages a group sends on its own behalf.
ANONYMOUS_ADMIN = user_json(1087968824, "Group", username="GroupAnonymousBot", is_bot=True)


class GroupSide:
    """Mixin for `Sandbox`: groups and what happens to them."""

    # provided by Sandbox / the other mixins
    _chats: dict[int, _Chat]
    _users: dict[int, dict]
    _changed: _Signal

    _enqueue: Callable[[str, dict], int]
    _known_chat: Callable[[int], _Chat]
    _known_user: Callable[[int], dict]
    _member_update: Callable[[_Chat, dict, str, str], int]

    def group(
        self,
        chat_id: int,
        title: str,
        *,
        bot_member: bool = True,
        username: str | None = None,
    ) -> dict:
        """Register a group (supergroup if chat_id <= -1000000000000); returns its Chat JSON."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        kind = "supergroup" if chat_id <= _SUPERGROUP_LIMIT else "group"
        chat_json: dict[str, Any] = {"id": chat_id, "title": title, "type": kind}
        if username:
            chat_json["username"] = username
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(chat_id, kind, chat_json)
        else:
            chat.json = chat_json
        chat.bot_status = "member" if bot_member else "left"
        return dict(chat_json)

    def migrate_group(self, chat_id: int, *, by_user_id: int | None = None) -> int:
        """Upgrade a basic group to a supergroup, as Telegram does at 200 members or when an
        admin makes the group public; returns the supergroup's new id (-100...).

        Title, members and the bot's status and permissions carry over. Like Telegram, two
        service messages are queued (privacy mode does not hold back service messages): one
        in the old chat with ``migrate_to_chat_id``, sent by the user who upgraded it
        (``by_user_id``, else its creator or an admin, else the anonymous admin), and the
        first message of the new chat with ``migrate_from_chat_id``, sent on behalf of the
        supergroup itself. From then on every Bot API call with the old id except getChat
        (and getChatMember for the bot itself) answers 400 "group chat was upgraded to a
        supergroup chat" with ``parameters.migrate_to_chat_id``, which PTB raises as
        `telegram.error.ChatMigrated`.
        """
        old = self._known_chat(chat_id)
        if old.type != "group":
            raise ValueError(f"chat {chat_id} is a {old.type}; only basic groups migrate")
        if old.migrated_to is not None:
            raise ValueError(f"chat {chat_id} already became supergroup {old.migrated_to}")
        new_id = _SUPERGROUP_LIMIT - abs(chat_id)
        while new_id in self._chats:
            new_id -= 1
        new_json = {k: v for k, v in old.json.items() if k not in ("id", "type")}
        new_json = {"id": new_id, **new_json, "type": "supergroup"}
        new = self._chats[new_id] = _Chat(new_id, "supergroup", new_json)
        new.members = dict(old.members)
        new.bot_status = old.bot_status
        new.permissions = dict(old.permissions)
        old.migrated_to = new_id
        if old.bot_status in ("left", "kicked"):
            self._changed.fire()
            return new_id
        actor = self._actor(old, by_user_id)
        now = int(time.time())
        notice: dict[str, Any] = {"message_id": old.next_message_id, "from": actor}
        if actor is ANONYMOUS_ADMIN:
            notice["sender_chat"] = old.json
        notice.update(chat=old.json, date=now, migrate_to_chat_id=new_id)
        old.next_message_id += 1
        self._enqueue("message", notice)
        first = {
            "message_id": new.next_message_id,
            "from": ANONYMOUS_ADMIN,
            "sender_chat": new.json,
            "chat": new.json,
            "date": now,
            "migrate_from_chat_id": chat_id,
        }
        new.next_message_id += 1
        self._enqueue("message", first)
        return new_id

    def set_permissions(self, chat_id: int, **perms: bool) -> dict[str, bool]:
        """Set a group's default member permissions (ChatPermissions field names, e.g.
        ``can_send_photos=False``); returns them all. A bot that is not an administrator
        then gets Telegram's refusal for each content type the group does not allow:
        "not enough rights to send photos to the chat" (``can_send_photos``), "... documents
        ..." (``can_send_documents``), "... text messages ..." and "... locations ..." (both
        ``can_send_messages``). getChat returns the permissions."""
        chat = self._known_chat(chat_id)
        if chat.type == "private":
            raise ValueError("private chats have no permissions")
        if chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} became supergroup {chat.migrated_to}")
        unknown = sorted(set(perms) - set(DEFAULT_PERMISSIONS))
        if unknown:
            raise ValueError(f"not ChatPermissions fields: {unknown}")
        for name, value in perms.items():
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be True or False")
        chat.permissions.update(perms)
        self._changed.fire()
        return dict(chat.permissions)

    def _actor(self, chat: _Chat, by_user_id: int | None) -> dict:
        """Who a change in a group is attributed to: the given user, else its creator or an
        administrator, else Telegram's anonymous admin."""
        actor = self._users.get(by_user_id) if by_user_id is not None else None
        if actor is not None:
            return actor
        for wanted in ("creator", "administrator"):
            for uid, status in chat.members.items():
                if status == wanted and uid in self._users:
                    return self._users[uid]
        return ANONYMOUS_ADMIN

    def set_bot_membership(
        self, chat_id: int, status: str, *, by_user_id: int | None = None, notify: bool = True
    ) -> None:
        """Change the bot's status in a group; emits a my_chat_member update like Telegram."""
        if status not in _BOT_STATUSES:
            raise ValueError(f"status must be one of {sorted(_BOT_STATUSES)}")
        chat = self._known_chat(chat_id)
        if chat.type == "private":
            raise ValueError("use block()/unblock() for private chats")
        _check_restricted(chat, status)
        old, chat.bot_status = chat.bot_status, status
        if notify and old != status:
            self._member_update(chat, self._actor(chat, by_user_id), old, status)

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set a registered user's status in a group (creator, administrator, member, ...)."""
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"status must be one of {sorted(_MEMBER_STATUSES)}")
        self._known_user(user_id)
        chat = self._known_chat(chat_id)
        if chat.type == "private":
            raise ValueError("private chats have no member list")
        _check_restricted(chat, status)
        chat.members[user_id] = status
        self._changed.fire()


def _check_restricted(chat: _Chat, status: str) -> None:
    # ChatMemberRestricted exists in supergroups only; a basic group has no such members
    if status == "restricted" and chat.type != "supergroup":
        raise ValueError(f"only supergroups have restricted members; chat {chat.id} is a group")
