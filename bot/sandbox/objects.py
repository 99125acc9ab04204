"""Bot API JSON builders and the records the sandbox keeps about what the bot did."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import struct
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Call",
    "Msg",
    "StoredFile",
    "chat_full_info",
    "chat_member",
    "image_size",
    "make_file_ids",
    "user_json",
]


@dataclass(slots=True)
class Call:
    """One Bot API request as received. ``status`` is the HTTP status sent back, 0 if the
    connection was dropped, -1 while a long poll is still open."""

    method: str
    params: dict[str, Any]
    chat_id: int | None
    at: float
    status: int = -1
    description: str | None = None


@dataclass
class Msg:
    """A message the bot sent, in its current state (after edits). ``text`` is what the user
    sees: the text or caption after parse_mode was applied; ``raw_text`` is what the bot sent."""

    message_id: int
    chat_id: int
    text: str | None
    kind: str  # "text" | "photo" | "document" | "location"
    reply_markup: dict | None = None
    parse_mode: str | None = None
    file_name: str | None = None
    file_bytes: bytes | None = None
    edited: bool = False
    date: int = 0
    raw_text: str | None = None
    entities: list[dict] = field(default_factory=list)
    edit_count: int = 0
    deleted: bool = False
    file_id: str | None = None
    reply_to_message_id: int | None = None
    location: tuple[float, float] | None = None
    raw: dict = field(default_factory=dict, repr=False, compare=False)
    seq: int = field(default=0, repr=False, compare=False)

    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons flattened row by row as (text, callback_data or url)."""
        markup = self.reply_markup or {}
        result = []
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                target = button.get("callback_data")
                if target is None:
                    target = button.get("url")
                result.append((button.get("text", ""), target))
        return result

    def keyboard(self) -> list[str]:
        """Texts of a reply keyboard (ReplyKeyboardMarkup) flattened row by row."""
        markup = self.reply_markup or {}
        result = []
        for row in markup.get("keyboard") or []:
            for button in row:
                result.append(button if isinstance(button, str) else button.get("text", ""))
        return result

    def snapshot(self) -> Msg:
        """A copy that later edits will not change."""
        return dataclasses.replace(self, entities=list(self.entities))


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # "photo" | "document"
    data: bytes | None
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None


def user_json(
    user_id: int,
    first_name: str,
    *,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    is_bot: bool = False,
) -> dict:
    data: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        data["last_name"] = last_name
    if username:
        data["username"] = username
    if language_code and not is_bot:
        data["language_code"] = language_code
    return data


_GIFT_TYPES = {
    "unlimited_gifts": True,
    "limited_gifts": True,
    "unique_gifts": True,
    "premium_subscription": True,
    "gifts_from_channels": True,
}


def chat_full_info(chat: dict, permissions: dict[str, bool] | None = None) -> dict:
    """ChatFullInfo for getChat: the Chat plus the fields Telegram always includes, and the
    default member permissions of a group."""
    data = dict(chat)
    data.update(
        accent_color_id=abs(chat["id"]) % 7,
        max_reaction_count=11,
        accepted_gift_types=dict(_GIFT_TYPES),
    )
    if chat["type"] != "private" and permissions is not None:
        data["permissions"] = dict(permissions)
    return data


_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}
_RESTRICTED = {
    "is_member": True,
    "can_send_messages": False,
    "can_send_audios": False,
    "can_send_documents": False,
    "can_send_photos": False,
    "can_send_videos": False,
    "can_send_video_notes": False,
    "can_send_voice_notes": False,
    "can_send_polls": False,
    "can_send_other_messages": False,
    "can_add_web_page_previews": False,
    "can_react_to_messages": False,
    "can_change_info": False,
    "can_invite_users": False,
    "can_pin_messages": False,
    "can_manage_topics": False,
    "can_edit_tag": False,
    "until_date": 0,
}


def chat_member(user: dict, status: str) -> dict:
    """A ChatMember object of the subtype matching ``status``."""
    data: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update(_ADMIN_RIGHTS)
    elif status == "kicked":
        data["until_date"] = 0
    elif status == "restricted":
        data.update(_RESTRICTED)
    return data


_FILE_PREFIX = {"photo": b"\x02\x00", "document": b"\x05\x00"}


def make_file_ids(kind: str, bot_id: int, serial: int) -> tuple[str, str]:
    """Deterministic (file_id, file_unique_id) shaped like Telegram's base64url identifiers."""
    raw = _FILE_PREFIX.get(kind, b"\x01\x00") + struct.pack(">qQ", bot_id, serial)
    digest = hashlib.sha256(raw).digest()
    file_id = base64.urlsafe_b64encode(raw + digest[:24]).decode().rstrip("=")
    unique = base64.urlsafe_b64encode(b"\x01" + digest[24:34]).decode().rstrip("=")
    return file_id, unique


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a JPEG/PNG/GIF/WebP/BMP, (0, 0) if it is one of those but the size is
    not found, None if it is not an image at all."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) >= 24:
            return struct.unpack(">II", data[16:24])
        return 0, 0
    if data[:6] in (b"GIF87a", b"GIF89a"):
        if len(data) >= 10:
            return struct.unpack("<HH", data[6:10])
        return 0, 0
    if data.startswith(b"BM"):
        if len(data) >= 26:
            width, height = struct.unpack("<ii", data[18:26])
            return abs(width), abs(height)
        return 0, 0
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 0, 0
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            i += 2 + length
        return 0, 0
    return None


# A tiny JPEG-marked payload for photos injected from the user side.
SAMPLE_JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xc0\x00\x0b\x08\x02\x58\x03\x20\x01\x01\x11\x00"
    b"\xff\xd9"
)
