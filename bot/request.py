"""PTB's networking over aiohttp.

PTB talks to the Bot API through a :class:`~telegram.request.BaseRequest`, and documents that
it "can be implemented via different asyncio HTTP libraries". Its own implementation uses
httpx, which costs about 1.1–1.5 ms of CPU per call here; aiohttp (already a dependency, for
the sandbox and the webhook server) needs about 0.4 ms for the same call. A bot that answers
every tip and copies it to the coordinators makes two calls per tip, so this is what limits
how many tips per second it can take.

Timeouts keep PTB's meaning: ``connect_timeout`` for a new connection, ``pool_timeout`` for
waiting on a free one (aiohttp counts both in its ``connect`` timeout), ``read_timeout`` for
the answer. aiohttp has no separate write timeout; an upload is bounded by the read timeout
that follows it. Timeouts become :class:`~telegram.error.TimedOut`, every other transport
failure :class:`~telegram.error.NetworkError`, as with PTB's own request class. Their texts
never hold the bot token: aiohttp's own texts can carry the request URL, and with it the
token, and these errors are logged and stored as a delivery's last error.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.logsafety import mask_tokens

Timeout = float | None | DefaultValue


class AiohttpRequest(BaseRequest):
    """One connection pool of ``connection_pool_size`` connections per instance; like PTB's
    own request class it is opened by :meth:`initialize` and closed by :meth:`shutdown`."""

    def __init__(
        self,
        connection_pool_size: int = 1,
        *,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("this AiohttpRequest is not initialized")
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            data, headers = _body(request_data)
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            # Not chained: the original exception's text (shown in tracebacks) has the URL.
            raise TimedOut(_redacted(f"aiohttp: {exc!r}", url)) from None
        except aiohttp.ClientError as exc:
            raise NetworkError(_redacted(f"aiohttp.{type(exc).__name__}: {exc}", url)) from None


def _redacted(text: str, url: str) -> str:
    """``text`` without the token: the URL's token part and any token-shaped string."""
    return mask_tokens(text, _url_secrets(url))


def _url_secrets(url: str) -> tuple[str, ...]:
    # The path segment after /bot is the token, whatever its shape (base_url + token + "/m").
    _, found, rest = url.partition("/bot")
    token = rest.split("/", 1)[0] if found else ""
    return (token,) if token else ()


_JSON = {"Content-Type": "application/json"}


def _body(request_data: RequestData | None) -> tuple[bytes | aiohttp.FormData | None, dict | None]:
    """Parameters as a JSON body (the Bot API takes JSON, and encoding it is cheaper than a
    URL-encoded form); with files, a multipart form as PTB's own class sends."""
    if request_data is None:
        return None, None
    files = request_data.multipart_data
    if not files:
        return request_data.json_payload, _JSON
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form, None


__all__ = ["AiohttpRequest"]
