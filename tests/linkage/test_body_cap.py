"""A gateway answer larger than MAX_BODY is refused as invalid, not read into memory."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from linkage.client import MAX_BODY, GatewayClient
from linkage.errors import InvalidResponse
from tests.conftest import GATEWAY_KEY
from tests.linkage.conftest import Serve
from tests.linkage.helpers import MEMBER

# Far more than the cap, generated as it is sent: the test never holds it either.
HUGE = 64 * 1024 * 1024
CHUNK = 64 * 1024
# httpcore reads the socket 64 KiB at a time: the client may take one read past the cap.
ONE_READ = 64 * 1024


class CountingTransport(httpx.AsyncBaseTransport):
    """The real HTTP transport, counting the body bytes the client takes from it."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.body_bytes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Counted(response.stream, self),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


class _Counted(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, owner: CountingTransport) -> None:
        self._inner = inner
        self._owner = owner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._owner.body_bytes += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


def padded_member(size: int) -> tuple[int, AsyncIterator[bytes]]:
    """A valid member answer behind `size` bytes of JSON whitespace: parseable, just huge."""
    tail = json.dumps(MEMBER).encode()

    async def chunks() -> AsyncIterator[bytes]:
        left = size
        while left > 0:
            yield b" " * min(CHUNK, left)
            left -= CHUNK
        yield tail

    return size + len(tail), chunks()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_huge_member_answer_is_invalid_after_reading_at_most_the_cap(
    serve: Serve, declared: bool
) -> None:
    async def huge(request: web.Request) -> web.StreamResponse:
        total, chunks = padded_member(HUGE)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if declared:
            response.content_length = total
        else:
            response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            async for chunk in chunks:
                await response.write(chunk)
        except (ConnectionError, RuntimeError):  # the client hung up, as it should
            pass
        return response

    transport = CountingTransport()
    base = await serve(huge)
    async with GatewayClient(base, GATEWAY_KEY, transport=transport) as client:
        with pytest.raises(InvalidResponse) as refused:
            await client.member("lnk_1")
    assert refused.value.code == "body_too_large"
    if declared:
        assert transport.body_bytes == 0  # refused on its Content-Length alone
    else:
        assert transport.body_bytes <= MAX_BODY + ONE_READ


async def test_a_small_gzip_body_that_inflates_past_the_cap_is_invalid(serve: Serve) -> None:
    inflated = b" " * (8 * MAX_BODY) + json.dumps(MEMBER).encode()
    packed = gzip.compress(inflated)
    assert len(packed) < MAX_BODY // 100  # what the wire carries is small

    async def bomb(request: web.Request) -> web.Response:
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        return web.Response(body=packed, headers=headers)

    async with GatewayClient(await serve(bomb), GATEWAY_KEY) as client:
        with pytest.raises(InvalidResponse) as refused:
            await client.member("lnk_1")
    assert refused.value.code == "body_too_large"


async def test_an_answer_just_under_the_cap_is_read(serve: Serve) -> None:
    async def big(request: web.Request) -> web.StreamResponse:
        _, chunks = padded_member(MAX_BODY - 1024)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        async for chunk in chunks:
            await response.write(chunk)
        return response

    async with GatewayClient(await serve(big), GATEWAY_KEY) as client:
        member = await client.member("lnk_1")
    assert member.vms_id == MEMBER["vms_id"]


async def test_a_gzip_answer_still_reads_as_before(serve: Serve) -> None:
    async def packed(request: web.Request) -> web.Response:
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        return web.Response(body=gzip.compress(json.dumps(MEMBER).encode()), headers=headers)

    async with GatewayClient(await serve(packed), GATEWAY_KEY) as client:
        member = await client.member("lnk_1")
    assert member.vms_id == MEMBER["vms_id"]
