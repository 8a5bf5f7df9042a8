"""/send faults found in review: crashes and proxies between the claim and the answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from aiohttp import ClientSession, web

from bot.runtime import BotRuntime
from core.clock import FakeClock
from linkage.client import GatewayClient
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.sends import SendRepository
from tests.conftest import GATEWAY_KEY
from tests.helpers.linking import link
from tests.helpers.sending import results_in, service_over, transmissions
from tests.journey import User


async def test_a_claim_whose_settling_gave_up_is_settled_again_when_the_user_sends(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    impatient = GatewayClient(
        gateway.base_url, GATEWAY_KEY, read_timeout=0.2, retries=0, deadline=0.5
    )
    service = service_over(impatient, bot, clock)
    gateway.set_latency(1000)
    try:
        assert not (await service.send(1001, "TOKEN123")).settled
    finally:
        await impatient.aclose()
    gateway.set_latency(0)
    gateway.set_outage(True)  # a long outage (or a wrong API key: 401) while it settles
    for _ in range(60):
        clock.advance(timedelta(hours=1))
        await bot.poller.run_due()
    gateway.set_outage(False)
    clock.advance(timedelta(days=2))
    await bot.poller.run_due()
    # The give-up left the claim open; the next /send revives its settling, which the poller
    # finishes, and /send works again (the send had reached the gateway: results follow).
    assert "확인하고 있어요" in (await minji.send("/send")).text
    await bot.poller.run_due()
    clock.advance(timedelta(hours=2))
    await bot.poller.run_due()
    seen = await minji.send("/send")
    assert "확인하고 있어요" not in seen.text, seen.text


async def test_a_504_from_a_proxy_after_the_gateway_accepted_is_not_released(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """A reverse proxy forwards the POST, the gateway accepts, the proxy times out: 504."""
    minji = user(1001)
    await link(minji, gateway, "kindly0904")

    async def proxy(request: web.Request) -> web.StreamResponse:
        data = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        url = gateway.base_url.rstrip("/") + request.path_qs
        async with (
            ClientSession() as s,
            s.request(request.method, url, headers=headers, data=data) as r,
        ):
            body = await r.read()
            if request.method == "POST" and "transmissions" in request.path:
                return web.Response(status=504, text="upstream timed out")
            return web.Response(status=r.status, body=body, content_type=r.content_type)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    backend = bot.app.bot_data.backend  # type: ignore[union-attr]
    client = GatewayClient(f"http://127.0.0.1:{port}", GATEWAY_KEY, retries=0)
    service = service_over(client, bot, clock)
    try:
        try:
            await service.send(1001, "TOKEN504")
            told = "sent"
        except Exception as exc:
            told = type(exc).__name__
    finally:
        await client.aclose()
        await runner.cleanup()
    assert len(await transmissions(gateway, bot, 1001)) == 1  # the gateway did send
    rows = await backend.db.fetch_all("SELECT state FROM sends")
    assert rows, f"claim released though the gateway accepted (told: {told})"


async def test_crash_between_claim_and_accept_is_settled(
    start_bot,
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    clock: FakeClock,  # type: ignore[no-untyped-def]
) -> None:
    """A crash right after the claim was written, before its settle item and the answer:
    the restarted bot gives the open claim its settle item, and the result is told."""
    from bot.services.sending import idempotency_key
    from tests.helpers.linking import link_id_of

    first = await start_bot()
    minji = User(sandbox, first, 1001)
    await link(minji, gateway, "kindly0904")
    lid = await link_id_of(first, 1001)
    backend = first.app.bot_data.backend  # type: ignore[union-attr]
    key = idempotency_key(1001, "CRASHTOK")
    await SendRepository(backend.db).claim(
        1001, key, lid, None, now=clock.now(), cooldown=timedelta(hours=1)
    )
    async with GatewayClient(gateway.base_url, GATEWAY_KEY) as c:  # the POST that left
        await c.create_transmission(lid, idempotency_key=key)
    await first.stop()  # (the crash)
    again = await start_bot()
    minji = User(sandbox, again, 1001)
    before = len(sandbox.bot_messages(1001))
    for _ in range(6):
        await results_in(again, clock, timedelta(minutes=30))
    msgs = [m.text for m in sandbox.bot_messages(1001)[before:]]
    assert any("1365 전송 결과가 나왔어요" in t for t in msgs), msgs
    clock.advance(timedelta(hours=2))
    seen = await minji.send("/send")
    assert "확인하고 있어요" not in seen.text, seen.text
