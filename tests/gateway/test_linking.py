"""Linking by proof of ownership: codes, attempts, expiry, lock, no enumeration, one link."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import pytest

from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.gateway.conftest import link, request_code


async def confirm(client: httpx.AsyncClient, request_id: str, code: str) -> httpx.Response:
    return await client.post(f"/v1/link-requests/{request_id}/confirmation", json={"code": code})


async def test_code_goes_to_the_members_phone_and_links(
    client: httpx.AsyncClient, gateway: GatewaySandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sandbox.gateway")
    request = await request_code(client, "kindly0904")
    assert request["channel"] == "sms"
    assert request["destination_masked"] == "010-****-12**"
    assert request["attempts_allowed"] == 5
    assert request["expires_at"] == "2026-03-02T09:10:00Z"
    [delivery] = gateway.deliveries
    assert (delivery.vms_id, delivery.channel) == ("kindly0904", "sms")
    assert delivery.destination_masked == "010-****-12**"
    assert await gateway.delivered_code("kindly0904") == delivery.code
    lines = [r.getMessage() for r in caplog.records if r.name == "sandbox.gateway"]
    assert lines == [f"link code for kindly0904: {delivery.code} (sms 010-****-12**)"]

    response = await confirm(client, request["request_id"], delivery.code)
    assert response.status_code == 201
    body = response.json()
    assert body["replaced_link_id"] is None
    assert body["member"]["vms_id"] == "kindly0904"
    assert body["member"]["id_1365_masked"] == "kindly****"


async def test_email_members_get_a_masked_address(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    request = await request_code(client, "SORA2008")  # IDs are case-insensitive
    assert (request["channel"], request["destination_masked"]) == ("email", "so****@n***.com")
    assert await gateway.delivered_code("sora2008") is not None


async def test_wrong_codes_count_down_then_lock(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    request = await request_code(client, "kindly0904")
    right = await gateway.delivered_code("kindly0904")
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        response = await confirm(client, request["request_id"], wrong)
        assert response.status_code == 422
        assert response.json()["code"] == "code_invalid"
        assert response.json()["attempts_left"] == left
    response = await confirm(client, request["request_id"], right or "")
    assert (response.status_code, response.json()["code"]) == (423, "request_locked")


async def test_codes_expire(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    request = await request_code(client, "kindly0904")
    clock.advance(timedelta(minutes=10))
    response = await confirm(
        client, request["request_id"], await gateway.delivered_code("kindly0904") or ""
    )
    assert (response.status_code, response.json()["code"]) == (410, "code_expired")


async def test_unknown_and_used_requests_are_not_found(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    response = await confirm(client, "lrq_nope", "123456")
    assert (response.status_code, response.json()["code"]) == (404, "request_not_found")
    request = await request_code(client, "kindly0904")
    code = await gateway.delivered_code("kindly0904") or ""
    assert (await confirm(client, request["request_id"], code)).status_code == 201
    wrong = "000000" if code != "000000" else "111111"
    again = await confirm(client, request["request_id"], wrong)
    assert (again.status_code, again.json()["code"]) == (404, "request_not_found")


async def test_the_same_confirmation_again_answers_the_same_link(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """A caller that lost the answer (a worker killed after the gateway linked) asks again
    with the same code and gets the link it made, not 404; until the link is replaced or
    the code expires."""
    first = await link(client, gateway, "kindly0904")
    request = await request_code(client, "kindly0904")
    code = await gateway.delivered_code("kindly0904") or ""
    made = await confirm(client, request["request_id"], code)
    assert made.status_code == 201
    again = await confirm(client, request["request_id"], code)
    assert again.status_code == 201
    assert again.json() == made.json()
    assert made.json()["replaced_link_id"] == first
    assert (await client.get(f"/v1/links/{made.json()['link_id']}/member")).status_code == 200
    # Replaced by a newer link: the old confirmation is only a used request.
    newer = await link(client, gateway, "kindly0904")
    assert newer != made.json()["link_id"]
    gone = await confirm(client, request["request_id"], code)
    assert (gone.status_code, gone.json()["code"]) == (404, "request_not_found")


async def test_the_same_confirmation_after_the_code_expired_is_not_found(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    request = await request_code(client, "kindly0904")
    code = await gateway.delivered_code("kindly0904") or ""
    assert (await confirm(client, request["request_id"], code)).status_code == 201
    clock.advance(timedelta(minutes=10))
    late = await confirm(client, request["request_id"], code)
    assert (late.status_code, late.json()["code"]) == (404, "request_not_found")


async def test_unknown_ids_look_the_same_and_never_confirm(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    known = await request_code(client, "kindly0904")
    unknown = await request_code(client, "nobody4242")
    assert known.keys() == unknown.keys()
    assert {k: type(v) for k, v in known.items()} == {k: type(v) for k, v in unknown.items()}
    assert unknown["channel"] in ("sms", "email")
    assert "*" in unknown["destination_masked"]
    assert (known["expires_at"], known["attempts_allowed"]) == (
        unknown["expires_at"],
        unknown["attempts_allowed"],
    )
    again = await request_code(client, "nobody4242")
    assert again["destination_masked"] == unknown["destination_masked"]  # stable, not random
    assert await gateway.delivered_code("nobody4242") is None
    assert [d.vms_id for d in gateway.deliveries] == ["kindly0904"]
    voided = await confirm(client, unknown["request_id"], "000000")  # the newer one voided it
    assert (voided.status_code, voided.json()["code"]) == (404, "request_not_found")
    for guess in ("000000", "123456", "999999", "424242", "111111"):
        response = await confirm(client, again["request_id"], guess)
        assert response.json()["code"] == "code_invalid"
    response = await confirm(client, again["request_id"], "654321")
    assert response.json()["code"] == "request_locked"


@pytest.mark.parametrize("vms_id", ["kindly0904", "nobody4242"])
async def test_link_requests_are_limited_per_id(
    client: httpx.AsyncClient, clock: FakeClock, vms_id: str
) -> None:
    for _ in range(5):
        await request_code(client, vms_id)
        clock.advance(timedelta(minutes=1))
    response = await client.post("/v1/link-requests", json={"vms_id": vms_id})
    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")
    assert response.headers["Retry-After"] == str(55 * 60)
    assert response.json()["retry_after"] == 55 * 60
    other = await client.post("/v1/link-requests", json={"vms_id": "hanbit2007"})
    assert other.status_code == 202
    clock.advance(timedelta(minutes=55))
    await request_code(client, vms_id)


async def test_a_new_link_replaces_the_old_one(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    first = await link(client, gateway, "kindly0904")
    request = await request_code(client, "kindly0904")
    response = await confirm(
        client, request["request_id"], await gateway.delivered_code("kindly0904") or ""
    )
    second = response.json()
    assert second["replaced_link_id"] == first
    assert second["link_id"] != first
    old = await client.get(f"/v1/links/{first}/member")
    assert (old.status_code, old.json()["code"]) == (404, "link_not_found")
    assert (await client.get(f"/v1/links/{second['link_id']}/member")).status_code == 200


async def test_revoking_is_idempotent(client: httpx.AsyncClient, gateway: GatewaySandbox) -> None:
    link_id = await link(client, gateway, "kindly0904")
    for target in (link_id, link_id, "lnk_never_existed", "x" * 64):
        assert (await client.delete(f"/v1/links/{target}")).status_code == 204
    impossible = await client.delete(f"/v1/links/{'x' * 65}")
    assert (impossible.status_code, impossible.json()["code"]) == (400, "validation_failed")
    gone = await client.get(f"/v1/links/{link_id}/records")
    assert (gone.status_code, gone.json()["code"]) == (404, "link_not_found")
    relinked = await link(client, gateway, "kindly0904")
    assert (await client.get(f"/v1/links/{relinked}/member")).status_code == 200


@pytest.mark.parametrize(
    "body", [{}, {"vms_id": "ab"}, {"vms_id": "kindly0904", "x": 1}, {"vms_id": 7}, []]
)
async def test_malformed_link_requests_are_400(client: httpx.AsyncClient, body: object) -> None:
    response = await client.post("/v1/link-requests", json=body)
    assert (response.status_code, response.json()["code"]) == (400, "validation_failed")


async def test_malformed_codes_are_400(client: httpx.AsyncClient) -> None:
    request = await request_code(client, "kindly0904")
    for code in ("12345", "1234567", "abcdef", "12345 "):
        response = await confirm(client, request["request_id"], code)
        assert (response.status_code, response.json()["code"]) == (400, "validation_failed")
