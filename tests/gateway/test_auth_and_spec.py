"""The document itself, health, the bearer key on everything else, and unknown routes."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from openapi_spec_validator import validate

from sandbox.gateway import GatewaySandbox
from sandbox.gateway.routes import ROUTES
from tests.gateway import contract
from tests.gateway.conftest import API_KEY, make_client


def test_the_document_is_valid_openapi() -> None:
    validate(contract.document())


def test_every_operation_has_a_handler_and_sandbox_ones_are_tagged() -> None:
    ops = contract.operations()
    assert {op.node["operationId"] for op in ops} == set(ROUTES)
    for op in ops:
        on_sandbox = op.template.startswith("/sandbox/")
        assert on_sandbox == ("sandbox" in op.node.get("tags", [])), op.template
        assert on_sandbox or op.template.startswith("/v1/")


def concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "some_id_1", template)


async def test_health_needs_no_key_and_says_simulated(anon: httpx.AsyncClient) -> None:
    body = (await anon.get("/v1/health")).json()
    assert body["status"] == "ok" and body["simulated"] is True


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-key"},
        {"Authorization": f"Basic {API_KEY}"},
        {"Authorization": f"Bearer {API_KEY}x"},
        {"Authorization": "Bearer"},
        {b"Authorization": "Bearer 키".encode()},  # raw UTF-8 bytes on the wire
    ],
)
async def test_every_other_operation_needs_the_key(
    gateway: GatewaySandbox, headers: dict[str, str] | dict[bytes, bytes]
) -> None:
    async with make_client(gateway.base_url, key=None) as http:
        for op in contract.operations():
            if op.node["operationId"] == "health":
                continue
            response = await http.request(op.method, concrete(op.template), headers=headers)
            assert response.status_code == 401, op.template
            assert response.json()["code"] == "unauthorized"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_unknown_routes_and_methods_are_problems(client: httpx.AsyncClient) -> None:
    for path in ("/", "/v2/health", "/v1/links", "/v1/links/abc/unknown", "/sandbox"):
        response = await client.get(path)
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = await client.put("/v1/health")
    assert (response.status_code, response.json()["code"]) == (405, "not_found")


async def test_the_key_is_never_logged(
    gateway: GatewaySandbox, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await client.post("/v1/link-requests", json={"vms_id": "kindly0904"})
    await client.get("/v1/links/nope/member")
    async with make_client(gateway.base_url, key=API_KEY + "-wrong") as wrong:
        await wrong.get("/v1/links/nope/member")
    assert caplog.records
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
    assert API_KEY not in repr(gateway)


async def test_huge_and_broken_bodies_are_400(client: httpx.AsyncClient) -> None:
    bodies = [b"", b"{", b"\xff\xfe", b"[" * 100_000, b'{"vms_id": NaN}', b"x" * (1024 * 1024 + 1)]
    for raw in bodies:
        response = await client.post(
            "/v1/link-requests", content=raw, headers={"Content-Type": "application/json"}
        )
        assert (response.status_code, response.json()["code"]) == (400, "validation_failed")


async def test_only_loopback(tmp_path: object) -> None:
    sandbox = GatewaySandbox(api_key=API_KEY, db_path=f"{tmp_path}/gw.sqlite3")
    with pytest.raises(ValueError):
        await sandbox.start("0.0.0.0")
    with pytest.raises(ValueError):
        GatewaySandbox(api_key="", db_path=f"{tmp_path}/gw.sqlite3")
    await sandbox.stop()
