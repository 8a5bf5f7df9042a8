"""The contract, loaded once from linkage/openapi.yaml, and request validation against it."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .problems import Problem, validation_failed

SPEC_PATH = Path(__file__).resolve().parents[2] / "linkage" / "openapi.yaml"
OPERATOR_PATH = Path(__file__).resolve().with_name("operator.yaml")
# The vendors' contract, and the sandbox's own operator API in a document of its own.
PATHS = {"contract": SPEC_PATH, "operator": OPERATOR_PATH}
METHODS = ("get", "put", "post", "delete", "patch")
_INTEGER = re.compile(r"-?[0-9]{1,18}")


def _uri(which: str) -> str:
    return f"urn:yeongye-helper:linkage-gateway:{which}"


@functools.cache
def document(which: str = "contract") -> dict[str, Any]:
    """The parsed OpenAPI document: "contract" (linkage/openapi.yaml) or "operator"."""
    with PATHS[which].open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


@functools.cache
def _registry() -> Registry:
    registry = Registry()
    for which in PATHS:
        resource = Resource.from_contents(document(which), default_specification=DRAFT202012)
        registry = registry.with_resource(_uri(which), resource)
    return registry


@functools.cache
def ecma(pattern: str) -> re.Pattern[str]:
    """The pattern with ECMA-262's `$`: the very end, never before a final newline.

    Python's `$` also matches before a trailing newline, so "kindly0904\n" would pass
    "^[A-Za-z0-9_.-]{4,30}$"; the document's patterns are meant the ECMA way.
    """
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return re.compile("".join(out))


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@functools.cache
def validator(pointer: str, which: str = "contract") -> Draft202012Validator:
    """A validator for the schema at a JSON pointer into a document (formats checked)."""
    schema = {"$ref": f"{_uri(which)}#{pointer}"}
    checker: Draft202012Validator = _Validator(
        schema, registry=_registry(), format_checker=FormatChecker()
    )
    return checker


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _resolve(node: dict[str, Any], which: str) -> tuple[dict[str, Any], str | None]:
    """Follow a local $ref to a parameter object; returns it and its pointer."""
    ref = node.get("$ref")
    if ref is None:
        return node, None
    target: Any = document(which)
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
    audience: str  # "contract": the center's key; "operator": the sandbox operator's key
    params: tuple[Param, ...]
    body: Draft202012Validator | None = None
    responses: frozenset[str] = field(default_factory=frozenset)


@functools.cache
def operations() -> tuple[Operation, ...]:
    """Every operation of both documents, in document order."""
    found = []
    for which in PATHS:
        doc = document(which)
        for path, item in doc["paths"].items():
            base = f"/paths/{_escape(path)}"
            for method in METHODS:
                if method not in item:
                    continue
                op = item[method]
                where = f"{base}/{method}"
                params = _params(item.get("parameters", []), f"{base}/parameters", which)
                params += _params(op.get("parameters", []), f"{where}/parameters", which)
                body = None
                if "requestBody" in op:
                    pointer = f"{where}/requestBody/content/application~1json/schema"
                    body = validator(pointer, which)
                found.append(
                    Operation(
                        operation_id=op["operationId"],
                        method=method.upper(),
                        path=path,
                        secured=bool(op.get("security", doc.get("security"))),
                        audience=which,
                        params=tuple(params),
                        body=body,
                        responses=frozenset(op["responses"]),
                    )
                )
    return tuple(found)


def _params(nodes: list[dict[str, Any]], where: str, which: str) -> list[Param]:
    out = []
    for n, node in enumerate(nodes):
        param, pointer = _resolve(node, which)
        pointer = pointer or f"{where}/{n}"
        out.append(
            Param(
                name=param["name"],
                location=param["in"],
                required=bool(param.get("required", False)),
                integer=param["schema"].get("type") == "integer",
                check=validator(f"{pointer}/schema", which),
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
