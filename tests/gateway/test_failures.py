"""Every failure reason the portal can give, each with the portal's own Korean words."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.gateway.conftest import link, records, send


async def send_and_wait(
    client: httpx.AsyncClient,
    clock: FakeClock,
    link_id: str,
    body: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    response = await send(client, link_id, body)
    assert response.status_code == 202, response.text
    clock.advance(timedelta(seconds=60))
    tid = response.json()["transmission_id"]
    done = (await client.get(f"/v1/links/{link_id}/transmissions/{tid}")).json()
    assert done["status"] == "completed"
    return list(done["results"])


@pytest.mark.parametrize(
    ("vms_id", "code", "words"),
    [
        ("minjun.vms", "consent_1365_missing", "정보제공 동의"),
        ("jiwoo0521", "account_1365_not_found", "휴면"),
        ("seoyeon88", "identity_mismatch", "동의 초기화"),
    ],
)
async def test_member_level_reasons_fail_every_record(
    client: httpx.AsyncClient,
    gateway: GatewaySandbox,
    clock: FakeClock,
    vms_id: str,
    code: str,
    words: str,
) -> None:
    link_id = await link(client, gateway, vms_id)
    results = await send_and_wait(client, clock, link_id)
    assert len(results) == 3
    for item in results:
        assert item["status"] == "failed" and item["visible_on_1365_at"] is None
        assert item["reason"]["code"] == code
        assert words in item["reason"]["message"]
    page = await records(client, link_id)
    assert page["counts"] == {"unsent": 0, "pending": 0, "succeeded": 0, "failed": 3}
    assert {i["reason"]["code"] for i in page["items"]} == {code}


async def test_records_already_on_1365_fail_as_duplicates(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(client, gateway, "hanbit2007")
    results = await send_and_wait(client, clock, link_id)
    by_status: dict[str, list[str]] = {}
    for item in results:
        reason = item["reason"]["code"] if item["reason"] else item["status"]
        by_status.setdefault(reason, []).append(item["record_id"])
    assert len(by_status["duplicate"]) == 2
    assert set(by_status) == {"duplicate", "succeeded"}  # the earlier portal errors resent fine


async def test_injected_portal_errors_hit_the_next_n_transmissions(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    gateway.fail_next(2)
    first = await send_and_wait(client, clock, await link(client, gateway, "kindly0904"))
    second = await send_and_wait(client, clock, await link(client, gateway, "yuna.kim"))
    for item in first + second:
        assert item["reason"]["code"] == "portal_error"
        assert "재전송" in item["reason"]["message"]
    third = await send_and_wait(client, clock, await link(client, gateway, "hanbit2007"))
    assert "portal_error" not in {i["reason"]["code"] for i in third if i["reason"]}


async def test_the_1365_consent_missing_send_is_accepted_then_fixed_by_consenting(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(client, gateway, "minjun.vms")
    await send_and_wait(client, clock, link_id)
    gateway.set_consents("minjun.vms", portal=date(2026, 3, 2))
    member = (await client.get(f"/v1/links/{link_id}/member")).json()
    assert member["consent_1365"] == {"agreed": True, "agreed_on": "2026-03-02"}
    clock.advance(timedelta(hours=1))
    results = await send_and_wait(client, clock, link_id)
    assert {r["status"] for r in results} == {"succeeded"}


async def test_consent_is_judged_at_send_time(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    response = await send(client, link_id)
    gateway.set_consents("kindly0904", portal=None)  # withdrawn after sending: too late to matter
    clock.advance(timedelta(seconds=60))
    tid = response.json()["transmission_id"]
    done = (await client.get(f"/v1/links/{link_id}/transmissions/{tid}")).json()
    assert {r["status"] for r in done["results"]} == {"succeeded"}
    gateway.set_consents("kindly0904", vms=None)
    gateway.add_records("kindly0904", [{"activity_date": "2026-03-01", "host": "H",
                                        "activity": "A", "minutes": 30}])  # fmt: skip
    clock.advance(timedelta(hours=1))
    refused = await send(client, link_id)
    assert (refused.status_code, refused.json()["code"]) == (409, "consent_vms_missing")
