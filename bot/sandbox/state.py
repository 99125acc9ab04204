"""Shared pieces of the sandbox state: chats, errors, uploads and a wake-up signal."""

# ruff: noqa: ASYNC109  -- the public API takes explicit timeouts by design

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from .objects import Msg

__all__ = ["ApiError", "NotDelivered", "Upload", "_Chat", "_Signal", "bad", "forbidden"]


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": status, "description": ...}``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            data["parameters"] = {"retry_after": self.retry_after}
        return data


class NotDelivered(RuntimeError):
    """Telegram would not deliver this update to the bot (privacy mode, allowed_updates)."""


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def forbidden(description: str) -> ApiError:
    return ApiError(403, f"Forbidden: {description}")


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
