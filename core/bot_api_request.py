"""PTB's networking backend on aiohttp's client instead of httpx.

Every reply the bot sends is one POST to the Bot API. PTB's default backend (httpx, httpcore,
anyio and h11, all pure Python) spent about 1.4 ms of CPU on each on this machine; aiohttp's
client, whose HTTP parser is compiled, about 0.45 ms (bench/webhook_cpu.py prints the bot's CPU
per update with it). aiohttp is already the bot's web server, so this adds no dependency.

It follows PTB's `BaseRequest` contract (python-telegram-bot.org: "Custom networking
backends"): `do_request` returns the status code and body of any answer and leaves their
meaning to PTB; a timeout becomes `TimedOut`, any other failure to talk `NetworkError`.
Timeouts map onto aiohttp's: `pool_timeout` + `connect_timeout` for getting a connection (a
pooled one, or a new one), `connect_timeout` for the TCP/TLS connect itself, `read_timeout`
between reads of the answer. aiohttp has no write timeout of its own (its read clock starts
once the body is written), so the whole call is bounded by the sum of all four, the write's
being `media_write_timeout` when files go (PTB's defaults: 5 s, 20 s for media): a stalled
upload ends as `TimedOut` instead of holding its user's updates until the kernel gives up.
As PTB's httpx did, proxies come from HTTPS_PROXY / NO_PROXY, and redirects are not followed.
"""

from __future__ import annotations

import io
import json
import ssl
from typing import Any

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL


class AiohttpRequest(BaseRequest):
    """A pool of at most `connection_pool_size` keep-alive connections to the Bot API."""

    __slots__ = (
        "_connect",
        "_media_write",
        "_pool",
        "_pool_size",
        "_proxies",
        "_read",
        "_session",
        "_ssl",
        "_write",
    )

    def __init__(
        self,
        connection_pool_size: int = 8,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._media_write = media_write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._ssl = ssl_context
        self._session: aiohttp.ClientSession | None = None
        # scheme://host[:port] → its proxy from the environment, read once: aiohttp's own
        # trust_env reads the environment and ~/.netrc again on every request (+0.5 ms CPU).
        self._proxies: dict[str, tuple[URL | None, aiohttp.BasicAuth | None]] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, ssl=self._ssl if self._ssl is not None else True
            )
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _proxy(self, url: str) -> tuple[URL | None, aiohttp.BasicAuth | None]:
        """HTTPS_PROXY / HTTP_PROXY / NO_PROXY for this URL's origin, as httpx honoured them."""
        origin = "/".join(url.split("/", 3)[:3])
        found = self._proxies.get(origin)
        if found is None:
            try:
                found = get_env_proxy_for_url(URL(url))
            except LookupError:  # none set for it, or NO_PROXY names it
                found = (None, None)
            self._proxies[origin] = found
        return found

    def _timeout(
        self,
        read_timeout: ODVInput[float],
        write_timeout: ODVInput[float],
        connect_timeout: ODVInput[float],
        pool_timeout: ODVInput[float],
        files: bool,
    ) -> aiohttp.ClientTimeout:
        """PTB's four timeouts (DEFAULT_NONE: this instance's) as aiohttp's."""
        read = _given(read_timeout, self._read)
        connect = _given(connect_timeout, self._connect)
        pool = _given(pool_timeout, self._pool)
        write = _given(write_timeout, self._media_write if files else self._write)
        phases = (pool, connect, write, read)
        return aiohttp.ClientTimeout(
            total=None if None in phases else sum(p for p in phases if p is not None),
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, files)
        proxy, proxy_auth = self._proxy(url)
        try:
            body, headers = _body(request_data)
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as answer:
                return answer.status, await answer.read()
        except TimeoutError as err:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> tuple[Any, dict[str, str] | None]:
    """The POST body and its headers: JSON, or a multipart form when files go with it.

    The Bot API takes either (core.telegram.org/bots/api#making-requests). PTB's default sends
    a urlencoded form, whose percent-encoding of Korean text (nine bytes a character, a
    Python loop over each) was about a sixth of the process's CPU per reply; JSON keeps it
    UTF-8.
    The values are PTB's own `parameters`, already JSON types (its documented hook for a
    custom encoder)."""
    if request_data is None:
        return None, None
    files = request_data.multipart_data
    if not files:
        payload = json.dumps(request_data.parameters, ensure_ascii=False, separators=(",", ":"))
        return payload.encode(), _JSON
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        # A file object is streamed; aiohttp warns that large raw bytes block the loop.
        stream = io.BytesIO(content) if isinstance(content, bytes) else content
        form.add_field(name, stream, filename=filename, content_type=mime)
    return form, None


_JSON = {"Content-Type": "application/json"}
