"""The aiohttp application: a route per documented operation behind one guarding middleware."""

from __future__ import annotations

import asyncio
import hmac
import inspect
import logging
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

from . import spec
from .core import Gateway
from .hooks import Hooks
from .problems import Problem, validation_failed
from .routes import ROUTES, Route

log = logging.getLogger("sandbox.gateway")
MAX_BODY = 1024 * 1024
AioHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _authorized(request: web.Request, api_key: bytes | None) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or api_key is None:
        return False
    return hmac.compare_digest(given.strip().encode("utf-8", "replace"), api_key)


def _from_http(exc: web.HTTPException) -> Problem:
    """aiohttp's own refusals (no route, wrong method, huge body) as problems."""
    if exc.status == 413:
        return Problem(413, "payload_too_large", f"body: larger than {MAX_BODY} bytes")
    if isinstance(exc, web.HTTPMethodNotAllowed):
        allowed = ", ".join(sorted(exc.allowed_methods))
        return Problem(405, "method_not_allowed", f"allowed: {allowed}", headers={"Allow": allowed})
    if exc.status == 404:
        return Problem(404, "not_found", "no such operation")
    if exc.status < 500:
        return validation_failed(exc.reason)
    return Problem(500, "internal", exc.reason)


def _guard(
    gw: Gateway, keys: dict[str, bytes | None], hooks: Hooks
) -> Callable[..., Awaitable[web.StreamResponse]]:
    operations = {op.operation_id: op for op in spec.operations()}

    @web.middleware
    async def guard(request: web.Request, handler: AioHandler) -> web.StreamResponse:
        """Fault injection, then the key, then the handler; every refusal as a problem."""
        try:
            if request.match_info.http_exception is not None:
                raise request.match_info.http_exception
            op = operations[str(request.match_info.route.name)]
            if op.path.startswith("/v1/") and op.operation_id != "health":
                if gw.faults.latency_ms:
                    await asyncio.sleep(gw.faults.latency_ms / 1000)
                if gw.faults.outage:
                    raise Problem(503, "unavailable", "simulated outage (sandbox fault injection)")
            if op.secured and not _authorized(request, keys[op.audience]):
                whose = "center API key" if op.audience == "contract" else "operator key"
                raise Problem(401, "unauthorized", f"send Authorization: Bearer <{whose}>")
            answer = await handler(request)
            if isinstance(answer, web.Response):
                answer = await hooks.apply(op.operation_id, answer)
            return answer
        except Problem as problem:
            response = problem.response()
        except web.HTTPException as exc:
            response = _from_http(exc).response()
        except Exception:
            # A sandbox bug must be loud in its log, and still answer in the contract's shape.
            log.exception("sandbox gateway failed on %s %s", request.method, request.path)
            response = Problem(500, "internal", "sandbox bug; see its log").response()
        if response.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="vms-gateway"'
        return response

    return guard


def _handler(gw: Gateway, op: spec.Operation, route: Route) -> AioHandler:
    async def handle(request: web.Request) -> web.StreamResponse:
        """Validate the request against the document, then run the operation."""
        raw = b""
        if op.body is not None:
            if request.content_type != "application/json":
                raise Problem(415, "unsupported_media_type", "send Content-Type: application/json")
            raw = await request.read()
        query = {key: request.query.getall(key) for key in set(request.query.keys())}
        parsed = spec.parse(
            op, dict(request.match_info), query, request.headers, raw, route.bad_path()
        )
        answer = route.run(gw, parsed)
        return await answer if inspect.isawaitable(answer) else answer

    return handle


def build_app(
    gw: Gateway, api_key: str, operator_key: str | None = None, hooks: Hooks | None = None
) -> web.Application:
    """Every operation of linkage/openapi.yaml and operator.yaml, and nothing else.

    The operator API (/sandbox/...) answers only to `operator_key`, never to the center's key;
    without one it refuses every call.
    """
    missing = {op.operation_id for op in spec.operations()} - ROUTES.keys()
    if missing:
        raise RuntimeError(f"operations without a handler: {sorted(missing)}")
    keys = {
        "contract": api_key.encode(),
        "operator": None if not operator_key else operator_key.encode(),
    }
    guard = _guard(gw, keys, hooks if hooks is not None else Hooks())
    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY)
    for op in spec.operations():
        handler = _handler(gw, op, ROUTES[op.operation_id])
        # aiohttp's default segment pattern refuses { and }; any id must reach its handler.
        path = re.sub(r"\{(\w+)\}", r"{\1:[^/]+}", op.path)
        app.router.add_route(op.method, path, handler, name=op.operation_id)
    return app
