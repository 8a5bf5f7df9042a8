"""Injected outage and latency, over HTTP and through the Python methods."""

from __future__ import annotations

import asyncio
import time

import httpx

from sandbox.gateway import GatewaySandbox
from tests.gateway.conftest import link


async def test_an_outage_makes_every_v1_call_503_but_health_and_operator_work(
    client: httpx.AsyncClient,
    anon: httpx.AsyncClient,
    gateway: GatewaySandbox,
    operator: httpx.AsyncClient,
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    response = await operator.put("/sandbox/faults", json={"outage": True})
    assert response.json() == {"outage": True, "latency_ms": 0, "fail_next": 0}
    calls = [
        client.post("/v1/link-requests", json={"vms_id": "kindly0904"}),
        client.post("/v1/link-requests/lrq_x/confirmation", json={"code": "123456"}),
        client.get(f"/v1/links/{link_id}/member"),
        client.get(f"/v1/links/{link_id}/records"),
        client.post(
            f"/v1/links/{link_id}/transmissions",
            json={"scope": "unsent_and_failed"},
            headers={"Idempotency-Key": "k"},
        ),
        client.get(f"/v1/links/{link_id}/transmissions/trn_x"),
        client.delete(f"/v1/links/{link_id}"),
        anon.get(f"/v1/links/{link_id}/member"),
    ]
    for call in calls:
        response = await call
        assert (response.status_code, response.json()["code"]) == (503, "unavailable")
        assert response.headers["Retry-After"] == "30"  # every 503 says when to come back
    assert (await anon.get("/v1/health")).status_code == 200
    assert (await operator.get("/sandbox/faults")).json()["outage"] is True
    gateway.set_outage(False)
    assert (await client.get(f"/v1/links/{link_id}/member")).status_code == 200


async def test_latency_delays_v1_calls(
    client: httpx.AsyncClient, gateway: GatewaySandbox, operator: httpx.AsyncClient
) -> None:
    gateway.set_latency(250)
    # A lower bound on the monotonic clock cannot flake: a loaded machine only makes it longer.
    started = time.monotonic()
    await client.post("/v1/link-requests", json={"vms_id": "kindly0904"})
    assert time.monotonic() - started >= 0.25
    # The operator side is never slowed down: with the longest delay the sandbox allows (10 s)
    # on /v1, only an undelayed answer arrives within the bound (a bound that catches a broken
    # sandbox, not a speed claim).
    gateway.set_latency(10_000)
    response = await asyncio.wait_for(operator.get("/sandbox/faults"), 8)
    assert response.status_code == 200
    await operator.put("/sandbox/faults", json={"latency_ms": 0})
    assert gateway.gateway.faults.latency_ms == 0
