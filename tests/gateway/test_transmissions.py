"""Bulk send: both consents, one per hour, idempotency, delayed results, 24 h, resend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.gateway.conftest import link, records, send

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


async def result(client: httpx.AsyncClient, link_id: str, tid: str) -> dict[str, Any]:
    response = await client.get(f"/v1/links/{link_id}/transmissions/{tid}")
    assert response.status_code == 200
    return dict(response.json())


async def test_both_consents_send_succeeds_after_the_delay(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    response = await send(client, link_id)
    assert response.status_code == 202
    sent = response.json()
    assert (sent["status"], sent["record_count"], sent["completed_at"]) == ("accepted", 4, None)
    assert sent["created_at"] == at(START)
    assert {r["status"] for r in sent["results"]} == {"pending"}
    page = await records(client, link_id)
    assert page["counts"] == {"unsent": 0, "pending": 4, "succeeded": 0, "failed": 0}
    assert {i["sent_at"] for i in page["items"]} == {at(START)}

    clock.advance(timedelta(seconds=59))
    assert (await result(client, link_id, sent["transmission_id"]))["status"] == "accepted"
    clock.advance(timedelta(seconds=1))
    done = await result(client, link_id, sent["transmission_id"])
    assert (done["status"], done["completed_at"]) == ("completed", at(START + timedelta(minutes=1)))
    visible = at(START + timedelta(hours=24))
    assert all(r["status"] == "succeeded" and r["reason"] is None for r in done["results"])
    assert {r["visible_on_1365_at"] for r in done["results"]} == {visible}
    page = await records(client, link_id)
    assert page["counts"]["succeeded"] == 4
    assert {i["visible_on_1365_at"] for i in page["items"]} == {visible}


async def test_vms_consent_missing_is_refused_and_nothing_is_sent(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    link_id = await link(client, gateway, "sora2008")
    response = await send(client, link_id)
    assert (response.status_code, response.json()["code"]) == (409, "consent_vms_missing")
    assert (await records(client, link_id))["counts"]["unsent"] == 3
    gateway.set_consents("sora2008", vms=datetime(2026, 3, 2).date())
    assert (await send(client, link_id)).status_code == 202  # the refusal used no hourly slot


async def test_one_send_per_hour_with_retry_after(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    assert (await send(client, link_id)).status_code == 202
    gateway.add_records("kindly0904", [{"activity_date": "2026-03-01", "host": "H",
                                        "activity": "A", "minutes": 60}])  # fmt: skip
    clock.advance(timedelta(minutes=20, seconds=30))
    response = await send(client, link_id)
    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")
    assert response.headers["Retry-After"] == str(39 * 60 + 30)
    assert response.json()["retry_after"] == 39 * 60 + 30
    clock.advance(timedelta(minutes=39, seconds=30))
    assert (await send(client, link_id)).status_code == 202


async def test_a_replay_returns_the_same_transmission_and_is_not_rate_limited(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    first = await send(client, link_id, key="update-1001-77")
    clock.advance(timedelta(minutes=10))
    again = await send(client, link_id, key="update-1001-77")
    assert again.status_code == 200
    assert again.json()["transmission_id"] == first.json()["transmission_id"]
    assert again.json()["created_at"] == first.json()["created_at"]
    page = await records(client, link_id)
    assert {i["sent_at"] for i in page["items"]} == {at(START)}  # never sent twice
    clock.advance(timedelta(minutes=1))
    assert (await send(client, link_id, key="update-1001-77")).json()["status"] == "completed"


async def test_a_reused_key_with_another_body_is_refused(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    page = await records(client, link_id)
    chosen = [page["items"][0]["record_id"], page["items"][1]["record_id"]]
    body = {"scope": "selected", "record_ids": chosen}
    assert (await send(client, link_id, body, key="k1")).status_code == 202
    reordered = {"scope": "selected", "record_ids": chosen[::-1]}
    assert (await send(client, link_id, reordered, key="k1")).status_code == 200
    response = await send(client, link_id, key="k1")
    assert (response.status_code, response.json()["code"]) == (422, "idempotency_key_reused")


async def test_nothing_to_send_once_the_cooldown_is_over(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    await send(client, link_id)
    # Within the hour the cooldown answers first (429 before 422), as the contract orders.
    assert (await send(client, link_id)).status_code == 429
    clock.advance(timedelta(hours=1))
    response = await send(client, link_id)
    assert (response.status_code, response.json()["code"]) == (422, "nothing_to_send")


async def test_failed_records_can_be_sent_again(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    gateway.fail_next(1)
    first = (await send(client, link_id)).json()
    clock.advance(timedelta(minutes=1))
    assert (await records(client, link_id))["counts"]["failed"] == 4
    clock.advance(timedelta(hours=1))
    failed = await records(client, link_id, status="failed")
    one = failed["items"][0]["record_id"]
    retry = await send(client, link_id, {"scope": "selected", "record_ids": [one]})
    assert retry.status_code == 202 and retry.json()["record_count"] == 1
    clock.advance(timedelta(minutes=1))
    page = await records(client, link_id)
    assert page["counts"] == {"unsent": 0, "pending": 0, "succeeded": 1, "failed": 3}
    earlier = await result(client, link_id, first["transmission_id"])
    assert {r["status"] for r in earlier["results"]} == {"failed"}  # history keeps its outcome


async def test_selected_ids_must_be_this_members_unsent_or_failed(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    link_id = await link(client, gateway, "hanbit2007")
    succeeded = (await records(client, link_id, status="succeeded", limit=1))["items"][0]
    other = (await records(client, await link(client, gateway, "kindly0904")))["items"][0]
    for bad in (succeeded["record_id"], other["record_id"], "rec_nope"):
        response = await send(client, link_id, {"scope": "selected", "record_ids": [bad]})
        assert (response.status_code, response.json()["code"]) == (422, "validation_failed")
        assert bad in response.json()["detail"]
    first = (await records(client, link_id, status="unsent", limit=1))["items"][0]["record_id"]
    body = {"scope": "selected", "record_ids": [first]}
    assert (await send(client, link_id, body)).status_code == 202
    response = await client.get(f"/v1/links/{link_id}/records", params={"status": "pending"})
    assert [i["record_id"] for i in response.json()["items"]] == [first]


@pytest.mark.parametrize(
    "body",
    [
        {"scope": "selected"},
        {"scope": "unsent_and_failed", "record_ids": ["rec_1"]},
        {"scope": "selected", "record_ids": []},
        {"scope": "selected", "record_ids": ["a", "a"]},
        {"scope": "everything"},
        {"scope": "unsent_and_failed", "extra": True},
    ],
)
async def test_malformed_bodies_are_400(
    client: httpx.AsyncClient, gateway: GatewaySandbox, body: dict[str, object]
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    response = await send(client, link_id, body)
    assert (response.status_code, response.json()["code"]) == (400, "validation_failed")


async def test_the_idempotency_key_is_required(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    for headers in ({}, {"Idempotency-Key": ""}, {"Idempotency-Key": "k" * 256}):
        response = await client.post(
            f"/v1/links/{link_id}/transmissions",
            json={"scope": "unsent_and_failed"},
            headers=headers,
        )
        assert (response.status_code, response.json()["code"]) == (400, "validation_failed")


async def test_unknown_link_and_transmission_are_404(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    response = await send(client, "lnk_nope")
    assert (response.status_code, response.json()["code"]) == (404, "link_not_found")
    link_id = await link(client, gateway, "kindly0904")
    other = await link(client, gateway, "yuna.kim")
    tid = (await send(client, other)).json()["transmission_id"]
    response = await client.get(f"/v1/links/{link_id}/transmissions/{tid}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = await client.get(f"/v1/links/lnk_nope/transmissions/{tid}")
    assert (response.status_code, response.json()["code"]) == (404, "link_not_found")
