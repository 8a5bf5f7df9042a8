"""/send when the gateway misbehaves: told plainly, nothing claimed, the hour not used up."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from pydantic import HttpUrl

from app import build_application
from bot.runtime import BotRuntime
from bot.services.sending import SEND_RESULT, SendInProgress
from core.clock import FakeClock
from linkage.client import GatewayClient
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.due_work import DueWorkRepository
from tests.conftest import GATEWAY_KEY, StartBot, make_settings
from tests.helpers.linking import link
from tests.helpers.sending import CONFIRM, results_in, service_over, transmissions
from tests.journey import User


async def broken_gateway(kind: str) -> AsyncIterator[str]:
    """A server at the gateway's URL answering every call with one kind of nonsense."""

    async def answer(request: web.Request) -> web.StreamResponse:
        if kind == "redirect":
            raise web.HTTPFound("http://127.0.0.1:9/elsewhere")
        if kind == "malformed":
            return web.Response(status=200, text="<html>not json</html>")
        if kind == "unauthorized":
            return web.json_response({"code": "unauthorized", "title": "no"}, status=401)
        return web.json_response({"code": "internal", "title": "boom"}, status=500)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("kind", ["redirect", "unauthorized"])
async def test_a_broken_gateway_is_told_plainly_and_uses_nothing_up(
    kind: str,
    start_bot: StartBot,
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
) -> None:
    first = await start_bot()
    minji = User(sandbox, first, 1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await first.stop()

    async for url in broken_gateway(kind):
        settings = make_settings(sandbox, db_path, gateway, vms_gateway_url=HttpUrl(url))
        broken = BotRuntime(await build_application(settings, clock=clock), poll_timeout=0.5)
        await broken.start()
        try:
            minji = User(sandbox, broken, 1001)
            seen = await minji.click("보내기")  # the prompt from before the fault
            assert "연결할 수 없어요" in seen.text and "그대로 남아 있어요" in seen.text
            seen = await minji.send("/send")
            assert "연결할 수 없어요" in seen.text
            assert "Traceback" not in seen.text
        finally:
            await broken.stop()

    healthy = await start_bot()
    minji = User(sandbox, healthy, 1001)
    seen = await minji.send("/send")
    assert CONFIRM.search(seen.text), seen.text  # nothing claimed: the hour is still there
    assert len(await transmissions(gateway, healthy, 1001)) == 0


async def test_a_500_leaves_the_outcome_unknown_and_the_healthy_gateway_settles_it_once(
    start_bot: StartBot,
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
) -> None:
    """A 500 may come after the gateway acted: the claim stays, the same key settles it."""
    first = await start_bot()
    minji = User(sandbox, first, 1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await first.stop()
    async for url in broken_gateway("server_error"):
        settings = make_settings(sandbox, db_path, gateway, vms_gateway_url=HttpUrl(url))
        broken = BotRuntime(await build_application(settings, clock=clock), poll_timeout=0.5)
        await broken.start()
        try:
            minji = User(sandbox, broken, 1001)
            seen = await minji.click("보내기")
            assert "접수됐는지 아직 몰라요" in seen.text and "두 번 보내지는 않아요" in seen.text
            assert "확인하고 있어요" in (await minji.send("/send")).text
        finally:
            await broken.stop()
    healthy = await start_bot()
    before = len(sandbox.bot_messages(1001))
    await results_in(healthy, clock)  # settles with the same key, then polls the result
    await results_in(healthy, clock)
    assert len(await transmissions(gateway, healthy, 1001)) == 1
    told = [m.text for m in sandbox.bot_messages(1001)[before:]]
    assert sum("1365 전송 결과가 나왔어요" in t for t in told) == 1, told


async def test_a_timeout_after_the_request_left_is_settled_with_the_same_key(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    backend = bot.app.bot_data.backend  # type: ignore[union-attr]
    # A client that gives up long before the gateway answers: the request has left.
    impatient = GatewayClient(
        gateway.base_url, GATEWAY_KEY, read_timeout=0.2, retries=0, deadline=0.5
    )
    service = service_over(impatient, bot, clock)
    gateway.set_latency(1000)
    try:
        sent = await service.send(1001, "TOKEN123")
    finally:
        await impatient.aclose()
    assert not sent.settled
    gateway.set_latency(0)
    assert await backend.db.fetch_all("SELECT state FROM sends") != []
    # While it is unsettled, no other send may start.
    with pytest.raises(SendInProgress):
        await backend.services.sending.send(1001, "OTHERTOK")
    seen = await minji.send("/send")
    assert "아직 확인하고 있어요" in seen.text

    before = len(minji.sandbox.bot_messages(1001))
    await results_in(bot, clock, timedelta(minutes=1))  # settles: same key, same transmission
    await results_in(bot, clock)  # the results
    assert await DueWorkRepository(backend.db).get(SEND_RESULT, "1") is None
    messages = minji.sandbox.bot_messages(1001)[before:]
    assert len(messages) == 1 and "1365 전송 결과가 나왔어요" in messages[0].text
    assert len(await transmissions(gateway, bot, 1001)) == 1


async def test_a_malformed_answer_to_the_send_itself_is_settled_not_lost(
    start_bot: StartBot,
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
) -> None:
    """A 2xx whose body is not the contract's may mean "accepted": kept and settled later."""
    first = await start_bot()
    minji = User(sandbox, first, 1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await first.stop()
    async for url in broken_gateway("malformed"):
        settings = make_settings(sandbox, db_path, gateway, vms_gateway_url=HttpUrl(url))
        broken = BotRuntime(await build_application(settings, clock=clock), poll_timeout=0.5)
        await broken.start()
        try:
            seen = await User(sandbox, broken, 1001).click("보내기")
            assert "두 번 보내지는 않아요" in seen.text
        finally:
            await broken.stop()
    healthy = await start_bot()
    minji = User(sandbox, healthy, 1001)
    before = len(sandbox.bot_messages(1001))
    await results_in(healthy, clock, timedelta(minutes=1))  # settled with the same key
    await results_in(healthy, clock)
    messages = sandbox.bot_messages(1001)[before:]
    assert len(messages) == 1 and "1365 전송 결과가 나왔어요" in messages[0].text
    assert len(await transmissions(gateway, healthy, 1001)) == 1
