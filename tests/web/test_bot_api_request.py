"""The Bot API client (core/bot_api_request.py) over real HTTP on loopback: what PTB and the
broadcast courier see when a call fails, and what a file upload puts on the wire."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import BodyPartReader, web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut

from core.bot_api_request import AiohttpRequest
from handlers.broadcast_run import classify

TOKEN = "123456:TRANSPORT-TEST-token-not-real"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Recorder:
    """A Bot API stand-in that records each request, answers sendMessage as Telegram does,
    refuses chat 0 with 400, and never answers `hold` (held until the test ends)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], dict[str, bytes]]] = []
        self.json_bodies: list[dict[str, object]] = []
        self.held = asyncio.Event()
        self.release = asyncio.Event()
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        fields: dict[str, str] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "multipart/form-data":
            async for part in await request.multipart():
                assert isinstance(part, BodyPartReader)
                if part.filename:
                    files[part.name or ""] = await part.read()
                else:
                    fields[part.name or ""] = await part.text()
        elif request.content_type == "application/json":
            body = await request.json()
            self.json_bodies.append(body)
            fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
        else:
            fields = {k: str(v) for k, v in (await request.post()).items()}
        self.requests.append((method, request.content_type, fields, files))
        if method == "hold":
            self.held.set()
            await self.release.wait()
        if method == "getMe":
            me = {"id": 1, "is_bot": True, "first_name": "연계도우미", "username": "helper_bot"}
            return web.json_response({"ok": True, "result": me})
        if fields.get("chat_id") == "0":
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                status=400,
            )
        message = {"message_id": 7, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "x"}
        return web.json_response({"ok": True, "result": message})


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    recorder = Recorder()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", recorder.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    recorder.url = f"http://127.0.0.1:{port}/bot"
    try:
        yield recorder
    finally:
        recorder.release.set()
        await runner.cleanup()


async def test_a_message_goes_as_json_and_a_400_reaches_ptb_as_telegram_said_it(
    recorder: Recorder,
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("보내기", callback_data="send:go")]])
    async with Bot(TOKEN, base_url=recorder.url, request=AiohttpRequest(2)) as bot:
        sent = await bot.send_message(
            5, "<b>안녕하세요</b>", parse_mode="HTML", reply_markup=keyboard
        )
        with pytest.raises(BadRequest, match=r"(?i)chat not found") as refused:
            await bot.send_message(0, "hi")
    assert sent.message_id == 7
    method, kind, fields, _ = recorder.requests[-2]
    assert (method, kind) == ("sendMessage", "application/json")
    assert fields["text"] == "<b>안녕하세요</b>" and fields["parse_mode"] == "HTML"
    # JSON types as the Bot API documents them: a number, and the keyboard an object
    body = recorder.json_bodies[-2]
    assert body["chat_id"] == 5
    assert body["reply_markup"] == {
        "inline_keyboard": [[{"text": "보내기", "callback_data": "send:go"}]]
    }
    assert classify(refused.value).kind == "gone"


async def test_a_photo_goes_as_multipart_with_its_bytes_and_caption(recorder: Recorder) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    async with Bot(TOKEN, base_url=recorder.url, request=AiohttpRequest(2)) as bot:
        await bot.send_photo(5, png, caption="이번 주 숫자예요")
    method, kind, fields, files = recorder.requests[-1]
    assert (method, kind) == ("sendPhoto", "multipart/form-data")
    assert fields["caption"] == "이번 주 숫자예요" and fields["chat_id"] == "5"
    assert list(files.values()) == [png]


async def test_a_refused_connection_is_a_network_error_the_courier_may_retry() -> None:
    request = AiohttpRequest(1, connect_timeout=2.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as failed:
            await request.post(f"http://127.0.0.1:{_free_port()}/bot{TOKEN}/sendMessage")
    finally:
        await request.shutdown()
    assert not isinstance(failed.value, TimedOut)
    assert classify(failed.value).kind == "transient"  # it never left this machine


async def test_an_answer_that_never_comes_times_out_and_counts_as_maybe_delivered(
    recorder: Recorder,
) -> None:
    request = AiohttpRequest(1, read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut) as failed:
            await request.post(f"{recorder.url}{TOKEN}/hold")
    finally:
        await request.shutdown()
    assert recorder.held.is_set()  # the server had it
    assert classify(failed.value).kind == "unknown"


async def test_no_free_connection_in_time_is_timed_out_and_never_sent(
    recorder: Recorder,
) -> None:
    request = AiohttpRequest(1, read_timeout=30.0, pool_timeout=0.1, connect_timeout=0.1)
    await request.initialize()
    try:
        holding = asyncio.create_task(request.post(f"{recorder.url}{TOKEN}/hold"))
        await recorder.held.wait()  # the only connection is taken
        with pytest.raises(TimedOut) as failed:
            await request.post(f"{recorder.url}{TOKEN}/sendMessage", None)
        recorder.release.set()
        await holding
    finally:
        await request.shutdown()
    assert [r[0] for r in recorder.requests] == ["hold"]  # the second never arrived
    assert classify(failed.value).kind == "transient"


async def test_a_request_after_shutdown_is_refused_plainly() -> None:
    request = AiohttpRequest(1)
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/x", "POST")


async def test_an_upload_the_server_stops_reading_ends_as_timed_out_not_a_hang() -> None:
    """aiohttp's read clock starts only once the body is written: a peer that takes the
    connection and never reads would hold the call until the kernel gives up. The call's
    whole deadline (pool + connect + media write + read) ends it."""
    accepted = asyncio.Event()
    peers: list[asyncio.StreamWriter] = []

    async def never_read(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peers.append(writer)
        accepted.set()

    server = await asyncio.start_server(never_read, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(
        1, read_timeout=0.2, connect_timeout=0.5, pool_timeout=0.1, media_write_timeout=0.3
    )
    await request.initialize()
    try:
        photo = bytes(64 * 1024 * 1024)  # far more than loopback's socket buffers hold
        bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=request)
        # The outer bound only turns a hang into a failure: the call ends long before it.
        with pytest.raises(TimedOut):
            async with asyncio.timeout(60):
                await bot.send_photo(5, photo)
        assert accepted.is_set()
    finally:
        await request.shutdown()
        for peer in peers:
            peer.close()
        server.close()
        await server.wait_closed()


async def test_the_proxy_from_the_environment_carries_the_calls(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP(S)_PROXY is honoured as PTB's httpx honoured it: a host only the proxy can reach
    (the recorder, standing in for one) is reached through it."""
    proxy = recorder.url.removesuffix("/bot")
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with Bot(TOKEN, base_url="http://bot-api.invalid/bot", request=AiohttpRequest(1)) as bot:
        sent = await bot.send_message(5, "프록시로 가요")
    assert sent.message_id == 7
    assert recorder.json_bodies[-1]["text"] == "프록시로 가요"
