"""The operator API under /sandbox and its Python twins on the sandbox object."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.gateway import DEMO_MEMBERS, GatewaySandbox, OffsetClock
from tests.gateway.conftest import (
    API_KEY,
    OPERATOR_KEY,
    link,
    make_client,
    records,
    request_code,
    send,
)

NEW = {
    "id_1365": "newbie1365",
    "consent_vms": "2026-01-02",
    "consent_1365": "2026-01-01",
    "contact": {"channel": "email", "destination": "newbie@kakao.com"},
}
RECORD = {
    "activity_date": "2026-02-14",
    "host": "동네 도서관",
    "activity": "책 정리",
    "minutes": 30,
}


async def test_create_update_and_read_members(
    client: httpx.AsyncClient, operator: httpx.AsyncClient
) -> None:
    created = await operator.put("/sandbox/members/Newbie2026", json=NEW)
    assert created.status_code == 201
    assert created.json()["vms_id"] == "newbie2026"
    assert created.json()["record_count"] == 0
    updated = await operator.put("/sandbox/members/newbie2026", json={"identity_mismatch": True})
    assert updated.status_code == 200
    assert updated.json()["identity_mismatch"] is True
    assert updated.json()["consent_1365"] == "2026-01-01"  # untouched fields stay
    listed = (await operator.get("/sandbox/members")).json()["members"]
    assert {m["vms_id"] for m in listed} == {*DEMO_MEMBERS, "newbie2026"}
    missing = await operator.get("/sandbox/members/ghost999")
    assert (missing.status_code, missing.json()["code"]) == (404, "member_not_found")


@pytest.mark.parametrize(
    "body",
    [
        {"account_1365": "deleted"},
        {"contact": {"channel": "sms", "destination": "not a phone"}},
        {"contact": {"channel": "email", "destination": "010-1234-5678"}},
        {"consent_vms": "2026-13-01"},
        {"unknown": 1},
    ],
)
async def test_bad_member_bodies_are_400(
    client: httpx.AsyncClient, body: dict[str, Any], operator: httpx.AsyncClient
) -> None:
    response = await operator.put("/sandbox/members/newbie2026", json=body)
    assert (response.status_code, response.json()["code"]) == (400, "validation_failed")


async def test_a_new_member_links_and_sends(
    client: httpx.AsyncClient, gateway: GatewaySandbox, operator: httpx.AsyncClient
) -> None:
    await operator.put("/sandbox/members/newbie2026", json=NEW)
    added = await operator.post("/sandbox/members/newbie2026/records", json={"records": [RECORD]})
    assert added.status_code == 201
    [record_id] = added.json()["record_ids"]
    request = await request_code(client, "newbie2026")
    assert request["destination_masked"] == "ne****@k***.com"
    link_id = await link(client, gateway, "newbie2026")
    page = await records(client, link_id)
    assert [(i["record_id"], i["minutes"], i["kind"]) for i in page["items"]] == [
        (record_id, 30, "개인봉사")
    ]
    assert (await send(client, link_id)).status_code == 202


async def test_consents_over_http(client: httpx.AsyncClient, operator: httpx.AsyncClient) -> None:
    response = await operator.put("/sandbox/members/kindly0904/consents", json={"portal": None})
    assert (response.json()["consent_vms"], response.json()["consent_1365"]) == ("2020-03-19", None)
    response = await operator.put("/sandbox/members/ghost999/consents", json={"vms": "2026-01-01"})
    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")


async def test_deliveries_can_be_read(
    client: httpx.AsyncClient, gateway: GatewaySandbox, operator: httpx.AsyncClient
) -> None:
    await request_code(client, "kindly0904")
    await request_code(client, "sora2008")
    await request_code(client, "nobody4242")
    every = (await operator.get("/sandbox/deliveries")).json()["deliveries"]
    assert [d["vms_id"] for d in every] == ["kindly0904", "sora2008"]
    mine = (await operator.get("/sandbox/deliveries", params={"vms_id": "SORA2008"})).json()
    assert [d["code"] for d in mine["deliveries"]] == [await gateway.delivered_code("sora2008")]


async def test_an_injected_clock_cannot_be_advanced(
    client: httpx.AsyncClient, gateway: GatewaySandbox, operator: httpx.AsyncClient
) -> None:
    assert (await operator.get("/sandbox/clock")).json() == {
        "now": "2026-03-02T09:00:00Z",
        "adjustable": False,
        "offset_seconds": None,
    }
    response = await operator.post("/sandbox/clock/advance", json={"seconds": 60})
    assert (response.status_code, response.json()["code"]) == (409, "clock_not_adjustable")
    with pytest.raises(RuntimeError):
        gateway.advance_clock(timedelta(minutes=1))


async def test_an_offset_clock_advances_results_and_cooldowns(
    tmp_path: Path, operator: httpx.AsyncClient
) -> None:
    sandbox = GatewaySandbox(
        api_key=API_KEY,
        db_path=tmp_path / "gw.sqlite3",
        clock=OffsetClock(),
        operator_key=OPERATOR_KEY,
    )
    async with (
        sandbox,
        make_client(sandbox.base_url) as client,
        make_client(sandbox.base_url, key=OPERATOR_KEY) as operator,
    ):
        link_id = await link(client, sandbox, "kindly0904")
        tid = (await send(client, link_id)).json()["transmission_id"]
        moved = await operator.post("/sandbox/clock/advance", json={"seconds": 3600})
        assert moved.json()["adjustable"] is True
        assert moved.json()["offset_seconds"] == 3600
        done = await client.get(f"/v1/links/{link_id}/transmissions/{tid}")
        assert done.json()["status"] == "completed"
        sandbox.advance_clock(timedelta(hours=1))
        assert (await operator.get("/sandbox/clock")).json()["offset_seconds"] == 7200


async def test_reset_brings_back_the_demo(
    client: httpx.AsyncClient, gateway: GatewaySandbox, operator: httpx.AsyncClient
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    await operator.put("/sandbox/members/newbie2026", json=NEW)
    gateway.fail_next(3)
    deliveries = gateway.deliveries
    response = await operator.post("/sandbox/reset")
    assert response.json() == {"demo_members": list(DEMO_MEMBERS)}
    assert deliveries == [] and gateway.deliveries is deliveries
    assert (await client.get(f"/v1/links/{link_id}/member")).status_code == 404
    assert (await operator.get("/sandbox/members/newbie2026")).status_code == 404
    assert (await operator.get("/sandbox/faults")).json()["fail_next"] == 0
    relinked = await link(client, gateway, "kindly0904")
    assert (await records(client, relinked))["counts"]["unsent"] == 4


def test_python_methods_check_like_the_api(gateway: GatewaySandbox) -> None:
    view = gateway.put_member("py_member", consent_vms=date(2026, 1, 5))
    assert view["consent_vms"] == "2026-01-05"
    assert gateway.set_consents("py_member", portal=date(2026, 1, 6))["consent_vms"] == "2026-01-05"
    [rid] = gateway.add_records("py_member", [{**RECORD, "already_on_1365": True}])
    assert rid.startswith("rec_") and gateway.member("py_member")["record_count"] == 1
    with pytest.raises(ValueError):
        gateway.put_member("py_member", account_1365="gone")
    with pytest.raises(ValueError):
        gateway.put_member("x", consent_vms=None)
    with pytest.raises(ValueError):
        gateway.add_records("py_member", [{**RECORD, "minutes": 0}])
    with pytest.raises(KeyError):
        gateway.add_records("ghost999", [RECORD])
    with pytest.raises(KeyError):
        gateway.set_consents("ghost999", vms=None)
    with pytest.raises(ValueError):
        gateway.set_latency(-1)
    gateway.reset()
    with pytest.raises(KeyError):
        gateway.member("py_member")
