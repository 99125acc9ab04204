"""HTTP control surface under /sandbox/ for out-of-process users (benchmarks, demos).

Thin JSON wrappers over the in-process methods; ``POST /sandbox/users`` registers many users
at once (``{"users": [{"user_id": ..., "first_name": ...}, ...]}``); ``POST /sandbox/migrate``
(``{"chat_id": ...}``) upgrades a basic group and answers ``{"chat_id": new_id}``;
``POST /sandbox/permissions`` (``{"chat_id": ..., "can_send_photos": false, ...}``) sets a
group's permissions; ``POST /sandbox/callbacks`` (``{"timeout": seconds, "expire": true}``)
sets how long button presses can be answered and lets all pending ones expire; ``fail_next``
specs in ``POST /sandbox/faults`` take a ``description``. Answers are
``{"ok": true, "result": ...}`` or ``{"ok": false, "description": ...}`` with status 400.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .objects import Msg

if TYPE_CHECKING:
    from .server import Sandbox

__all__ = ["add_control_routes", "msg_to_json"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def msg_to_json(msg: Msg) -> dict[str, Any]:
    """A Msg as JSON: file bytes are replaced by their size."""
    data = {
        f.name: getattr(msg, f.name)
        for f in dataclasses.fields(msg)
        if f.name not in ("raw", "seq", "file_bytes")
    }
    data["file_size"] = len(msg.file_bytes) if msg.file_bytes is not None else None
    data["buttons"] = msg.buttons()
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return repr(value)


def add_control_routes(app: web.Application, sandbox: Sandbox) -> None:
    """Register the /sandbox/ endpoints for ``sandbox`` on ``app``."""

    def endpoint(fn: Callable[[dict], Any]) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            args: dict[str, Any] = dict(request.query)
            if request.can_read_body:
                try:
                    body = await request.json()
                except ValueError:
                    return web.json_response(
                        {"ok": False, "description": "body must be JSON"}, status=400
                    )
                if isinstance(body, dict):
                    args.update(body)
            try:
                result = fn(args)
            except (KeyError, ValueError, TypeError) as exc:
                return web.json_response({"ok": False, "description": str(exc)}, status=400)
            return web.json_response({"ok": True, "result": _jsonable(result)})

        return handler

    def user(a: dict) -> dict:
        handle = sandbox.user(
            int(a["user_id"]),
            str(a["first_name"]),
            language_code=a.get("language_code", "sv"),
            last_name=a.get("last_name"),
            username=a.get("username"),
        )
        return {"user_id": handle.user_id, "chat_id": handle.chat_id}

    def users(a: dict) -> int:
        for spec in a["users"]:
            user(spec)
        return len(a["users"])

    def group(a: dict) -> dict:
        return sandbox.group(
            int(a["chat_id"]),
            str(a["title"]),
            bot_member=bool(a.get("bot_member", True)),
            username=a.get("username"),
        )

    def message(a: dict) -> dict:
        location = a.get("location")
        update_id = sandbox.inject_message(
            int(a["from_user_id"]),
            int(a.get("chat_id", a["from_user_id"])),
            a.get("text"),
            photo=bool(a.get("photo", False)),
            location=(float(location[0]), float(location[1])) if location else None,
            caption=a.get("caption"),
            contact_phone=a.get("contact_phone"),
            edited_message_id=a.get("edited_message_id"),
            reply_to=a.get("reply_to"),
        )
        return {"update_id": update_id}

    def callback(a: dict) -> dict:
        query_id = sandbox.inject_callback(
            int(a["from_user_id"]),
            int(a.get("chat_id", a["from_user_id"])),
            int(a["message_id"]),
            str(a["data"]),
            check=bool(a.get("check", False)),
        )
        return {"callback_query_id": query_id}

    def update(a: dict) -> dict:
        return {"update_id": sandbox.inject_update(a)}

    def messages(a: dict) -> list[dict]:
        return [msg_to_json(m) for m in sandbox.messages(int(a["chat_id"]))]

    def calls(a: dict) -> dict:
        since = int(a.get("since", 0))
        method = (a.get("method") or "").lower()
        selected = sandbox.calls[since:]
        if method:
            selected = [c for c in selected if c.method.lower() == method]
        return {
            "calls": [
                {
                    "method": c.method,
                    "params": c.params,
                    "chat_id": c.chat_id,
                    "at": c.at,
                    "status": c.status,
                    "description": c.description,
                }
                for c in selected
            ],
            "next": len(sandbox.calls),
        }

    def faults(a: dict) -> dict:
        f = sandbox.faults
        if a.get("clear"):
            f.clear()
        if "seed" in a:
            f.seed(int(a["seed"]))
        if "latency" in a:
            f.latency = float(a["latency"])
        if "method_latency" in a:
            f.method_latency.update({k: float(v) for k, v in a["method_latency"].items()})
        for key, apply in (("fail_next", f.fail_next), ("rates", f.rates)):
            specs = a.get(key)
            if specs:
                for spec in specs if isinstance(specs, list) else [specs]:
                    apply(**spec)
        return f.describe()

    def block(a: dict) -> bool:
        if a.get("blocked", True):
            sandbox.block(int(a["chat_id"]))
        else:
            sandbox.unblock(int(a["chat_id"]))
        return True

    def unblock(a: dict) -> bool:
        sandbox.unblock(int(a["chat_id"]))
        return True

    def membership(a: dict) -> bool:
        if "user_id" in a:
            sandbox.set_member_status(int(a["chat_id"]), int(a["user_id"]), str(a["status"]))
        else:
            sandbox.set_bot_membership(int(a["chat_id"]), str(a["status"]))
        return True

    def migrate(a: dict) -> dict:
        by_user = a.get("by_user_id")
        new_id = sandbox.migrate_group(
            int(a["chat_id"]), by_user_id=int(by_user) if by_user is not None else None
        )
        return {"chat_id": new_id}

    def permissions(a: dict) -> dict:
        perms = {k: v for k, v in a.items() if k != "chat_id"}
        return sandbox.set_permissions(int(a["chat_id"]), **perms)

    def callbacks(a: dict) -> dict:
        if "timeout" in a:
            sandbox.callback_timeout = float(a["timeout"])
        expired = sandbox.expire_callbacks() if a.get("expire") else 0
        return {"callback_timeout": sandbox.callback_timeout, "expired": expired}

    def state(a: dict) -> dict:
        return {
            "base_url": sandbox.base_url,
            "base_file_url": sandbox.base_file_url,
            "bot_username": sandbox.bot_username,
            "calls": len(sandbox.calls),
            "bot_messages": sandbox._message_count,
            "updates_pending": sandbox.updates_pending(),
            "webhook": sandbox.webhook,
        }

    def answers(a: dict) -> dict:
        return sandbox.callback_answers

    routes = [
        ("POST", "user", user),
        ("POST", "users", users),
        ("POST", "group", group),
        ("POST", "message", message),
        ("POST", "callback", callback),
        ("POST", "update", update),
        ("GET", "messages", messages),
        ("GET", "calls", calls),
        ("POST", "faults", faults),
        ("POST", "block", block),
        ("POST", "unblock", unblock),
        ("POST", "membership", membership),
        ("POST", "migrate", migrate),
        ("POST", "permissions", permissions),
        ("POST", "callbacks", callbacks),
        ("GET", "state", state),
        ("GET", "callback_answers", answers),
    ]
    for verb, name, fn in routes:
        app.router.add_route(verb, f"/sandbox/{name}", endpoint(fn))
