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
        offset = self._int(params, "offset", required=False)
        limit = self._int(params, "limit", required=False) or 100
        limit = min(max(limit, 1), 100)
        raw_timeout = params.get("timeout")
        try:
            timeout = max(0.0, float(raw_timeout)) if raw_timeout not in (None, "") else 0.0
        except (TypeError, ValueError):
            raise bad("invalid timeout specified") from None
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
        commands = as_json(params.get("commands"), "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad("too many commands specified")
        cleaned = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad("can't parse BotCommand JSON object")
            command = str(item.get("command", "")).strip().removeprefix("/")
            description = str(item.get("description", "")).strip()
            if not _COMMAND_RE.match(command):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description})
        key = (self._scope_key(params), str(params.get("language_code") or ""))
        if cleaned:
            self.commands[key] = cleaned
        else:
            self.commands.pop(key, None)
        return True

    def _api_getmycommands(self, params: dict) -> list[dict]:
        key = (self._scope_key(params), str(params.get("language_code") or ""))
        return list(self.commands.get(key, []))

    def _api_deletemycommands(self, params: dict) -> bool:
        key = (self._scope_key(params), str(params.get("language_code") or ""))
        self.commands.pop(key, None)
        return True

    def _setting(self, method: str, params: dict) -> bool:
        self.bot_settings[method] = dict(params)
        return True

    def _api_setmydescription(self, params: dict) -> bool:
        return self._setting("setMyDescription", params)

    def _api_setmyshortdescription(self, params: dict) -> bool:
        return self._setting("setMyShortDescription", params)

    def _api_setmyname(self, params: dict) -> bool:
        return self._setting("setMyName", params)

    def _api_setchatmenubutton(self, params: dict) -> bool:
        return self._setting("setChatMenuButton", params)

    def _api_getmydescription(self, params: dict) -> dict:
        stored = self.bot_settings.get("setMyDescription", {})
        return {"description": stored.get("description", "")}

    def _api_getmyshortdescription(self, params: dict) -> dict:
        stored = self.bot_settings.get("setMyShortDescription", {})
        return {"short_description": stored.get("short_description", "")}

    def _api_getmyname(self, params: dict) -> dict:
        stored = self.bot_settings.get("setMyName", {})
        return {"name": stored.get("name") or self._bot_user["first_name"]}

    def _api_getchatmenubutton(self, params: dict) -> dict:
        stored = self.bot_settings.get("setChatMenuButton", {})
        button = stored.get("menu_button")
        return as_json(button, "can't parse JSON") if button else {"type": "default"}

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
