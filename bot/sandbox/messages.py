"""Bot API methods that send, edit and delete messages and answer callback queries.

Kept together: sending and editing change the same stored messages and share the helper
that writes a message's text (``_put_text``)."""

from __future__ import annotations

import mimetypes
import time
from typing import Any
from urllib.parse import urlsplit

from .objects import Msg, StoredFile, image_size, make_file_ids
from .params import ApiBase, as_bool, is_public_host
from .state import Upload, _Chat, bad

__all__ = ["MessageMethods"]

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class MessageMethods(ApiBase):
    """sendMessage, sendPhoto, sendDocument, editMessage*, deleteMessage, answerCallbackQuery."""

    # ----------------------------------------------------------------- storing

    def _store(
        self,
        chat: _Chat,
        *,
        kind: str,
        text: str | None,
        entities: list[dict],
        params: dict,
        markup: dict | None,
        reply_to: int | None,
        extra: dict,
        file_bytes: bytes | None = None,
        file_name: str | None = None,
        file_id: str | None = None,
        location: tuple[float, float] | None = None,
    ) -> Msg:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        date = int(time.time())
        data: dict[str, Any] = {
            "message_id": message_id,
            "from": self._bot_user,
            "chat": chat.json,
            "date": date,
        }
        if reply_to is not None:
            data["reply_to_message"] = _without_reply(chat.messages[reply_to])
        data.update(extra)
        _put_text(data, kind, text, entities)
        if markup is not None and "inline_keyboard" in markup:
            data["reply_markup"] = markup
        msg = Msg(
            message_id=message_id,
            chat_id=chat.id,
            text=text if kind != "location" else None,
            kind=kind,
            reply_markup=markup,
            parse_mode=params.get("parse_mode") or None,
            file_name=file_name,
            file_bytes=file_bytes,
            date=date,
            raw_text=params.get("caption" if kind in ("photo", "document") else "text"),
            entities=entities,
            file_id=file_id,
            reply_to_message_id=reply_to,
            location=location,
            raw=data,
        )
        chat.messages[message_id] = data
        chat.bot_messages[message_id] = msg
        self._message_count += 1
        self._record_event(chat, msg, False)
        return msg

    def _new_file(
        self,
        kind: str,
        data: bytes | None,
        *,
        suffix: str,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        self._file_serial += 1
        file_id, unique_id = make_file_ids(kind, self.bot_id, self._file_serial)
        folder = "photos" if kind == "photo" else "documents"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique_id,
            kind=kind,
            data=data,
            file_path=f"{folder}/file_{self._file_serial}{suffix}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    def _photo_set(self, data: bytes | None, width: int, height: int) -> list[dict]:
        """PhotoSize list like Telegram's: thumbnails up to the original size."""
        width, height = width or 800, height or 600
        longest = max(width, height)
        limits = [s for s in (90, 320, 800) if s < longest] + [min(longest, 1280)]
        sizes = []
        for limit in limits:
            scale = limit / longest
            stored = self._new_file("photo", data, suffix=".jpg")
            size = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": max(1, round(width * scale)),
                "height": max(1, round(height * scale)),
            }
            if data is not None:
                size["file_size"] = max(1, round(len(data) * scale * scale))
            sizes.append(size)
        for size in sizes:
            self._photo_sets[size["file_id"]] = sizes
        return sizes

    def _input_file(self, params: dict, field: str, kind: str) -> tuple[Any, Upload | None]:
        """Resolve a file parameter to (stored photo sizes list or StoredFile, upload)."""
        value = params.get(field)
        if value is None or value == "":
            raise bad(f"there is no {kind} in the request")
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[len("attach://") :])
            if not isinstance(value, Upload):
                raise bad(f"there is no {kind} in the request")
        if isinstance(value, Upload):
            if not value.data:
                raise bad("file must be non-empty")
            if kind == "photo":
                dims = image_size(value.data)
                if dims is None:
                    raise bad("IMAGE_PROCESS_FAILED")
                return self._photo_set(value.data, *dims), value
            name = value.filename or "document"
            mime = mimetypes.guess_type(name)[0] or value.content_type or "application/octet-stream"
            suffix = "." + name.rsplit(".", 1)[1] if "." in name else ""
            return self._new_file(
                kind, value.data, suffix=suffix, file_name=name, mime_type=mime
            ), value
        if not isinstance(value, str):
            raise bad("wrong file identifier/HTTP URL specified")
        if value.lower().startswith(("http://", "https://")):
            host = urlsplit(value).hostname or ""
            if not is_public_host(host):
                raise bad("failed to get HTTP URL content")
            if kind == "photo":
                return self._photo_set(None, 800, 600), None
            name = urlsplit(value).path.rsplit("/", 1)[-1] or "file"
            mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return self._new_file(kind, None, suffix="", file_name=name, mime_type=mime), None
        stored = self._files.get(value)
        if stored is None:
            raise bad("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad(f"can't use file of type {stored.kind.title()} as {kind.title()}")
        if kind == "photo":
            return self._photo_sets[value], None
        return stored, None

    # ----------------------------------------------------------------- sending

    def _api_sendmessage(self, params: dict) -> dict:
        chat = self._writable_chat(params)
        text, entities = self._format(params, "text", caption=False)
        markup = self._markup(params)
        reply_to = self._reply_target(chat, params)
        self._check_content_allowed(chat, "text")
        msg = self._store(
            chat,
            kind="text",
            text=text,
            entities=entities,
            params=params,
            markup=markup,
            reply_to=reply_to,
            extra={},
        )
        return msg.raw

    def _api_sendphoto(self, params: dict) -> dict:
        chat = self._writable_chat(params)
        sizes, upload = self._input_file(params, "photo", "photo")
        caption, entities = self._format(params, "caption", caption=True)
        markup = self._markup(params)
        reply_to = self._reply_target(chat, params)
        self._check_content_allowed(chat, "photo")
        msg = self._store(
            chat,
            kind="photo",
            text=caption or None,
            entities=entities,
            params=params,
            markup=markup,
            reply_to=reply_to,
            extra={"photo": sizes},
            file_bytes=upload.data if upload else None,
            file_name=upload.filename if upload else None,
            file_id=sizes[-1]["file_id"],
        )
        return msg.raw

    def _api_senddocument(self, params: dict) -> dict:
        chat = self._writable_chat(params)
        stored, upload = self._input_file(params, "document", "document")
        caption, entities = self._format(params, "caption", caption=True)
        markup = self._markup(params)
        reply_to = self._reply_target(chat, params)
        self._check_content_allowed(chat, "document")
        document: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        if stored.data is not None:
            document["file_size"] = len(stored.data)
        msg = self._store(
            chat,
            kind="document",
            text=caption or None,
            entities=entities,
            params=params,
            markup=markup,
            reply_to=reply_to,
            extra={"document": document},
            file_bytes=upload.data if upload else None,
            file_name=stored.file_name,
            file_id=stored.file_id,
        )
        return msg.raw

    def _api_sendlocation(self, params: dict) -> dict:
        chat = self._writable_chat(params)
        try:
            latitude = float(params["latitude"])
            longitude = float(params["longitude"])
        except (KeyError, TypeError, ValueError):
            raise bad("wrong latitude or longitude specified") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad("wrong latitude or longitude specified")
        markup = self._markup(params)
        reply_to = self._reply_target(chat, params)
        self._check_content_allowed(chat, "location")
        msg = self._store(
            chat,
            kind="location",
            text=None,
            entities=[],
            params=params,
            markup=markup,
            reply_to=reply_to,
            extra={"location": {"latitude": latitude, "longitude": longitude}},
            location=(latitude, longitude),
        )
        return msg.raw

    def _api_sendchataction(self, params: dict) -> bool:
        self._writable_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        return True

    # ----------------------------------------------------------------- editing

    def _editable(self, params: dict) -> tuple[_Chat, Msg]:
        if params.get("inline_message_id") not in (None, ""):
            raise bad("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message_id = self._int(params, "message_id", missing="message identifier is not specified")
        msg = chat.bot_messages.get(message_id)
        if msg is None or msg.deleted:
            if message_id in chat.messages:
                raise bad("message can't be edited")
            raise bad("message to edit not found")
        return chat, msg

    def _apply_edit(
        self,
        chat: _Chat,
        msg: Msg,
        *,
        text: str | None,
        entities: list[dict],
        markup: dict | None,
        params: dict,
        text_changed: bool,
    ) -> dict:
        current_inline = msg.raw.get("reply_markup")
        if text == msg.text and entities == msg.entities and markup == current_inline:
            raise bad(_NOT_MODIFIED)
        data = dict(msg.raw)
        data["edit_date"] = int(time.time())
        for key in ("text", "entities", "caption", "caption_entities", "reply_markup"):
            data.pop(key, None)
        _put_text(data, msg.kind, text, entities)
        if markup is not None:
            data["reply_markup"] = markup
        msg.text = text
        msg.entities = entities
        if text_changed:
            msg.raw_text = params.get("text" if msg.kind == "text" else "caption")
            msg.parse_mode = params.get("parse_mode") or None
        msg.reply_markup = markup
        msg.edited = True
        msg.edit_count += 1
        msg.raw = data
        chat.messages[msg.message_id] = data
        self._record_event(chat, msg, True)
        return data

    def _api_editmessagetext(self, params: dict) -> dict:
        chat, msg = self._editable(params)
        if msg.kind != "text":
            raise bad("there is no text in the message to edit")
        text, entities = self._format(params, "text", caption=False)
        markup = self._markup(params, inline_only=True)
        return self._apply_edit(
            chat, msg, text=text, entities=entities, markup=markup, params=params, text_changed=True
        )

    def _api_editmessagecaption(self, params: dict) -> dict:
        chat, msg = self._editable(params)
        if msg.kind not in ("photo", "document"):
            raise bad("there is no caption in the message to edit")
        caption, entities = self._format(params, "caption", caption=True)
        markup = self._markup(params, inline_only=True)
        return self._apply_edit(
            chat,
            msg,
            text=caption or None,
            entities=entities,
            markup=markup,
            params=params,
            text_changed=True,
        )

    def _api_editmessagereplymarkup(self, params: dict) -> dict:
        chat, msg = self._editable(params)
        markup = self._markup(params, inline_only=True)
        return self._apply_edit(
            chat,
            msg,
            text=msg.text,
            entities=msg.entities,
            markup=markup,
            params=params,
            text_changed=False,
        )

    def _api_deletemessage(self, params: dict) -> bool:
        chat = self._chat(params)
        message_id = self._int(params, "message_id", missing="message identifier is not specified")
        data = chat.messages.get(message_id)
        if data is None:
            raise bad("message to delete not found")
        msg = chat.bot_messages.get(message_id)
        if (
            msg is None
            and chat.type != "private"
            and chat.bot_status
            not in (
                "administrator",
                "creator",
            )
        ):
            raise bad("message can't be deleted")
        del chat.messages[message_id]
        if msg is not None:
            msg.deleted = True
        return True

    def _api_answercallbackquery(self, params: dict) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        query = self._callbacks.get(query_id)
        # an unknown, expired or already answered query all get Telegram's QUERY_ID_INVALID
        if (
            query is None
            or query["answered"]
            or query["expired"]
            or time.monotonic() - query["pressed_at"] > self.callback_timeout
        ):
            raise bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad("MESSAGE_TOO_LONG")
        query["answered"] = True
        answer = dict(params)
        answer["show_alert"] = as_bool(params.get("show_alert", False))
        if answer.get("cache_time") not in (None, ""):
            answer["cache_time"] = self._int(params, "cache_time")
        self.callback_answers[query_id] = answer
        return True

    def _api_pinchatmessage(self, params: dict) -> bool:
        chat = self._chat(params)
        message_id = self._int(params, "message_id", missing="message identifier is not specified")
        if chat.type != "private" and chat.bot_status not in ("administrator", "creator"):
            raise bad("not enough rights to manage pinned messages in the chat")
        if message_id not in chat.messages:
            raise bad("message to pin not found")
        return True

    def _api_unpinchatmessage(self, params: dict) -> bool:
        chat = self._chat(params)
        if chat.type != "private" and chat.bot_status not in ("administrator", "creator"):
            raise bad("not enough rights to manage pinned messages in the chat")
        return True


def _without_reply(message: dict) -> dict:
    if "reply_to_message" not in message:
        return message
    return {k: v for k, v in message.items() if k != "reply_to_message"}


def _put_text(data: dict, kind: str, text: str | None, entities: list[dict]) -> None:
    if kind == "text":
        data["text"] = text
        if entities:
            data["entities"] = entities
    elif text:
        data["caption"] = text
        if entities:
            data["caption_entities"] = entities
