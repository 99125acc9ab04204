"""A local fake Telegram Bot API server over real HTTP, for tests, benchmarks and demos.

Point PTB at it with ``ApplicationBuilder().token(SANDBOX_TOKEN).base_url(sandbox.base_url)
.base_file_url(sandbox.base_file_url)``. It answers with real Bot API objects and rejects what
Telegram rejects (parse errors, limits, unknown chats, blocked users, stale callbacks ...).

Parse modes: HTML, MarkdownV2 and legacy Markdown are parsed like Telegram does (same error
texts); an unknown parse_mode is rejected with "unsupported parse_mode".

Groups follow privacy mode by default: like a fresh bot, the bot only receives group messages
that are commands (``/cmd`` or ``/cmd@this_bot``), replies to its messages or mention it,
unless it is an administrator. Pass ``privacy_mode=False`` for a bot with privacy disabled.

Groups change like on Telegram: `Sandbox.migrate_group` upgrades a basic group to a
supergroup with a new id (the old id then answers 400 with ``parameters.migrate_to_chat_id``,
PTB's ``ChatMigrated``), and `Sandbox.set_permissions` sets what members may send; a bot that
is not an administrator gets "not enough rights to send photos to the chat" (documents, text
messages, locations likewise) for a content type the group does not allow.

Limits: a button press can be answered once and within `Sandbox.callback_timeout` seconds
(15; `Sandbox.expire_callbacks` ends all pending presses at once), else 400 "query is too
old and response timeout expired or query ID is invalid"; an inline keyboard holds at most 8
buttons a row and 100 in all ("reply markup is too long"); callback answers at most 200
characters; setMyCommands follows TDLib's checks; getUpdates clamps ``limit`` to 1-100 and
its long poll to `Sandbox.long_poll_max_timeout` (50 s). Every object returned carries the
fields the Bot API spec requires.

Faults (`Sandbox.faults`, see `Faults`) can hit any method, getUpdates included, and their
answers read like Telegram's ("Bad Request: ...", "Forbidden: ...").
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .bot_methods import BotMethods
from .client import SandboxUser
from .control import add_control_routes
from .faults import Fault, Faults
from .groups import GroupSide
from .messages import MessageMethods
from .objects import Call, Msg, StoredFile, user_json
from .observing import Observing
from .params import DEFAULT_UPDATE_TYPES
from .state import ApiError, Upload, _Chat, _Signal
from .world import UserSide

__all__ = ["SANDBOX_TOKEN", "Call", "Msg", "Sandbox"]

SANDBOX_TOKEN = "123456:SANDBOX-not-a-real-token"
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


def _json_response(status: int, body: Any) -> web.Response:
    return web.Response(
        body=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
        status=status,
        content_type="application/json",
    )


def _peek_chat_id(params: dict) -> int | None:
    raw = params.get("chat_id")
    if raw is None or isinstance(raw, bool):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


class Sandbox(UserSide, GroupSide, MessageMethods, BotMethods, Observing):
    """Fake Bot API server plus the user side of the conversation. See the module docstring."""

    def __init__(
        self,
        *,
        token: str = SANDBOX_TOKEN,
        bot_id: int = 123456,
        bot_username: str = "grannbot_sandbox_bot",
        bot_first_name: str = "Grannbot",
        privacy_mode: bool = True,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.privacy_mode = privacy_mode
        self.faults = Faults()
        self.calls: list[Call] = []
        self.callback_answers: dict[str, dict] = {}
        # seconds a button press can be answered; Telegram does not publish its timeout
        self.callback_timeout: float = 15.0
        # Telegram answers a long poll after at most 50 s, whatever timeout was asked for
        self.long_poll_max_timeout: float = 50.0
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.webhook: dict | None = None
        # the parameters of the last call of each bot settings method
        self.bot_settings: dict[str, dict] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._menu_buttons: dict[int | None, dict] = {}
        # why the last injected update was not delivered (privacy mode, allowed_updates)
        self.last_undelivered: str | None = None
        self.base_url = ""
        self.base_file_url = ""
        self.port = 0
        self._bot_user = user_json(bot_id, bot_first_name, username=bot_username, is_bot=True)
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, dict] = {}
        self._handles: dict[int, SandboxUser] = {}
        self._updates: deque[tuple[int, dict]] = deque()
        self._next_update_id = 100_000
        self._allowed_updates = DEFAULT_UPDATE_TYPES
        self._callbacks: dict[str, dict] = {}
        self._callback_serial = 0
        self._files: dict[str, StoredFile] = {}
        self._file_paths: dict[str, StoredFile] = {}
        self._photo_sets: dict[str, list[dict]] = {}
        self._file_serial = 0
        self._poll_generation = 0
        self._closing = False
        self._seq = 0
        self._message_count = 0
        # what settle() watches to tell whether the bot is still busy
        self._last_activity = time.monotonic()
        self._inflight = 0
        self._polls_waiting = 0
        self._delivered_upto = 0
        self._changed = _Signal()
        self._updates_signal = _Signal()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, tuple[str, Callable[[dict], Any]]] = {}
        canonical = {name.lower(): name for name in _CANONICAL}
        for attr in dir(type(self)):
            if attr.startswith("_api_"):
                key = attr[5:]
                self._methods[key] = (canonical.get(key, key), getattr(self, attr))

    # ----------------------------------------------------------------- lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Start serving; ``port=0`` picks a free port. Sets base_url and base_file_url."""
        if self._runner is not None:
            raise RuntimeError("sandbox already started")
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        # handler_cancellation: a client that gives up on a long poll frees its handler
        runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        self.base_url = f"http://{host}:{self.port}/bot"
        self.base_file_url = f"http://{host}:{self.port}/file/bot"

    async def stop(self) -> None:
        """Answer open long polls and shut the server down."""
        self._closing = True
        self._updates_signal.fire()
        self._changed.fire()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------- HTTP plumbing

    def _token_error(self, token: str) -> web.Response | None:
        if token == self.token:
            return None
        if _TOKEN_RE.match(token):
            return _json_response(
                401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if not request.can_read_body:
            return params
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON object") from None
            if isinstance(body, dict):
                params.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = Upload(value.filename, value.content_type, value.file.read())
                else:
                    params[key] = value
        return params

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        error = self._token_error(request.match_info["token"])
        if error is not None:
            return error
        method = request.match_info["method"]
        try:
            params = await self._read_params(request)
        except ApiError as exc:
            return _json_response(exc.status, exc.body())
        key = method.lower()
        entry = self._methods.get(key)
        chat_id = _peek_chat_id(params)
        call = Call(entry[0] if entry else method, params, chat_id, time.monotonic())
        self.calls.append(call)
        busy = key != "getupdates"
        if busy:
            self._inflight += 1
            self._last_activity = call.at
        self._changed.fire()
        try:
            delay = self.faults.delay(key)
            if delay > 0:
                await asyncio.sleep(delay)
            fault = self.faults.pick(key, chat_id)
            if fault is not None and fault.status != "drop_after":
                return self._fault_response(request, call, fault)
            if entry is None:
                status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            else:
                try:
                    result = entry[1](params)
                    if asyncio.iscoroutine(result):
                        result = await result
                    status, body = 200, {"ok": True, "result": result}
                except ApiError as exc:
                    status, body = exc.status, exc.body()
            if fault is not None:  # drop_after: the work is done, the answer gets lost
                self._finish(call, 0, "connection dropped after handling")
                _drop(request)
                return web.Response(status=500)
            self._finish(call, status, body.get("description"))
            return _json_response(status, body)
        except asyncio.CancelledError:
            if call.status == -1:
                self._finish(call, 0, "client disconnected")
            raise
        finally:
            if busy:
                self._inflight -= 1
                self._last_activity = time.monotonic()

    def _fault_response(self, request: web.Request, call: Call, fault: Fault) -> web.StreamResponse:
        if fault.status == "drop":
            self._finish(call, 0, "connection dropped")
            _drop(request)
            return web.Response(status=500)
        status = int(fault.status)
        description = fault.error_text()
        error = ApiError(
            status, description, retry_after=fault.retry_after if status == 429 else None
        )
        self._finish(call, status, description)
        return _json_response(status, error.body())

    def _finish(self, call: Call, status: int, description: str | None) -> None:
        call.status = status
        call.description = description
        self._changed.fire()

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        error = self._token_error(request.match_info["token"])
        if error is not None:
            return error
        stored = self._file_paths.get(request.match_info["path"])
        if stored is None or stored.data is None:
            return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # ----------------------------------------------------------------- state changes

    def _record_event(self, chat: _Chat, msg: Msg, is_edit: bool) -> None:
        self._seq += 1
        msg.seq = self._seq
        chat.events.append((self._seq, msg, is_edit))

    def _enqueue(self, kind: str, payload: dict) -> int:
        if kind not in self._allowed_updates:
            self.last_undelivered = f'"{kind}" is not in the allowed_updates of the last getUpdates'
            self._changed.fire()
            return 0
        self._next_update_id += 1
        update_id = self._next_update_id
        self._updates.append((update_id, {"update_id": update_id, kind: payload}))
        self._updates_signal.fire()
        self._changed.fire()
        return update_id

    @property
    def seq(self) -> int:
        """Counter of bot sends and edits; take it as a mark for `wait_for_message`."""
        return self._seq


_CANONICAL = (
    "getMe",
    "logOut",
    "close",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendLocation",
    "sendChatAction",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "pinChatMessage",
    "unpinChatMessage",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "setChatMenuButton",
    "getMyDescription",
    "getMyShortDescription",
    "getMyName",
    "getChatMenuButton",
    "getChat",
    "getChatMember",
    "getChatAdministrators",
    "getChatMemberCount",
    "leaveChat",
    "getFile",
)


def _drop(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()
