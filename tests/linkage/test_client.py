"""The gateway client over real HTTP: the sandbox gateway, and small misbehaving servers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from email.utils import format_datetime

import httpx
import pytest
from aiohttp import web

from core.clock import FakeClock
from linkage.client import GatewayClient
from linkage.errors import (
    ConsentMissing,
    GatewayError,
    GatewayRateLimited,
    GatewayRejected,
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
from tests.linkage.conftest import Handler, Serve
from tests.linkage.helpers import MEMBER


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


# --- issue 8: only GatewayError escapes, redirects, one deadline, Retry-After, "other" -----

PAGE = {
    "items": [
        {
            "record_id": "rec_1",
            "activity_date": "2026-02-14",
            "host": "도서관",
            "activity": "책 정리",
            "minutes": 30,
            "kind": "개인봉사",
            "status": "failed",
            "sent_at": "2026-02-15T09:00:00Z",
            "reason": {"code": "hours_exceeded", "message": "하루 봉사시간을 넘었습니다."},
            "visible_on_1365_at": None,
        },
        {
            "record_id": "rec_2",
            "activity_date": "2026-02-13",
            "host": "도서관",
            "activity": "책 정리",
            "minutes": 60,
            "kind": "개인봉사",
            "status": "succeeded",
            "sent_at": "2026-02-15T09:00:00+09:00",
            "reason": None,
            "visible_on_1365_at": "2026-02-16T09:00:00+09:00",
        },
    ],
    "next_cursor": None,
    "counts": {"unsent": 0, "pending": 0, "succeeded": 1, "failed": 1},
}


async def every_public_call(client: GatewayClient) -> list[BaseException | object]:
    """Each public method once; what each returned or raised."""
    calls = [
        client.health(),
        client.request_link_code("kindly0904"),
        client.confirm_link("lrq_1", "123456"),
        client.revoke_link("lnk_1"),
        client.member("lnk_1"),
        client.records("lnk_1"),
        client.create_transmission("lnk_1", idempotency_key="k"),
        client.transmission("lnk_1", "trn_1"),
        client.transmissions("lnk_1"),
    ]
    return list(await asyncio.gather(*calls, return_exceptions=True))


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (422, {}, b'{"code": "code_invalid", "attempts_left": null}'),
        (422, {}, b'{"code": "code_invalid", "attempts_left": "3"}'),
        (400, {}, b"[" * 50_000 + b"]" * 50_000),
        (200, {}, b"[" * 50_000 + b"]" * 50_000),
        (503, {}, b'{"detail": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"),
        (200, {"Content-Encoding": "gzip"}, b"this is not gzip"),
        (503, {"Content-Encoding": "gzip"}, b"\x1f\x8b broken"),
        (200, {}, b'{"status": "ok", "simulated": "yes", "version": 1}'),
        (200, {}, b"\xff\xfe\x00"),
        (409, {}, b'{"code": 7, "detail": {"nested": true}, "title": null}'),
        (429, {"Retry-After": "soon"}, b'{"retry_after": "later"}'),
        (302, {"Location": "http://127.0.0.1:1/elsewhere"}, b""),
        (204, {}, b""),
        (101, {}, b""),
    ],
)
async def test_only_gateway_errors_escape_any_public_method(
    serve: Serve, status: int, headers: dict[str, str], body: bytes
) -> None:
    async def junk(request: web.Request) -> web.Response:
        return web.Response(
            status=status, body=body, headers={"Content-Type": "application/json", **headers}
        )

    async with GatewayClient(await serve(junk), "k", backoff=0.001, retries=1) as client:
        outcomes = await every_public_call(client)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            assert isinstance(outcome, GatewayError), repr(outcome)


class _BrokenTransport(httpx.AsyncBaseTransport):
    """A lower layer with a bug of its own: what no listed case foresees."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise RuntimeError("a bug below the client")


async def test_even_an_unforeseen_error_below_the_client_escapes_as_a_gateway_error() -> None:
    broken = _BrokenTransport()
    async with GatewayClient("http://127.0.0.1:9", "k", retries=0, transport=broken) as client:
        outcomes = await every_public_call(client)
    assert all(isinstance(o, InvalidResponse) for o in outcomes), outcomes


async def test_attempts_left_null_is_a_spent_request_not_a_type_error(serve: Serve) -> None:
    async def wrong(request: web.Request) -> web.Response:
        body = {"code": "code_invalid", "attempts_left": None}
        return web.json_response(body, status=422, content_type="application/problem+json")

    async with GatewayClient(await serve(wrong), "k") as client:
        with pytest.raises(LinkCodeInvalid) as caught:
            await client.confirm_link("lrq_1", "123456")
    assert caught.value.attempts_left == 0


async def test_a_redirect_is_never_success(serve: Serve) -> None:
    calls: list[str] = []

    async def moved(request: web.Request) -> web.Response:
        calls.append(request.method)
        return web.Response(status=302, headers={"Location": "/v1/elsewhere"})

    async with GatewayClient(await serve(moved), "k", backoff=0.001) as client:
        with pytest.raises(InvalidResponse) as caught:
            await client.revoke_link("lnk_1")
    assert caught.value.status == 302
    assert calls == ["DELETE"]  # not followed, not retried


async def test_unknown_enum_values_are_other_and_the_page_stays_readable(serve: Serve) -> None:
    async def newer(request: web.Request) -> web.Response:
        if request.path.endswith("/records"):
            return web.json_response(PAGE)
        if request.path.endswith("/member"):
            return web.json_response(MEMBER)
        body = {"type": "urn:x", "title": "t", "status": 422, "code": "quota_exceeded"}
        return web.json_response(body, status=422, content_type="application/problem+json")

    async with GatewayClient(await serve(newer), "k") as client:
        page = await client.records("lnk_1")
        member = await client.member("lnk_1")
        with pytest.raises(GatewayRejected) as caught:
            await client.create_transmission("lnk_1", idempotency_key="k")
    first, second = page.items
    assert first.reason is not None
    assert (first.reason.code, first.reason.raw_code) == ("other", "hours_exceeded")
    assert second.status == "succeeded" and second.reason is None
    assert (member.account_1365, member.account_1365_raw) == ("other", "suspended")
    assert (caught.value.code, caught.value.raw_code) == ("other", "quota_exceeded")


async def test_a_hung_gateway_fails_at_the_deadline(serve: Serve) -> None:
    release = asyncio.Event()

    async def hung(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response(HEALTH)

    try:
        async with GatewayClient(await serve(hung), "k", deadline=0.3) as client:
            with pytest.raises(GatewayUnavailable) as caught:
                # The outer bound only keeps a broken client from hanging the suite.
                await asyncio.wait_for(client.health(), 10)
        assert caught.value.code == "deadline"
    finally:
        release.set()


async def test_a_dribbling_gateway_fails_at_the_deadline_across_retries(serve: Serve) -> None:
    release = asyncio.Event()
    started: list[int] = []

    async def dribble(request: web.Request) -> web.StreamResponse:
        started.append(1)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        while not release.is_set():  # one byte at a time: no read timeout ever fires
            await response.write(b" ")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(release.wait(), 0.02)
        return response

    try:
        async with GatewayClient(
            await serve(dribble), "k", read_timeout=10, deadline=0.5, retries=5
        ) as client:
            with pytest.raises(GatewayUnavailable) as caught:
                await asyncio.wait_for(client.member("lnk_1"), 10)
        assert caught.value.code == "deadline"
        assert started  # it was reached, and then held past the deadline
    finally:
        release.set()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120),
        ("99999999999999999999", 3600),  # a 20-digit number is clamped, not believed
        ("86400", 3600),
        ("0", 1),
        ("HTTP-DATE+600", 600),
        ("HTTP-DATE-30", 1),  # a date in the past: try again soon
    ],
)
async def test_retry_after_on_503_fails_at_once_when_longer_than_the_deadline(
    serve: Serve, clock: FakeClock, header: str, expected: int
) -> None:
    calls: list[str] = []
    if header.startswith("HTTP-DATE"):
        header = format_datetime(clock.now() + timedelta(seconds=int(header[9:])), usegmt=True)

    async def busy(request: web.Request) -> web.Response:
        calls.append(request.method)
        return web.json_response(
            {"code": "unavailable"}, status=503, headers={"Retry-After": header}
        )

    async with GatewayClient(await serve(busy), "k", clock=clock, deadline=0.5) as client:
        with pytest.raises(GatewayUnavailable) as caught:
            await client.member("lnk_1")
    assert caught.value.retry_after == expected
    if expected > 1:
        assert calls == ["GET"]  # no retry that could not finish in time


async def test_retry_after_on_503_is_waited_when_it_fits(serve: Serve) -> None:
    calls: list[str] = []

    async def once_busy(request: web.Request) -> web.Response:
        calls.append(request.method)
        if len(calls) == 1:
            return web.json_response(
                {"code": "unavailable"}, status=503, headers={"Retry-After": "1"}
            )
        return web.json_response(HEALTH)

    async with GatewayClient(await serve(once_busy), "k", backoff=0) as client:
        assert (await client.health()).status == "ok"
    assert calls == ["GET", "GET"]


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        ("-5", {}, 60),  # not a delay-seconds: ignored, the default applies
        ("soon", {"retry_after": 90}, 90),
        (None, {}, 60),
        ("HTTP-DATE+300", {}, 300),
        ("99999999999999999999", {}, 3600),
    ],
)
async def test_retry_after_on_429_is_parsed_and_clamped(
    serve: Serve, clock: FakeClock, header: str | None, body: dict[str, int], expected: int
) -> None:
    if header and header.startswith("HTTP-DATE"):
        header = format_datetime(clock.now() + timedelta(seconds=int(header[9:])), usegmt=True)

    async def limited(request: web.Request) -> web.Response:
        headers = {"Retry-After": header} if header else {}
        return web.json_response({"code": "rate_limited", **body}, status=429, headers=headers)

    async with GatewayClient(await serve(limited), "k", clock=clock) as client:
        with pytest.raises(GatewayRateLimited) as caught:
            await client.request_link_code("kindly0904")
    assert caught.value.retry_after == expected


async def test_transmissions_can_be_found_again(
    client: GatewayClient, gateway: GatewaySandbox
) -> None:
    link_id = await linked(client, gateway, "kindly0904")
    sent = await client.create_transmission(link_id, idempotency_key="lost-in-a-crash")
    [found] = await client.transmissions(link_id)
    assert found.transmission_id == sent.transmission_id


async def test_caller_mistakes_are_gateway_errors_too(client: GatewayClient) -> None:
    with pytest.raises(GatewayError):
        await client.member("..")
    with pytest.raises(GatewayError):
        await client.create_transmission("lnk_1", idempotency_key="k", record_ids=[])
