"""Random requests generated from the document never break the sandbox or the contract."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from sandbox.gateway import DEMO_MEMBERS, GatewaySandbox
from tests.gateway import contract
from tests.gateway.conftest import link, request_code, send

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)
# Printable ASCII without surrounding blanks: anything else HTTP clients refuse to send at all.
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1).filter(
    lambda value: value == value.strip()
)


def inline(node: Any, which: str = "contract") -> Any:
    """The schema with every local $ref replaced by its target (the document has no cycles)."""
    if isinstance(node, list):
        return [inline(n, which) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target, _ = contract._deref({"$ref": node["$ref"]}, which)
        return inline({**target, **{k: v for k, v in node.items() if k != "$ref"}}, which)
    return {k: inline(v, which) for k, v in node.items() if k != "discriminator"}


def from_document(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """from_schema, except objects: hypothesis-jsonschema 0.23's object strategy uses a
    hypothesis internal (`many().more()`) that current hypothesis no longer has."""
    if "oneOf" in schema:
        return st.one_of([from_document(s) for s in schema["oneOf"]])
    if schema.get("type") == "object":
        props, required = schema.get("properties", {}), set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: from_document(v) for k, v in props.items() if k in required},
            optional={k: from_document(v) for k, v in props.items() if k not in required},
        )
    if schema.get("type") == "array" and schema["items"].get("type") == "object":
        size = schema.get("minItems", 0)
        return st.lists(from_document(schema["items"]), min_size=size, max_size=size + 3)
    return from_schema(schema)


def params(op: contract.Op) -> list[dict[str, Any]]:
    item = contract.document(op.which)["paths"][op.template]
    nodes = item.get("parameters", []) + op.node.get("parameters", [])
    return [inline(n, op.which) for n in nodes]


def body_schema(op: contract.Op) -> dict[str, Any] | None:
    body = op.node.get("requestBody")
    if body is None:
        return None
    return dict(inline(body["content"]["application/json"]["schema"], op.which))


class Known:
    """Real ids, so random requests also reach past the not-found checks."""

    def __init__(self) -> None:
        self.ids: dict[str, list[str]] = {"vms_id": list(DEMO_MEMBERS)}


@pytest.fixture
async def known(gateway: GatewaySandbox, client: httpx.AsyncClient) -> AsyncIterator[Known]:
    found = Known()
    found.ids["link_id"] = [await link(client, gateway, v) for v in ("kindly0904", "hanbit2007")]
    found.ids["request_id"] = [(await request_code(client, "minjun.vms"))["request_id"]]
    sent = await send(client, found.ids["link_id"][0])
    found.ids["transmission_id"] = [sent.json()["transmission_id"]]
    yield found


def path_value(
    op: contract.Op, name: str, schema: dict[str, Any], known: Known
) -> st.SearchStrategy[str]:
    generated = from_document(schema).filter(lambda s: s not in (".", ".."))
    if op.node["operationId"] == "revokeLink":  # keep the known links alive for the others
        return generated
    return st.sampled_from(known.ids.get(name, ["x"])) | generated


def query_value(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    return from_document(schema).map(str) | st.text(max_size=30)


def body_for(op: contract.Op) -> st.SearchStrategy[bytes | None]:
    schema = body_schema(op)
    if schema is None:
        return st.none()
    valid = from_document(schema)
    if op.node["operationId"] == "sandboxSetFaults":  # keep the suite fast
        valid = valid.map(lambda b: {**b, "latency_ms": min(b.get("latency_ms", 0), 5)})
    kinds = {
        "valid": valid.map(lambda v: json.dumps(v).encode()),
        "json": JSON.map(lambda v: json.dumps(v).encode()),
        "bytes": st.binary(max_size=40),
        "none": st.none(),
    }
    # Mostly valid bodies, so requests also get past validation into the rules.
    chosen = st.sampled_from(["valid"] * 5 + ["json", "bytes", "none"])
    return chosen.flatmap(lambda kind: kinds[kind])


# Reset is left out: it would revoke the known links every few examples (test_operator covers it).
OPERATIONS = [op for op in contract.operations() if op.node["operationId"] != "sandboxReset"]


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_generated_requests_get_documented_answers(
    data: st.DataObject,
    client: httpx.AsyncClient,
    operator: httpx.AsyncClient,
    gateway: GatewaySandbox,
    known: Known,
) -> None:
    op = data.draw(st.sampled_from(OPERATIONS), label="operation")
    path, query, headers = op.template, {}, {}
    for param in params(op):
        name, schema, where = param["name"], param["schema"], param["in"]
        if where == "path":
            value = data.draw(path_value(op, name, schema, known), label=name)
            path = path.replace("{" + name + "}", quote(value, safe=""))
        elif data.draw(st.integers(0, 9), label=f"send {name}") < (
            8 if param.get("required") else 5
        ):
            if where == "query":
                query[name] = data.draw(query_value(schema), label=name)
            else:
                headers[name] = data.draw(HEADER_TEXT | st.sampled_from(["k1", "k2"]), label=name)
    raw = data.draw(body_for(op), label="body")
    if raw is not None:
        headers["Content-Type"] = "application/json"
    # The client's event hook checks the answer against the document.
    http = client if op.which == "contract" else operator
    response = await http.request(op.method, path, params=query, headers=headers, content=raw)
    event(f"{op.node['operationId']} {response.status_code}")  # --hypothesis-show-statistics
    if response.status_code >= 500:
        assert response.status_code == 503, response.text
        assert gateway.gateway.faults.outage and response.json()["code"] == "unavailable"
