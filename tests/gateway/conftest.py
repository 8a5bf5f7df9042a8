"""Fixtures: a gateway sandbox on loopback with a FakeClock, and clients checked by the contract."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.gateway.contract import on_response

API_KEY = "center-key-for-tests-7f3a"
OPERATOR_KEY = "operator-key-for-tests-91c2"
# The sandbox speaks plain HTTP; one shared TLS context spares every client loading CA certs.
TLS = ssl.create_default_context()


@pytest.fixture
def gw_db(tmp_path: Path) -> Path:
    return tmp_path / "gateway.sqlite3"


@pytest.fixture
async def gateway(gw_db: Path, clock: FakeClock) -> AsyncIterator[GatewaySandbox]:
    async with GatewaySandbox(
        api_key=API_KEY, db_path=gw_db, clock=clock, operator_key=OPERATOR_KEY
    ) as sandbox:
        yield sandbox


def make_client(base_url: str, key: str | None = API_KEY) -> httpx.AsyncClient:
    """A client whose every response is validated against linkage/openapi.yaml."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.AsyncClient(
        base_url=base_url,
        headers=headers,
        event_hooks={"response": [on_response]},
        timeout=10,
        verify=TLS,
    )


@pytest.fixture
async def client(gateway: GatewaySandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(gateway.base_url) as http:
        yield http


@pytest.fixture
async def operator(gateway: GatewaySandbox) -> AsyncIterator[httpx.AsyncClient]:
    """The sandbox operator: /sandbox/... with the operator key (the center key is refused)."""
    async with make_client(gateway.base_url, key=OPERATOR_KEY) as http:
        yield http


@pytest.fixture
async def anon(gateway: GatewaySandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(gateway.base_url, key=None) as http:
        yield http


async def request_code(client: httpx.AsyncClient, vms_id: str) -> dict[str, Any]:
    response = await client.post("/v1/link-requests", json={"vms_id": vms_id})
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


async def link(client: httpx.AsyncClient, gateway: GatewaySandbox, vms_id: str) -> str:
    """Walk the proof-of-ownership flow with the delivered code; the new link id."""
    request = await request_code(client, vms_id)
    code = await gateway.delivered_code(vms_id)
    response = await client.post(
        f"/v1/link-requests/{request['request_id']}/confirmation", json={"code": code}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["link_id"])


async def send(
    client: httpx.AsyncClient,
    link_id: str,
    body: dict[str, Any] | None = None,
    key: str | None = None,
) -> httpx.Response:
    """POST a transmission (all unsent and failed by default) with a fresh or given key."""
    return await client.post(
        f"/v1/links/{link_id}/transmissions",
        json=body or {"scope": "unsent_and_failed"},
        headers={"Idempotency-Key": key or uuid.uuid4().hex},
    )


async def records(client: httpx.AsyncClient, link_id: str, **params: Any) -> dict[str, Any]:
    response = await client.get(f"/v1/links/{link_id}/records", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
