"""Checks any HTTP exchange against linkage/openapi.yaml, independently of the sandbox's code."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "linkage" / "openapi.yaml"
# The sandbox's operator API lives in its own document, with its own key.
OPERATOR = ROOT / "sandbox" / "gateway" / "operator.yaml"
FILES = {"contract": SPEC, "operator": OPERATOR}


@functools.cache
def document(which: str = "contract") -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(FILES[which].read_text(encoding="utf-8"))
    return loaded


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # ECMA-262's `$` is the very end; Python's also matches before a final newline.
    if validator.is_type(instance, "string"):
        python = re.sub(r"(?<!\\)\$", r"\\Z", pattern)
        if not re.search(python, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Ecma = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@functools.cache
def _validator(pointer: str, which: str = "contract") -> Draft202012Validator:
    uri = f"urn:test:{which}"
    resource = Resource.from_contents(document(which), default_specification=DRAFT202012)
    registry = Registry().with_resource(uri, resource)
    checker: Draft202012Validator = _Ecma(
        {"$ref": f"{uri}#{pointer}"}, registry=registry, format_checker=FormatChecker()
    )
    return checker


def _deref(node: dict[str, Any], which: str = "contract") -> tuple[dict[str, Any], str]:
    """Follow one local $ref; returns the node and its JSON pointer (or '' if inline)."""
    if "$ref" not in node:
        return node, ""
    pointer = node["$ref"][1:]
    target: Any = document(which)
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
    which: str = "contract"


@functools.cache
def operations(which: str | None = None) -> tuple[Op, ...]:
    """The operations of one document, or of both (None)."""
    found = []
    for name in FILES if which is None else (which,):
        for template, item in document(name)["paths"].items():
            regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            for method, node in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    pointer = f"/paths/{_escape(template)}/{method}"
                    op = Op(method.upper(), template, re.compile(regex), node, pointer, name)
                    found.append(op)
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
        if status == 405:
            assert headers.get("Allow"), f"{where}: 405 without Allow"
        return
    which = op.which
    responses = op.node["responses"]
    assert str(status) in responses, f"{where}: status not documented ({sorted(responses)})"
    response, pointer = _deref(responses[str(status)], which)
    pointer = pointer or f"{op.pointer}/responses/{status}"
    for name, raw_header in response.get("headers", {}).items():
        header, header_pointer = _deref(raw_header, which)
        header_pointer = header_pointer or f"{pointer}/headers/{_escape(name)}"
        if header.get("required"):
            assert name in headers, f"{where}: missing header {name}"
            value: Any = headers[name]
            if header["schema"].get("type") == "integer":
                assert re.fullmatch(r"[0-9]+", value), f"{where}: {name}={value!r}"
                value = int(value)
            errors = _errors(_validator(f"{header_pointer}/schema", which), value)
            assert not errors, f"{where}: header {name}: {errors}"
    content = response.get("content")
    if not content:
        assert body == b"", f"{where}: expected no body, got {body[:200]!r}"
        return
    assert media in content, f"{where}: content type {media!r} not in {sorted(content)}"
    schema = _validator(f"{pointer}/content/{_escape(media)}/schema", which)
    errors = _errors(schema, json.loads(body))
    assert not errors, f"{where}: body does not match the document: {errors[:3]}"


async def on_response(response: httpx.Response) -> None:
    """httpx event hook: every response a test receives is checked against the document."""
    await response.aread()
    request = response.request
    path = request.url.raw_path.decode("ascii").split("?")[0]
    check(request.method, path, response.status_code, response.headers, response.content)
