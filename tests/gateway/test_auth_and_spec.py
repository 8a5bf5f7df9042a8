"""The document itself, health, the bearer key on everything else, and unknown routes."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from openapi_spec_validator import validate

from sandbox.gateway import GatewaySandbox
from sandbox.gateway.problems import Problem
from sandbox.gateway.routes import ROUTES
from tests.gateway import contract
from tests.gateway.conftest import API_KEY, OPERATOR_KEY, make_client


def test_both_documents_are_valid_openapi() -> None:
    validate(contract.document())
    validate(contract.document("operator"))


def test_every_operation_has_a_handler_and_the_operator_api_is_apart() -> None:
    assert {op.node["operationId"] for op in contract.operations()} == set(ROUTES)
    # The vendors' contract holds no /sandbox path and no Sandbox schema; the operator
    # document holds nothing else.
    assert all(op.template.startswith("/v1/") for op in contract.operations("contract"))
    assert all(op.template.startswith("/sandbox/") for op in contract.operations("operator"))
    assert "Sandbox" not in str(contract.document())
    assert contract.document("operator")["security"] == [{"operatorKey": []}]


def test_one_problem_type_per_code() -> None:
    codes = contract.document()["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
    types = {Problem(400, code).body()["type"] for code in codes}
    assert len(types) == len(codes)
    assert all(t.startswith("urn:vms-gateway:problem:") for t in types)


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


async def test_keys_do_not_cross_between_the_contract_and_the_operator_api(
    gateway: GatewaySandbox,
) -> None:
    async with (
        make_client(gateway.base_url, key=API_KEY) as center,
        make_client(gateway.base_url, key=OPERATOR_KEY) as operator,
    ):
        for path in ("/sandbox/members", "/sandbox/deliveries", "/sandbox/faults"):
            refused = await center.get(path)
            assert (refused.status_code, refused.json()["code"]) == (401, "unauthorized")
            assert (await operator.get(path)).status_code == 200
        refused = await operator.get("/v1/links/lnk_x/member")
        assert (refused.status_code, refused.json()["code"]) == (401, "unauthorized")


async def test_without_an_operator_key_the_operator_api_refuses_everyone(tmp_path: Path) -> None:
    sandbox = GatewaySandbox(api_key=API_KEY, db_path=tmp_path / "gw.sqlite3")
    async with sandbox, make_client(sandbox.base_url, key=API_KEY) as center:
        assert (await center.get("/sandbox/deliveries")).status_code == 401
        assert (await center.request("GET", "/sandbox/members", headers={})).status_code == 401
    with pytest.raises(ValueError):
        GatewaySandbox(api_key=API_KEY, db_path=tmp_path / "x.sqlite3", operator_key=API_KEY)


async def test_unknown_routes_and_methods_are_problems(client: httpx.AsyncClient) -> None:
    for path in ("/", "/v2/health", "/v1/links", "/v1/links/abc/unknown", "/sandbox"):
        response = await client.get(path)
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = await client.put("/v1/health")
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")
    assert response.json()["type"] == "urn:vms-gateway:problem:method_not_allowed"
    assert "GET" in response.headers["Allow"]
    response = await client.delete("/v1/links/abc/transmissions")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


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


async def test_broken_bodies_are_400_huge_ones_413_and_other_types_415(
    client: httpx.AsyncClient,
) -> None:
    json_type = {"Content-Type": "application/json"}
    for raw in [b"", b"{", b"\xff\xfe", b"[" * 100_000, b'{"vms_id": NaN}']:
        response = await client.post("/v1/link-requests", content=raw, headers=json_type)
        assert (response.status_code, response.json()["code"]) == (400, "validation_failed")
    huge = await client.post(
        "/v1/link-requests", content=b"x" * (1024 * 1024 + 1), headers=json_type
    )
    assert (huge.status_code, huge.json()["code"]) == (413, "payload_too_large")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = await client.post(
            "/v1/link-requests", content=b'{"vms_id": "kindly0904"}', headers=headers
        )
        assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize(
    "vms_id", ["kindly0904\n", "evil0001\n", "kindly0904\r\n", "\nkindly0904", "kindly0904\x00"]
)
async def test_a_trailing_newline_matches_no_pattern(
    client: httpx.AsyncClient, operator: httpx.AsyncClient, gateway: GatewaySandbox, vms_id: str
) -> None:
    response = await client.post("/v1/link-requests", json={"vms_id": vms_id})
    assert (response.status_code, response.json()["code"]) == (400, "validation_failed")
    code = await client.post("/v1/link-requests/lrq_x/confirmation", json={"code": "123456\n"})
    assert (code.status_code, code.json()["code"]) == (400, "validation_failed")
    created = await operator.put(f"/sandbox/members/{quote(vms_id, safe='')}", json={})
    assert (created.status_code, created.json()["code"]) == (400, "validation_failed")
    with pytest.raises(ValueError):
        gateway.put_member(vms_id)
    assert await gateway.delivered_code("kindly0904") is None


async def test_only_loopback(tmp_path: object) -> None:
    sandbox = GatewaySandbox(api_key=API_KEY, db_path=f"{tmp_path}/gw.sqlite3")
    with pytest.raises(ValueError):
        await sandbox.start("0.0.0.0")
    with pytest.raises(ValueError):
        GatewaySandbox(api_key="", db_path=f"{tmp_path}/gw.sqlite3")
    await sandbox.stop()


def test_the_document_itself_ties_record_ids_to_the_scope() -> None:
    # Vendors build from the document: the rule must be in the schema, not only in prose.
    schema = contract._validator("/components/schemas/TransmissionCreate")
    assert schema.is_valid({"scope": "unsent_and_failed"})
    assert schema.is_valid({"scope": "selected", "record_ids": ["rec_1"]})
    assert not schema.is_valid({"scope": "selected"})
    assert not schema.is_valid({"scope": "unsent_and_failed", "record_ids": ["rec_1"]})
    consent = contract._validator("/components/schemas/Consent")
    assert consent.is_valid({"agreed": True, "agreed_on": "2019-09-11"})
    assert consent.is_valid({"agreed": False, "agreed_on": None})
    assert not consent.is_valid({"agreed": True, "agreed_on": None})
    minutes = contract._validator("/components/schemas/Record/properties/minutes")
    assert not minutes.is_valid(1441)
    assert not contract._validator("/components/schemas/DateTime").is_valid("2026-03-02T09:00:00")
