"""The user's side of a sandbox conversation, so tests read like a chat."""

# ruff: noqa: ASYNC109  -- the public API takes explicit timeouts by design

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .objects import Msg
from .state import NotDelivered

if TYPE_CHECKING:
    from .server import Sandbox

__all__ = ["SandboxUser"]


class SandboxUser:
    """A registered user talking to the bot. Get one from `Sandbox.user`.

    Every ``send*`` and `press` takes turns like a person: it first waits until the bot looks
    idle (see `Sandbox.settle`; ``settle`` seconds of quiet, 0 to skip), then injects the
    update and returns the bot's next message or edit in that chat (the private chat by
    default, or ``chat_id`` for a group). If Telegram would not deliver the update at all
    (privacy mode in groups, allowed_updates) they raise `NotDelivered` at once.
    """

    #: default quiet window before each send/press; override per instance or per call
    settle: float = 0.05

    def __init__(self, sandbox: Sandbox, user_id: int, first_name: str) -> None:
        self.sandbox = sandbox
        self.user_id = user_id
        self.first_name = first_name
        self.chat_id = user_id
        # per chat: the sandbox mark taken just before my last message there
        self._marks: dict[int, int] = {}
        # per chat: message_id of my last message there
        self._sent: dict[int, int] = {}

    def _chat(self, chat_id: int | None) -> int:
        return self.chat_id if chat_id is None else chat_id

    async def _take_turn(self, chat: int, settle: float | None) -> int:
        quiet = self.settle if settle is None else settle
        if quiet > 0:
            await self.sandbox.settle(quiet)
        mark = self.sandbox.seq
        self._marks[chat] = mark
        return mark

    def _inject(self, chat: int, text: str | None = None, **kwargs: Any) -> int:
        update_id = self.sandbox.inject_message(self.user_id, chat, text, **kwargs)
        if kwargs.get("edited_message_id") is None:
            self._sent[chat] = self.sandbox._chats[chat].next_message_id - 1
        return update_id

    async def _reply(self, update_id: int, chat: int, mark: int, timeout: float, what: str) -> Msg:
        if update_id == 0:
            # Telegram would not deliver it, so waiting for an answer could only time out
            raise NotDelivered(self.sandbox.last_undelivered or "update not delivered")
        return await self.sandbox._wait_event(
            chat, mark, timeout, what=f"bot message or edit after {what}"
        )

    def last_sent_id(self, chat_id: int | None = None) -> int:
        """message_id of my last message in the chat (for replies and edits)."""
        chat = self._chat(chat_id)
        if chat not in self._sent:
            raise LookupError(f"user {self.user_id} has sent nothing to chat {chat}")
        return self._sent[chat]

    def send_nowait(
        self, text: str, *, chat_id: int | None = None, reply_to: int | None = None
    ) -> int:
        """Inject a text message without waiting; returns the update_id (0 if not delivered)."""
        chat = self._chat(chat_id)
        self._marks[chat] = self.sandbox.seq
        return self._inject(chat, text, reply_to=reply_to)

    async def send(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        timeout: float = 5.0,
        reply_to: int | None = None,
        settle: float | None = None,
    ) -> Msg:
        """Send a text message and return the bot's next message or edit in that chat."""
        chat = self._chat(chat_id)
        mark = await self._take_turn(chat, settle)
        update_id = self._inject(chat, text, reply_to=reply_to)
        return await self._reply(update_id, chat, mark, timeout, repr(text))

    async def edit(
        self,
        message_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        timeout: float = 5.0,
        settle: float | None = None,
    ) -> Msg:
        """Edit one of my earlier messages and return the bot's reaction."""
        chat = self._chat(chat_id)
        mark = await self._take_turn(chat, settle)
        update_id = self._inject(chat, text, edited_message_id=message_id)
        return await self._reply(update_id, chat, mark, timeout, f"editing {message_id}")

    async def send_photo(
        self,
        caption: str | None = None,
        *,
        photo: bytes | None = None,
        chat_id: int | None = None,
        timeout: float = 5.0,
        settle: float | None = None,
    ) -> Msg:
        """Send a photo (a small sample JPEG unless ``photo`` bytes are given)."""
        chat = self._chat(chat_id)
        mark = await self._take_turn(chat, settle)
        update_id = self._inject(chat, photo=photo if photo is not None else True, caption=caption)
        return await self._reply(update_id, chat, mark, timeout, "a photo")

    async def send_location(
        self,
        lat: float,
        lon: float,
        *,
        chat_id: int | None = None,
        timeout: float = 5.0,
        settle: float | None = None,
    ) -> Msg:
        """Share a location."""
        chat = self._chat(chat_id)
        mark = await self._take_turn(chat, settle)
        update_id = self._inject(chat, location=(lat, lon))
        return await self._reply(update_id, chat, mark, timeout, "a location")

    async def share_contact(
        self,
        phone: str,
        *,
        chat_id: int | None = None,
        timeout: float = 5.0,
        settle: float | None = None,
    ) -> Msg:
        """Share my own contact (what a request_contact keyboard button sends)."""
        chat = self._chat(chat_id)
        mark = await self._take_turn(chat, settle)
        update_id = self._inject(chat, contact_phone=phone)
        return await self._reply(update_id, chat, mark, timeout, "a contact")

    def _find_button(self, chat: int, label_or_data: str) -> tuple[Msg, str]:
        wanted = label_or_data.casefold()
        newest: list[tuple[Any, Any]] = []
        for msg in reversed(self.sandbox.messages(chat)):
            rows = (msg.reply_markup or {}).get("inline_keyboard", [])
            buttons = [button for row in rows for button in row]
            if buttons and not newest:
                newest = [(b.get("text"), b.get("callback_data") or b.get("url")) for b in buttons]
            for button in buttons:
                data = button.get("callback_data")
                if data is None:
                    continue
                if data == label_or_data or wanted in str(button.get("text", "")).casefold():
                    return msg, data
        raise LookupError(
            f"no inline button matching {label_or_data!r} in chat {chat}; "
            f"newest buttons: {newest or 'none'}"
        )

    async def press(
        self,
        label_or_data: str,
        *,
        chat_id: int | None = None,
        timeout: float = 5.0,
        quiet: float = 0.2,
        settle: float | None = None,
    ) -> Msg | None:
        """Press the newest inline button whose text contains ``label_or_data``
        (case-insensitive) or whose callback_data equals it.

        Waits until the bot has answered the callback query. Returns the bot's first message
        or edit in the chat after the press, or None when the bot answered and then made no
        other Bot API request for ``quiet`` seconds (an absence can only be seen over time).
        Raises TimeoutError if the query is never answered (Telegram apps keep spinning), also
        when the bot's answer came too late (`Sandbox.callback_timeout`) and was refused.
        """
        chat = self._chat(chat_id)
        sandbox = self.sandbox
        mark = await self._take_turn(chat, settle)
        msg, data = self._find_button(chat, label_or_data)
        query_id = sandbox.inject_callback(self.user_id, chat, msg.message_id, data)
        if not sandbox._callbacks[query_id]["delivered"]:
            raise NotDelivered(sandbox.last_undelivered or "callback query not delivered")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            answered = query_id in sandbox.callback_answers
            found = sandbox._first_event(chat, since=mark)
            if answered and found is not None:
                return found
            remaining = deadline - loop.time()
            wait = remaining
            if answered:
                idle = sandbox._idle_for()
                if idle is not None and idle >= quiet:
                    return None
                if idle is not None:
                    wait = min(wait, quiet - idle)
            if remaining <= 0:
                state = "answered" if answered else "never answered (answerCallbackQuery)"
                refused = [
                    c.description
                    for c in sandbox.calls
                    if c.method == "answerCallbackQuery"
                    and str(c.params.get("callback_query_id")) == query_id
                    and c.status not in (200, -1)
                ]
                if refused:
                    state = f"answered in vain ({refused[-1]})"
                raise TimeoutError(
                    f"callback {data!r} on message {msg.message_id} was {state} within "
                    f"{timeout}s\n{sandbox._describe_chat(chat)}\n{sandbox._describe_activity()}"
                )
            await sandbox._changed.wait(wait)

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts (or captions) of the bot's messages in the chat, oldest first."""
        return [m.text or "" for m in self.sandbox.messages(self._chat(chat_id))]

    def last_message(self, chat_id: int | None = None) -> Msg:
        """The bot's newest message in the chat."""
        chat = self._chat(chat_id)
        messages = self.sandbox.messages(chat)
        if not messages:
            raise LookupError(f"the bot has sent nothing to chat {chat}")
        return messages[-1]

    def last_text(self, chat_id: int | None = None) -> str:
        """Text (or caption) of the bot's newest message in the chat."""
        return self.last_message(chat_id).text or ""

    async def wait_text(
        self, contains: str, timeout: float = 5.0, *, chat_id: int | None = None
    ) -> Msg:
        """The first bot message or edit since my last send in the chat whose text contains
        ``contains``, waiting for it if needed."""
        chat = self._chat(chat_id)
        since = self._marks.get(chat, 0)
        return await self.sandbox._wait_event(
            chat,
            since,
            timeout,
            match=lambda m: contains in (m.text or ""),
            what=f"bot message containing {contains!r}",
        )
