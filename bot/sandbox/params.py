"""Shared plumbing for the Bot API methods: parameter parsing and Telegram's validation
rules for chats, formatting, keyboards and replies."""

from __future__ import annotations

import ipaddress
import json
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .formatting import FormatError, format_text
from .objects import Msg, StoredFile
from .state import _Chat, _Signal, bad, forbidden, migrated

if TYPE_CHECKING:
    from .faults import Faults
    from .objects import Call

__all__ = ["DEFAULT_UPDATE_TYPES", "ApiBase", "as_bool", "as_json", "is_public_host"]

# which ChatPermissions field allows a kind of content, and how TDLib names it in its refusal
CONTENT_RIGHTS = {
    "text": ("can_send_messages", "text messages"),
    "photo": ("can_send_photos", "photos"),
    "document": ("can_send_documents", "documents"),
    "location": ("can_send_messages", "locations"),
    "contact": ("can_send_messages", "contacts"),
}
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
# Telegram refuses an inline keyboard that is too large without publishing the threshold;
# these are the bounds the bot keeps to (TDLib itself drops buttons past 12 in a row)
INLINE_ROW_LIMIT = 8
INLINE_BUTTON_LIMIT = 100
# what getUpdates delivers without allowed_updates: all but chat_member and reactions
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_TRUE = frozenset({"true", "True", "1", "TRUE"})


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value) in _TRUE


def as_json(value: Any, error: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad(error) from None
    return value


def is_public_host(host: str) -> bool:
    host = host.lower().strip("[]")
    if not host or host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." in host
    return address.is_global


def _button_url_error(url: Any) -> str | None:
    if not isinstance(url, str):
        return 'can\'t parse inline keyboard button: Field "url" must be of type String'
    parts = urlsplit(url if "://" in url else "http://" + url)
    if parts.scheme.lower() not in ("http", "https", "tg", "ton"):
        return f"inline keyboard button URL '{url}' is invalid: Unsupported URL protocol"
    if parts.scheme.lower() in ("http", "https") and not is_public_host(parts.hostname or ""):
        return f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
    return None


class ApiBase:
    """Parameter handling shared by the Bot API methods; state lives on `Sandbox`."""

    # state provided by Sandbox; declared for readers and type checkers
    token: str
    bot_id: int
    bot_username: str
    privacy_mode: bool
    faults: Faults
    calls: list[Call]
    callback_answers: dict[str, dict]
    callback_timeout: float
    long_poll_max_timeout: float
    commands: dict[tuple[str, str], list[dict]]
    webhook: dict | None
    bot_settings: dict[str, dict]
    _bot_texts: dict[tuple[str, str], str]
    _menu_buttons: dict[int | None, dict]
    _bot_user: dict
    _chats: dict[int, _Chat]
    _users: dict[int, dict]
    _updates: deque[tuple[int, dict]]
    _allowed_updates: frozenset[str]
    _callbacks: dict[str, dict]
    _files: dict[str, StoredFile]
    _file_paths: dict[str, StoredFile]
    _photo_sets: dict[str, list[dict]]
    _file_serial: int
    _poll_generation: int
    _polls_waiting: int
    _delivered_upto: int
    _last_activity: float
    _closing: bool
    _updates_signal: _Signal
    _message_count: int

    _record_event: Callable[[_Chat, Msg, bool], None]
    _enqueue: Callable[[str, dict], int]

    # ----------------------------------------------------------------- parameters

    @staticmethod
    def _int(params: dict, name: str, *, required: bool = True, missing: str | None = None) -> Any:
        value = params.get(name)
        if value is None or value == "":
            if required:
                raise bad(missing or f"{name} is empty")
            return None
        if isinstance(value, bool):
            raise bad(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad(f"invalid {name} specified") from None

    def _chat(self, params: dict, name: str = "chat_id", *, read_only: bool = False) -> _Chat:
        """The chat a request names. A basic group that became a supergroup refuses every
        request except plain reads (``read_only``: getChat, the bot's own membership), as
        Telegram's check_chat_access does."""
        raw = params.get(name)
        if raw is None or raw == "":
            raise bad("chat_id is empty")
        chat = None
        if isinstance(raw, str) and raw.startswith("@"):
            wanted = raw[1:].lower()
            chat = next(
                (c for c in self._chats.values() if c.json.get("username", "").lower() == wanted),
                None,
            )
        else:
            try:
                chat = self._chats.get(int(raw))
            except (TypeError, ValueError):
                chat = None
        if chat is None:
            raise bad("chat not found")
        if chat.migrated_to is not None and not read_only:
            raise migrated(chat.migrated_to)
        return chat

    def _writable_chat(self, params: dict) -> _Chat:
        """The chat a send goes to: refuses blocked users and groups the bot is not in."""
        chat = self._chat(params)
        if chat.type == "private":
            if chat.blocked:
                raise forbidden("bot was blocked by the user")
        elif chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.label}")
        elif chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {chat.label}")
        elif chat.bot_status == "restricted":
            raise bad("not enough rights to send text messages to the chat")
        return chat

    @staticmethod
    def _check_content_allowed(chat: _Chat, content: str) -> None:
        """TDLib checks each content type against the chat's permissions
        (can_send_message_content); administrators are exempt."""
        if chat.type == "private" or chat.bot_status in ("administrator", "creator"):
            return
        permission, what = CONTENT_RIGHTS[content]
        if not chat.permissions.get(permission, True):
            raise bad(f"not enough rights to send {what} to the chat")

    def _format(self, params: dict, field: str, *, caption: bool) -> tuple[str, list[dict]]:
        entities_field = "caption_entities" if caption else "entities"
        entities = params.get(entities_field)
        if entities not in (None, ""):
            entities = as_json(entities, "can't parse entities JSON object")
        try:
            return format_text(
                params.get(field),
                params.get("parse_mode"),
                entities,
                limit=CAPTION_LIMIT if caption else TEXT_LIMIT,
                allow_empty=caption,
                what="caption" if caption else "text",
            )
        except FormatError as exc:
            raise bad(str(exc)) from None

    def _markup(self, params: dict, *, inline_only: bool = False) -> dict | None:
        raw = params.get("reply_markup")
        if raw is None or raw == "":
            return None
        markup = as_json(raw, "can't parse reply keyboard markup JSON object")
        if not isinstance(markup, dict):
            raise bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            self._check_inline_keyboard(markup["inline_keyboard"])
            return markup
        if inline_only:
            raise bad("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad(
                    'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    text = button.get("text") if isinstance(button, dict) else button
                    if not isinstance(text, str) or not text:
                        raise bad(
                            'can\'t parse keyboard button: Field "text" must be of type String'
                        )
            return markup
        if "remove_keyboard" in markup or "force_reply" in markup:
            return markup
        raise bad("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _check_inline_keyboard(rows: Any) -> None:
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict):
                    raise bad(
                        "can't parse inline keyboard button: "
                        "InlineKeyboardButton should be an Object"
                    )
                if "text" not in button:
                    raise bad("can't parse inline keyboard button: Can't find field \"text\"")
                if not isinstance(button["text"], str):
                    raise bad(
                        'can\'t parse inline keyboard button: Field "text" must be of type String'
                    )
                # Telegram treats an empty string action (e.g. callback_data "") as absent
                actions = [
                    name
                    for name in _INLINE_ACTIONS
                    if button.get(name) not in (None, "")
                    or (name in ("callback_game", "pay") and name in button)
                ]
                if not actions:
                    raise bad(
                        "can't parse inline keyboard button: Text buttons are unallowed in the "
                        "inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None:
                    if not isinstance(data, str):
                        raise bad("BUTTON_DATA_INVALID")
                    if len(data.encode("utf-8")) > CALLBACK_DATA_LIMIT:
                        raise bad("BUTTON_DATA_INVALID")
                if "url" in button:
                    error = _button_url_error(button["url"])
                    if error:
                        raise bad(error)
        # the size is judged by Telegram's servers, after the Bot API server parsed each button
        if (
            any(len(row) > INLINE_ROW_LIMIT for row in rows)
            or sum(len(row) for row in rows) > INLINE_BUTTON_LIMIT
        ):
            raise bad("reply markup is too long")

    def _reply_target(self, chat: _Chat, params: dict) -> int | None:
        raw = params.get("reply_parameters")
        if raw not in (None, ""):
            obj = as_json(raw, "can't parse reply parameters JSON object")
            if not isinstance(obj, dict) or "message_id" not in obj:
                raise bad("can't parse reply parameters JSON object")
            message_id = self._int(obj, "message_id")
            allow = as_bool(obj.get("allow_sending_without_reply", False))
        elif params.get("reply_to_message_id") not in (None, ""):
            message_id = self._int(params, "reply_to_message_id")
            allow = as_bool(params.get("allow_sending_without_reply", False))
        else:
            return None
        if message_id in chat.messages:
            return message_id
        if allow:
            return None
        raise bad("message to be replied not found")
