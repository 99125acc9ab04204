"""Shared pieces of the sandbox state: chats, errors, uploads and a wake-up signal."""

# ruff: noqa: ASYNC109  -- the public API takes explicit timeouts by design

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from .objects import Msg

__all__ = [
    "DEFAULT_PERMISSIONS",
    "ApiError",
    "NotDelivered",
    "Upload",
    "_Chat",
    "_Signal",
    "bad",
    "forbidden",
    "migrated",
]


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": status, "description": ...}``."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            data["parameters"] = {"retry_after": self.retry_after}
        elif self.migrate_to_chat_id is not None:
            data["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return data


class NotDelivered(RuntimeError):
    """Telegram would not deliver this update to the bot (privacy mode, allowed_updates)."""


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def forbidden(description: str) -> ApiError:
    return ApiError(403, f"Forbidden: {description}")


def migrated(new_chat_id: int) -> ApiError:
    """What Telegram answers for a basic group that became a supergroup (Client.cpp,
    check_chat_access); PTB turns it into `telegram.error.ChatMigrated`."""
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=new_chat_id,
    )


# ChatPermissions fields and what a group allows its members by default
DEFAULT_PERMISSIONS: dict[str, bool] = {
    "can_send_messages": True,
    "can_send_audios": True,
    "can_send_documents": True,
    "can_send_photos": True,
    "can_send_videos": True,
    "can_send_video_notes": True,
    "can_send_voice_notes": True,
    "can_send_polls": True,
    "can_send_other_messages": True,
    "can_add_web_page_previews": True,
    "can_react_to_messages": True,
    "can_change_info": False,
    "can_invite_users": True,
    "can_pin_messages": False,
    "can_manage_topics": False,
    "can_edit_tag": False,
}


@dataclass(slots=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"Upload(filename={self.filename!r}, size={len(self.data)})"


@dataclass(eq=False)
class _Chat:
    id: int
    type: str  # "private" | "group" | "supergroup"
    json: dict
    bot_status: str = "member"
    blocked: bool = False
    next_message_id: int = 1
    # every live message (user and bot) as Bot API JSON, for replies, callbacks and deletes
    messages: dict[int, dict] = field(default_factory=dict)
    # the bot's own messages, including deleted ones (flagged)
    bot_messages: dict[int, Msg] = field(default_factory=dict)
    # (seq, msg, is_edit) for every send and edit by the bot, in order
    events: list[tuple[int, Msg, bool]] = field(default_factory=list)
    members: dict[int, str] = field(default_factory=dict)
    undelivered: str | None = None
    # default rights of members in a group (ChatPermissions); unused in private chats
    permissions: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_PERMISSIONS))
    # set once a basic group has become this supergroup; the old id then refuses every write
    migrated_to: int | None = None

    @property
    def label(self) -> str:
        return "supergroup chat" if self.type == "supergroup" else "group chat"


class _Signal:
    """Wakes every waiter when fired; costs nothing when nobody waits."""

    __slots__ = ("_future",)

    def __init__(self) -> None:
        self._future: asyncio.Future[None] | None = None

    def fire(self) -> None:
        future = self._future
        if future is not None:
            self._future = None
            if not future.done():
                future.set_result(None)

    async def wait(self, timeout: float) -> None:
        """Return when fired or after ``timeout`` seconds, whichever comes first."""
        if self._future is None:
            self._future = asyncio.get_running_loop().create_future()
        future = self._future
        try:
            # shield: one waiter giving up must not cancel the future the others share
            await asyncio.wait_for(asyncio.shield(future), max(timeout, 0.0))
        except TimeoutError:
            pass
