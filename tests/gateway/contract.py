"""Checks any HTTP exchange against linkage/openapi.yaml, independently of the sandbox's code."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC = Path(__file__).resolve().parents[2] / "linkage" / "openapi.yaml"
URI = "urn:test:contract"


@functools.cache
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


@functools.cache
def _validator(pointer: str) -> Draft202012Validator:
    resource = Resource.from_contents(document(), default_specification=DRAFT202012)
    registry = Registry().with_resource(URI, resource)
    return Draft202012Validator(
        {"$ref": f"{URI}#{pointer}"}, registry=registry, format_checker=FormatChecker()
    )


def _deref(node: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Follow one local $ref; returns the node and its JSON pointer (or '' if inline)."""
    if "$ref" not in node:
        return node, ""
    pointer = node["$ref"][1:]
    target: Any = document()
    for token in pointer[1:].split("/"):
        target = target[token.replace("~1", "/").replace("~0", "~")]
    return target, pointer


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class Op:
    method: str
    template: str
    pattern: re.Pattern[str]
    node: dict[str, Any]
    pointer: str


@functools.cache
def operations() -> tuple[Op, ...]:
    found = []
    for template, item in document()["paths"].items():
        regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        for method, node in item.items():
            if method in ("get", "put", "post", "delete", "patch"):
                pointer = f"/paths/{_escape(template)}/{method}"
                found.append(Op(method.upper(), template, re.compile(regex), node, pointer))
    return tuple(found)


def find(method: str, raw_path: str) -> Op | None:
    for op in operations():
        if op.method == method and op.pattern.match(raw_path):
            return op
    return None


def _errors(validator: Draft202012Validator, value: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)]


def check(method: str, raw_path: str, status: int, headers: httpx.Headers, body: bytes) -> None:
    """AssertionError unless the response is one the document allows for this request."""
    where = f"{method} {raw_path} -> {status}"
    media = headers.get("content-type", "").split(";")[0].strip()
    op = find(method, raw_path)
    if op is None:  # not an operation: must still be a problem
        assert status in (404, 405), f"{where}: undocumented route answered {status}"
        assert media == "application/problem+json", f"{where}: {media}"
        errors = _errors(_validator("/components/schemas/Problem"), json.loads(body))
        assert not errors, f"{where}: {errors}"
        return
    responses = op.node["responses"]
    assert str(status) in responses, f"{where}: status not documented ({sorted(responses)})"
    response, pointer = _deref(responses[str(status)])
    pointer = pointer or f"{op.pointer}/responses/{status}"
    for name, header in response.get("headers", {}).items():
        if header.get("required"):
            assert name in headers, f"{where}: missing header {name}"
            value: Any = headers[name]
            if header["schema"].get("type") == "integer":
                assert re.fullmatch(r"[0-9]+", value), f"{where}: {name}={value!r}"
                value = int(value)
            errors = _errors(_validator(f"{pointer}/headers/{_escape(name)}/schema"), value)
            assert not errors, f"{where}: header {name}: {errors}"
    content = response.get("content")
    if not content:
        assert body == b"", f"{where}: expected no body, got {body[:200]!r}"
        return
    assert media in content, f"{where}: content type {media!r} not in {sorted(content)}"
    errors = _errors(_validator(f"{pointer}/content/{_escape(media)}/schema"), json.loads(body))
    assert not errors, f"{where}: body does not match the document: {errors[:3]}"


async def on_response(response: httpx.Response) -> None:
    """httpx event hook: every response a test receives is checked against the document."""
    await response.aread()
    request = response.request
    path = request.url.raw_path.decode("ascii").split("?")[0]
    check(request.method, path, response.status_code, response.headers, response.content)
