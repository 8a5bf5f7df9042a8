"""The contract, loaded once from linkage/openapi.yaml, and request validation against it."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .problems import Problem, validation_failed

SPEC_PATH = Path(__file__).resolve().parents[2] / "linkage" / "openapi.yaml"
DOC_URI = "urn:yeongye-helper:linkage-gateway"
METHODS = ("get", "put", "post", "delete", "patch")
_INTEGER = re.compile(r"-?[0-9]{1,18}")


@functools.cache
def document() -> dict[str, Any]:
    """The parsed OpenAPI document."""
    with SPEC_PATH.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


@functools.cache
def _registry() -> Registry:
    resource = Resource.from_contents(document(), default_specification=DRAFT202012)
    return Registry().with_resource(DOC_URI, resource)


@functools.cache
def validator(pointer: str) -> Draft202012Validator:
    """A validator for the schema at a JSON pointer into the document (formats checked)."""
    schema = {"$ref": f"{DOC_URI}#{pointer}"}
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _resolve(node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Follow a local $ref to a parameter object; returns it and its pointer."""
    ref = node.get("$ref")
    if ref is None:
        return node, None
    target: Any = document()
    for token in ref[2:].split("/"):
        target = target[token.replace("~1", "/").replace("~0", "~")]
    return target, ref[1:]


@dataclass(frozen=True)
class Param:
    """One parameter of an operation."""

    name: str
    location: str
    required: bool
    integer: bool
    check: Draft202012Validator


@dataclass(frozen=True)
class Operation:
    """One documented operation."""

    operation_id: str
    method: str
    path: str
    secured: bool
    params: tuple[Param, ...]
    body: Draft202012Validator | None = None
    responses: frozenset[str] = field(default_factory=frozenset)


@functools.cache
def operations() -> tuple[Operation, ...]:
    """Every operation in the document, in document order."""
    doc, found = document(), []
    for path, item in doc["paths"].items():
        base = f"/paths/{_escape(path)}"
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            where = f"{base}/{method}"
            params = _params(item.get("parameters", []), f"{base}/parameters")
            params += _params(op.get("parameters", []), f"{where}/parameters")
            body = None
            if "requestBody" in op:
                body = validator(f"{where}/requestBody/content/application~1json/schema")
            found.append(
                Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    secured=bool(op.get("security", doc.get("security"))),
                    params=tuple(params),
                    body=body,
                    responses=frozenset(op["responses"]),
                )
            )
    return tuple(found)


def _params(nodes: list[dict[str, Any]], where: str) -> list[Param]:
    out = []
    for n, node in enumerate(nodes):
        param, pointer = _resolve(node)
        pointer = pointer or f"{where}/{n}"
        out.append(
            Param(
                name=param["name"],
                location=param["in"],
                required=bool(param.get("required", False)),
                integer=param["schema"].get("type") == "integer",
                check=validator(f"{pointer}/schema"),
            )
        )
    return out


@dataclass
class Parsed:
    """A request that passed validation."""

    path: dict[str, str]
    query: dict[str, Any]
    headers: dict[str, str]
    body: Any = None


def check(where: str, schema: Draft202012Validator, value: Any) -> None:
    """400 validation_failed naming the most relevant error, if `value` does not match."""
    error = best_match(schema.iter_errors(value))
    if error is not None:
        at = "/".join(str(p) for p in error.absolute_path)
        raise validation_failed(f"{where}{'/' + at if at else ''}: {error.message}")


def parse(
    op: Operation,
    path: dict[str, str],
    query: dict[str, list[str]],
    headers: Mapping[str, str],
    raw_body: bytes,
    bad_path: Problem | None,
) -> Parsed:
    """Check everything against the document: 400 validation_failed, or `bad_path` for ids."""
    parsed = Parsed({}, {}, {})
    for param in op.params:
        if param.location == "path":
            value: Any = path[param.name]
            if bad_path is not None and not param.check.is_valid(value):
                raise bad_path
            parsed.path[param.name] = value
            continue
        source = query.get(param.name) if param.location == "query" else None
        if param.location == "header":
            source = [headers[param.name]] if param.name in headers else None
        if not source:
            if param.required:
                raise validation_failed(f"{param.name}: required {param.location} parameter")
            continue
        if len(source) > 1:
            raise validation_failed(f"{param.name}: given more than once")
        value = source[0]
        if param.integer and _INTEGER.fullmatch(value):
            value = int(value)
        check(param.name, param.check, value)
        (parsed.query if param.location == "query" else parsed.headers)[param.name] = value
    if op.body is not None:
        parsed.body = _json(raw_body)
        check("body", op.body, parsed.body)
    return parsed


def _json(raw: bytes) -> Any:
    if not raw.strip():
        raise validation_failed("body: a JSON body is required")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise validation_failed("body: not valid JSON") from None


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON, whatever Python's parser tolerates."""
    raise ValueError(f"{name} is not JSON")
