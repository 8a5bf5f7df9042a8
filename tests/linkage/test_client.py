"""The gateway client over real HTTP: the sandbox gateway, and small misbehaving servers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta

import pytest
from aiohttp import web

from core.clock import FakeClock
from linkage.client import GatewayClient
from linkage.errors import (
    ConsentMissing,
    GatewayRateLimited,
    GatewayUnauthorized,
    GatewayUnavailable,
    InvalidResponse,
    LinkCodeExpired,
    LinkCodeInvalid,
    LinkNotFound,
    LinkRequestLocked,
    NotFound,
    NothingToSend,
)
from sandbox.gateway import GatewaySandbox
from tests.conftest import GATEWAY_KEY


@pytest.fixture
async def client(gateway: GatewaySandbox) -> AsyncIterator[GatewayClient]:
    async with GatewayClient(gateway.base_url, GATEWAY_KEY, backoff=0.01) as c:
        yield c


async def linked(client: GatewayClient, gateway: GatewaySandbox, vms_id: str) -> str:
    request = await client.request_link_code(vms_id)
    link = await client.confirm_link(request.request_id, await gateway.delivered_code(vms_id) or "")
    return link.link_id


async def test_link_member_records_and_send(
    client: GatewayClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    health = await client.health()
    assert health.simulated is True
    link_id = await linked(client, gateway, "kindly0904")
    member = await client.member(link_id)
    assert member.vms_id == "kindly0904"
    assert member.consent_1365.agreed_on == date(2019, 9, 11)
    page = await client.records(link_id, status=["unsent"])
    assert page.counts.unsent == len(page.items) > 0
    sent = await client.create_transmission(link_id, idempotency_key="update-42")
    again = await client.create_transmission(link_id, idempotency_key="update-42")
    assert again.transmission_id == sent.transmission_id and sent.status == "accepted"
    gateway.add_records(
        "kindly0904",
        [{"activity_date": "2026-03-01", "host": "복지관", "activity": "배식", "minutes": 60}],
    )
    with pytest.raises(GatewayRateLimited) as limited:
        await client.create_transmission(link_id, idempotency_key="update-43")
    assert 0 < limited.value.retry_after <= 3600
    clock.advance(timedelta(minutes=2))
    done = await client.transmission(link_id, sent.transmission_id)
    assert done.status == "completed" and all(r.status == "succeeded" for r in done.results)
    clock.advance(timedelta(hours=1))
    await client.create_transmission(link_id, idempotency_key="update-44")  # the new record
    clock.advance(timedelta(hours=1))
    with pytest.raises(NothingToSend):
        await client.create_transmission(link_id, idempotency_key="update-45")


async def test_problem_codes_become_typed_errors(
    client: GatewayClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    no_consent = await linked(client, gateway, "sora2008")
    with pytest.raises(ConsentMissing):
        await client.create_transmission(no_consent, idempotency_key="k1")
    request = await client.request_link_code("kindly0904")
    with pytest.raises(LinkCodeInvalid) as wrong:
        await client.confirm_link(
            request.request_id,
            "000000" if await gateway.delivered_code("kindly0904") != "000000" else "111111",
        )
    assert wrong.value.attempts_left == 4
    clock.advance(timedelta(minutes=11))
    with pytest.raises(LinkCodeExpired):
        await client.confirm_link(
            request.request_id, await gateway.delivered_code("kindly0904") or ""
        )
    request = await client.request_link_code("kindly0904")
    for _ in range(5):
        with pytest.raises((LinkCodeInvalid, LinkRequestLocked)):
            await client.confirm_link(
                request.request_id,
                "999999" if await gateway.delivered_code("kindly0904") != "999999" else "888888",
            )
    with pytest.raises(LinkRequestLocked):
        await client.confirm_link(
            request.request_id, await gateway.delivered_code("kindly0904") or ""
        )
    with pytest.raises(NotFound):
        await client.member("no-such-link")
    await client.revoke_link(no_consent)
    with pytest.raises(NotFound):
        await client.member(no_consent)


async def test_outage_is_unavailable_after_bounded_retries(
    client: GatewayClient, gateway: GatewaySandbox
) -> None:
    gateway.set_outage(True)
    with pytest.raises(GatewayUnavailable):
        await client.member("x")


async def test_wrong_key_is_unauthorized_and_logged_once_without_the_key(
    gateway: GatewaySandbox, caplog: pytest.LogCaptureFixture
) -> None:
    async with GatewayClient(gateway.base_url, "wrong-key-123") as bad:
        with caplog.at_level(logging.DEBUG, logger="linkage.client"):
            for _ in range(3):
                with pytest.raises(GatewayUnauthorized):
                    await bad.member("abc")
        assert "wrong-key-123" not in repr(bad)
    ours = [r.getMessage() for r in caplog.records if r.name == "linkage.client"]
    assert sum("refused the API key" in m for m in ours) == 1
    assert not any("wrong-key-123" in m or "abc" in m for m in ours)  # ids blanked in logs


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Starts a tiny real HTTP server on loopback with the given handler for every path."""
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()


HEALTH = {"status": "ok", "simulated": False, "version": "1"}


async def test_reads_are_retried_through_503s(serve: Callable[[Handler], Awaitable[str]]) -> None:
    calls: list[str] = []

    async def flaky(request: web.Request) -> web.Response:
        calls.append(request.method)
        if len(calls) < 3:
            return web.json_response({"code": "unavailable"}, status=503)
        return web.json_response(HEALTH)

    async with GatewayClient(await serve(flaky), "k", backoff=0.01) as client:
        assert (await client.health()).status == "ok"
    assert calls == ["GET", "GET", "GET"]


async def test_link_code_requests_are_never_retried(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    calls: list[str] = []

    async def down(request: web.Request) -> web.Response:
        calls.append(request.method)
        return web.Response(status=503, text="<html>maintenance</html>")

    async with GatewayClient(await serve(down), "k", backoff=0.01) as client:
        with pytest.raises(GatewayUnavailable):
            await client.request_link_code("kindly0904")
    assert calls == ["POST"]  # a retry could text the member a second code


async def test_an_answer_off_the_contract_is_an_error_not_a_crash(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    async def wrong(request: web.Request) -> web.Response:
        if request.path.endswith("/member"):
            return web.json_response({"vms_id": 42, "consent_vms": "yes"})
        return web.Response(text="not json at all")

    async with GatewayClient(await serve(wrong), "k") as client:
        with pytest.raises(InvalidResponse):
            await client.member("abc")
        with pytest.raises(InvalidResponse):
            await client.health()


async def test_a_slow_gateway_times_out_as_unavailable(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response(HEALTH)

    async with GatewayClient(
        await serve(slow), "k", read_timeout=0.2, retries=1, backoff=0.01
    ) as client:
        with pytest.raises(GatewayUnavailable):
            await client.health()


async def test_ids_cannot_change_the_path(serve: Callable[[Handler], Awaitable[str]]) -> None:
    paths: list[str] = []

    async def record(request: web.Request) -> web.Response:
        paths.append(request.raw_path)
        return web.json_response({"code": "link_not_found"}, status=404)

    async with GatewayClient(await serve(record), "k") as client:
        with pytest.raises(NotFound):
            await client.member("../../v1/health?x=1")
        with pytest.raises(ValueError):
            await client.member("..")
    assert paths == ["/v1/links/..%2F..%2Fv1%2Fhealth%3Fx%3D1/member"]


async def test_only_contract_codes_mean_gone(serve: Callable[[Handler], Awaitable[str]]) -> None:
    async def answer(request: web.Request) -> web.Response:
        if "gone" in request.path:
            return web.json_response({"code": "link_not_found"}, status=404)
        return web.Response(status=404, text="<html>Not Found</html>")  # a proxy, a wrong URL

    async with GatewayClient(await serve(answer), "k") as client:
        with pytest.raises(LinkNotFound):
            await client.member("gone")
        with pytest.raises(GatewayUnavailable):
            await client.member("abc")


async def test_naive_timestamps_and_stringly_numbers_break_the_contract(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    request = {
        "request_id": "r1",
        "channel": "sms",
        "destination_masked": "010-****-12**",
        "expires_at": "2026-03-02T09:10:00",
        "attempts_allowed": 5,
    }

    async def answer(web_request: web.Request) -> web.Response:
        return web.json_response(request, status=202)

    async with GatewayClient(await serve(answer), "k") as client:
        with pytest.raises(InvalidResponse):
            await client.request_link_code("kindly0904")
        request["expires_at"] = "2026-03-02T09:10:00+09:00"
        request["attempts_allowed"] = "5"  # type: ignore[assignment]
        with pytest.raises(InvalidResponse):
            await client.request_link_code("kindly0904")


async def test_an_empty_selection_is_refused_not_widened(client: GatewayClient) -> None:
    with pytest.raises(ValueError, match="empty"):
        await client.create_transmission("any", idempotency_key="k", record_ids=[])
