"""Bot API methods about the bot itself, updates, webhooks, commands and chats."""

from __future__ import annotations

import asyncio
import json
import re
import time
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from .objects import chat_full_info, chat_member
from .params import DEFAULT_UPDATE_TYPES, ApiBase, as_bool, as_json
from .state import ApiError, Upload, _Chat, bad, forbidden

__all__ = ["BotMethods"]

_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_RE = re.compile(r"^([a-z]{2})?$")
_LEADING_INT_RE = re.compile(r"^\s*([+-]?\d+)")
COMMANDS_LIMIT = 100
COMMAND_LIMIT = 32
COMMAND_DESCRIPTION_LIMIT = 256
# setMyDescription, setMyShortDescription and setMyName: the Bot API's bounds, in characters
BOT_TEXT_LIMITS = {"description": 512, "short_description": 120, "name": 64}
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)


class BotMethods(ApiBase):
    """getMe, getUpdates, webhooks, commands, bot settings, chats and files."""

    # ----------------------------------------------------------------- bot info

    def _api_getme(self, params: dict) -> dict:
        return dict(
            self._bot_user,
            can_join_groups=True,
            can_read_all_group_messages=not self.privacy_mode,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )

    def _api_logout(self, params: dict) -> bool:
        return True

    def _api_close(self, params: dict) -> bool:
        return True

    # ----------------------------------------------------------------- updates

    async def _api_getupdates(self, params: dict) -> list[dict]:
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        # Telegram reads these leniently and clamps them (Client.cpp, get_integer_arg)
        raw_offset = params.get("offset")
        offset = None if raw_offset in (None, "") else _leading_int(raw_offset)
        limit = min(max(_leading_int(params.get("limit"), 100), 1), 100)
        timeout = min(max(_leading_int(params.get("timeout"), 0), 0), self.long_poll_max_timeout)
        allowed = params.get("allowed_updates")
        if allowed not in (None, ""):
            allowed = as_json(allowed, "can't parse allowed updates JSON object")
            if isinstance(allowed, list):
                self._allowed_updates = (
                    frozenset(str(a) for a in allowed) if allowed else DEFAULT_UPDATE_TYPES
                )
        # a newer poll terminates an older one that is still waiting, like Telegram does
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.fire()
        self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._polls_waiting += 1
        try:
            while not self._updates and not self._closing:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                await self._updates_signal.wait(remaining)
                if generation != self._poll_generation:
                    raise ApiError(409, _CONFLICT_POLL)
        finally:
            self._polls_waiting -= 1
        batch = [update for _, update in islice(self._updates, limit)]
        if batch:
            # handing out work counts as bot activity for settle()
            self._delivered_upto = max(self._delivered_upto, batch[-1]["update_id"])
            self._last_activity = time.monotonic()
        return batch

    def _confirm(self, offset: int | None) -> None:
        updates = self._updates
        if offset is None:
            return
        if offset < 0:
            while len(updates) > -offset:
                updates.popleft()
            return
        while updates and updates[0][0] < offset:
            updates.popleft()

    def _api_setwebhook(self, params: dict) -> bool:
        url = params.get("url") or ""
        if not url:
            self.webhook = None
            return True
        parts = urlsplit(url)
        if parts.scheme.lower() != "https":
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        if parts.port not in (None, 80, 88, 443, 8443):
            raise bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = params.get("secret_token")
        if secret not in (None, "") and not _SECRET_RE.match(str(secret)):
            raise bad("bad webhook: secret token contains unallowed characters")
        if as_bool(params.get("drop_pending_updates", False)):
            self._updates.clear()
        state = {k: v for k, v in params.items() if not isinstance(v, Upload)}
        if "allowed_updates" in state:
            state["allowed_updates"] = as_json(state["allowed_updates"], "can't parse JSON")
        self.webhook = state
        return True

    def _api_deletewebhook(self, params: dict) -> bool:
        if as_bool(params.get("drop_pending_updates", False)):
            self._updates.clear()
        self.webhook = None
        return True

    def _api_getwebhookinfo(self, params: dict) -> dict:
        info: dict[str, Any] = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook is not None:
            info["max_connections"] = int(self.webhook.get("max_connections") or 40)
            if isinstance(self.webhook.get("allowed_updates"), list):
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    # ----------------------------------------------------------------- commands & settings

    def _scope_key(self, params: dict) -> str:
        raw = params.get("scope")
        scope = (
            {"type": "default"}
            if raw in (None, "")
            else as_json(raw, "can't parse BotCommandScope JSON object")
        )
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise bad("unsupported bot command scope type")
        scope = dict(scope)
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            self._chat(scope)
            scope["chat_id"] = int(scope["chat_id"])
            if scope["type"] == "chat_member":
                scope["user_id"] = self._int(scope, "user_id")
        return json.dumps(scope, sort_keys=True, separators=(",", ":"))

    def _api_setmycommands(self, params: dict) -> bool:
        commands = _parse_commands(params.get("commands"))
        scope = self._scope_key(params)
        key = (scope, _language(params))
        cleaned = [_checked_command(item) for item in commands]
        # Telegram's servers check these after TDLib has checked lengths
        if len(cleaned) > COMMANDS_LIMIT:
            raise bad("BOT_COMMANDS_TOO_MUCH")
        if any(not _COMMAND_RE.match(c["command"]) for c in cleaned):
            raise bad("BOT_COMMAND_INVALID")
        if cleaned:
            self.commands[key] = cleaned
        else:
            self.commands.pop(key, None)
        return True

    def _api_getmycommands(self, params: dict) -> list[dict]:
        key = (self._scope_key(params), _language(params))
        return list(self.commands.get(key, []))

    def _api_deletemycommands(self, params: dict) -> bool:
        key = (self._scope_key(params), _language(params))
        self.commands.pop(key, None)
        return True

    def _setting(self, method: str, field: str, params: dict) -> bool:
        """setMyDescription, setMyShortDescription and setMyName keep one text per
        language_code; an empty text removes it."""
        language = _language(params)
        text = params.get(field)
        limit = BOT_TEXT_LIMITS[field]
        if text is not None and len(str(text)) > limit:
            # The Bot API documents the bound; the server's wording of the refusal is not
            # published, so only its kind (400, Bad Request) is Telegram's here.
            raise bad(f"{field.replace('_', ' ')} is too long: at most {limit} characters")
        self.bot_settings[method] = dict(params)
        if text in (None, ""):
            self._bot_texts.pop((field, language), None)
        else:
            self._bot_texts[(field, language)] = str(text)
        return True

    def _api_setmydescription(self, params: dict) -> bool:
        return self._setting("setMyDescription", "description", params)

    def _api_setmyshortdescription(self, params: dict) -> bool:
        return self._setting("setMyShortDescription", "short_description", params)

    def _api_setmyname(self, params: dict) -> bool:
        return self._setting("setMyName", "name", params)

    def _api_getmydescription(self, params: dict) -> dict:
        return {"description": self._bot_texts.get(("description", _language(params)), "")}

    def _api_getmyshortdescription(self, params: dict) -> dict:
        key = ("short_description", _language(params))
        return {"short_description": self._bot_texts.get(key, "")}

    def _api_getmyname(self, params: dict) -> dict:
        language = _language(params)
        name = self._bot_texts.get(("name", language))
        if name is None:
            name = "" if language else self._bot_user["first_name"]
        return {"name": name}

    def _menu_chat(self, params: dict) -> int | None:
        if params.get("chat_id") in (None, ""):
            return None
        chat = self._chat(params)
        if chat.type != "private":
            raise bad("chat not found")
        return chat.id

    def _api_setchatmenubutton(self, params: dict) -> bool:
        raw = params.get("menu_button")
        button = {"type": "default"} if raw in (None, "") else _menu_button(raw)
        chat_id = self._menu_chat(params)
        self.bot_settings["setChatMenuButton"] = dict(params)
        self._menu_buttons[chat_id] = button
        return True

    def _api_getchatmenubutton(self, params: dict) -> dict:
        chat_id = self._menu_chat(params)
        button = self._menu_buttons.get(chat_id) or self._menu_buttons.get(None)
        return dict(button) if button else {"type": "default"}

    # ----------------------------------------------------------------- chats

    def _api_getchat(self, params: dict) -> dict:
        chat = self._chat(params, read_only=True)
        return chat_full_info(chat.json, chat.permissions)

    def _member_status(self, chat: _Chat, user_id: int) -> str:
        if user_id == self.bot_id:
            if chat.type == "private":
                return "member"
            return chat.bot_status
        if chat.type == "private":
            return "member" if user_id == chat.id else "left"
        return chat.members.get(user_id, "left")

    def _api_getchatmember(self, params: dict) -> dict:
        user_id = self._int(params, "user_id", missing="user_id is empty")
        # only the bot's own membership stays readable in a group that became a supergroup
        chat = self._chat(params, read_only=user_id == self.bot_id)
        user = self._bot_user if user_id == self.bot_id else self._users.get(user_id)
        if user is None:
            raise bad("user not found")
        return chat_member(user, self._member_status(chat, user_id))

    def _api_getchatadministrators(self, params: dict) -> list[dict]:
        chat = self._chat(params)
        if chat.type == "private":
            raise bad("there are no administrators in the private chat")
        result = [
            chat_member(self._users[user_id], status)
            for user_id, status in chat.members.items()
            if status in ("creator", "administrator") and user_id in self._users
        ]
        if chat.bot_status == "administrator":
            result.append(chat_member(self._bot_user, "administrator"))
        return result

    def _api_getchatmembercount(self, params: dict) -> int:
        chat = self._chat(params)
        if chat.type == "private":
            return 2
        present = sum(1 for s in chat.members.values() if s not in ("left", "kicked"))
        return present + (chat.bot_status in ("member", "administrator", "restricted"))

    def _api_leavechat(self, params: dict) -> bool:
        chat = self._chat(params)
        if chat.type == "private":
            raise bad("chat member status can't be changed in private chats")
        if chat.bot_status in ("left", "kicked"):
            raise forbidden(f"bot is not a member of the {chat.label}")
        chat.bot_status = "left"
        return True

    def _api_getfile(self, params: dict) -> dict:
        file_id = str(params.get("file_id") or "")
        stored = self._files.get(file_id)
        if stored is None:
            raise bad("invalid file_id")
        data: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.data is not None:
            data["file_size"] = len(stored.data)
        return data


def _leading_int(value: Any, default: int = 0) -> int:
    """An integer parameter read the way the Bot API server reads it: the leading digits,
    0 for anything else."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    match = _LEADING_INT_RE.match(str(value))
    return int(match.group(1)) if match else 0


def _language(params: dict) -> str:
    """language_code of the per-language bot settings: empty or two lowercase letters."""
    code = params.get("language_code")
    code = "" if code is None else str(code)
    if not _LANGUAGE_RE.match(code):
        raise bad("invalid language code specified")
    return code


def _parse_commands(raw: Any) -> list:
    if raw is None or raw == "":
        return []
    commands = as_json(raw, "can't parse commands JSON object")
    if not isinstance(commands, list):
        raise bad("expected an Array of BotCommand")
    return commands


def _checked_command(item: Any) -> dict:
    """One BotCommand as TDLib checks it (trimmed, a leading "/" dropped)."""
    if not isinstance(item, dict):
        raise bad("can't parse BotCommand: expected an Object")
    for name in ("command", "description"):
        if name not in item:
            raise bad(f"can't parse BotCommand: Can't find field \"{name}\"")
        if not isinstance(item[name], str):
            raise bad(f'can\'t parse BotCommand: Field "{name}" must be of type String')
    command = item["command"].strip().removeprefix("/")
    description = item["description"].strip()
    if not command:
        raise bad("command must be non-empty")
    if len(command) > COMMAND_LIMIT:
        raise bad(f"command length must not exceed {COMMAND_LIMIT}")
    if not description:
        raise bad("command description must be non-empty")
    if len(description) > COMMAND_DESCRIPTION_LIMIT:
        raise bad(f"command description length must not exceed {COMMAND_DESCRIPTION_LIMIT}")
    return {"command": command, "description": description}


def _menu_button(raw: Any) -> dict:
    """A MenuButton as the Bot API server parses it (get_bot_menu_button)."""
    button = as_json(raw, "can't parse menu button JSON object")

    def refuse(reason: str) -> ApiError:
        return bad(f"can't parse menu button: {reason}")

    if not isinstance(button, dict):
        raise refuse("MenuButton must be an Object")
    kind = button.get("type")
    if not isinstance(kind, str):
        raise refuse('Can\'t find field "type"')
    if kind in ("default", "commands"):
        return {"type": kind}
    if kind != "web_app":
        raise refuse("MenuButton has unsupported type")
    if not isinstance(button.get("text"), str):
        raise refuse('Can\'t find field "text"')
    web_app = button.get("web_app")
    if not isinstance(web_app, dict):
        raise refuse('Can\'t find field "web_app"')
    if not isinstance(web_app.get("url"), str):
        raise refuse('Can\'t find field "url"')
    return {"type": "web_app", "text": button["text"], "web_app": {"url": web_app["url"]}}
