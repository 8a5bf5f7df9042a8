"""The httpx client of the linkage gateway: one deadline per call, bounded retries, typed errors.

Only GatewayError subclasses leave a public method, whatever the wire brings. Retries are a
small loop rather than a library (stamina, tenacity): the policy is one total deadline that
also bounds the request in flight, waits taken from Retry-After (seconds or HTTP-date), and
failing at once, carrying `retry_after`, when the wait would outlast the deadline.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from email.utils import parsedate_to_datetime
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from core.clock import Clock, SystemClock
from core.tls import client_context
from linkage.errors import (
    PROBLEM_CODES,
    ConsentMissing,
    GatewayError,
    GatewayRateLimited,
    GatewayRejected,
    GatewayUnauthorized,
    GatewayUnavailable,
    InvalidArgument,
    InvalidResponse,
    LinkCodeExpired,
    LinkCodeInvalid,
    LinkNotFound,
    LinkRequestLocked,
    NotFound,
    NothingToSend,
    RequestNotFound,
)
from linkage.models import (
    Health,
    Link,
    LinkRequest,
    Member,
    RecordPage,
    Transmission,
    TransmissionList,
)

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
P = ParamSpec("P")
R = TypeVar("R")

DEADLINE = 15.0  # seconds one call may take in all, retries and waits included
RETRY_AFTER_MIN, RETRY_AFTER_MAX, RETRY_AFTER_DEFAULT = 1, 3600, 60
# The largest answer the client reads (bytes, after any Content-Encoding is undone). The
# biggest the contract allows (a 100-record page, a 500-record transmission) is a few hundred
# KiB; without a limit a broken or hostile gateway's 300 MiB body took the bot from 55 MiB to
# 2 GiB resident before it failed to parse, for every call in flight at once.
MAX_BODY = 4 * 1024 * 1024
_DIGITS = re.compile(r"[0-9]+")
_RETRYABLE_STATUS = {502, 503, 504}
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_BY_CODE: dict[str, type[GatewayError]] = {
    "consent_vms_missing": ConsentMissing,
    "nothing_to_send": NothingToSend,
    "not_found": NotFound,
    "link_not_found": LinkNotFound,
    "request_not_found": RequestNotFound,
    "code_expired": LinkCodeExpired,
    "request_locked": LinkRequestLocked,
    "unavailable": GatewayUnavailable,
}


def _typed(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Whatever goes wrong inside, the caller sees a GatewayError (or a cancellation)."""

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except GatewayError:
            raise
        except Exception as exc:  # RecursionError, TypeError, a decoder's error, …
            logger.error("gateway answer could not be read (%s)", type(exc).__name__)
            unreadable = InvalidResponse(
                f"gateway answer could not be read: {type(exc).__name__}", code="invalid_response"
            )
            unreadable.maybe_processed = True  # nothing says the gateway did not act
            raise unreadable from None

    return call


class GatewayClient:
    """One shared client per process; open it with the application, close it with it."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.2,
        deadline: float = DEADLINE,
        clock: Clock | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._retries = retries
        self._backoff = backoff
        self._deadline = deadline
        # Only to read Retry-After's HTTP-date form against "now".
        self._clock: Clock = clock or SystemClock()
        self._unauthorized_reported = False
        self._http = httpx.AsyncClient(
            base_url=self._base_url,
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=transport,
            verify=client_context(),
        )

    def __repr__(self) -> str:
        # The key lives only inside the httpx client's headers; never in a repr or a log.
        return f"GatewayClient({self._base_url!r}, api_key=[secret])"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> GatewayClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- the contract, one method per operation ------------------------------------------

    @_typed
    async def health(self) -> Health:
        return _parse(Health, await self._call("GET", "/v1/health", retry=True))

    @_typed
    async def request_link_code(self, vms_id: str) -> LinkRequest:
        # Not retried: a retry could deliver a second code to the member's phone.
        response = await self._call("POST", "/v1/link-requests", json={"vms_id": vms_id})
        return _parse(LinkRequest, response)

    @_typed
    async def confirm_link(self, request_id: str, code: str) -> Link:
        path = f"/v1/link-requests/{_segment(request_id)}/confirmation"
        return _parse(Link, await self._call("POST", path, json={"code": code}))

    @_typed
    async def revoke_link(self, link_id: str) -> None:
        await self._call("DELETE", f"/v1/links/{_segment(link_id)}", retry=True)

    @_typed
    async def member(self, link_id: str) -> Member:
        path = f"/v1/links/{_segment(link_id)}/member"
        return _parse(Member, await self._call("GET", path, retry=True))

    @_typed
    async def records(
        self,
        link_id: str,
        *,
        status: Iterable[str] | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> RecordPage:
        params: dict[str, str | int] = {"limit": limit}
        if status:
            params["status"] = ",".join(status)
        if cursor:
            params["cursor"] = cursor
        path = f"/v1/links/{_segment(link_id)}/records"
        return _parse(RecordPage, await self._call("GET", path, params=params, retry=True))

    @_typed
    async def create_transmission(
        self, link_id: str, *, idempotency_key: str, record_ids: list[str] | None = None
    ) -> Transmission:
        body: dict[str, Any] = {"scope": "unsent_and_failed"}
        if record_ids is not None:
            if not record_ids:
                # An empty choice must never widen into "send everything".
                raise InvalidArgument(
                    "record_ids is empty: choose at least one record, or pass None"
                )
            body = {"scope": "selected", "record_ids": record_ids}
        path = f"/v1/links/{_segment(link_id)}/transmissions"
        # Safe to retry: the gateway answers a repeated key with the same transmission.
        response = await self._call(
            "POST", path, json=body, headers={"Idempotency-Key": idempotency_key}, retry=True
        )
        return _parse(Transmission, response)

    @_typed
    async def transmission(self, link_id: str, transmission_id: str) -> Transmission:
        path = f"/v1/links/{_segment(link_id)}/transmissions/{_segment(transmission_id)}"
        return _parse(Transmission, await self._call("GET", path, retry=True))

    @_typed
    async def transmissions(self, link_id: str, *, limit: int = 20) -> list[Transmission]:
        """The member's newest transmissions first: finds one whose id a crash lost."""
        path = f"/v1/links/{_segment(link_id)}/transmissions"
        response = await self._call("GET", path, params={"limit": limit}, retry=True)
        return list(_parse(TransmissionList, response).items)

    # --- transport -----------------------------------------------------------------------

    async def _call(
        self, method: str, path: str, *, retry: bool = False, **kwargs: Any
    ) -> httpx.Response:
        """One operation within the deadline: a 2xx answer, or a GatewayError."""
        loop = asyncio.get_running_loop()
        ends = loop.time() + self._deadline
        try:
            async with asyncio.timeout_at(ends):
                return await self._attempts(method, path, retry, ends, kwargs)
        except TimeoutError:
            # A hung server, or one dribbling bytes slower than any read timeout notices.
            late = GatewayUnavailable(
                f"gateway gave no complete answer within {self._deadline:g} s", code="deadline"
            )
            late.maybe_processed = True  # the request may well have reached it
            raise late from None

    async def _attempts(
        self, method: str, path: str, retry: bool, ends: float, kwargs: dict[str, Any]
    ) -> httpx.Response:
        loop = asyncio.get_running_loop()
        attempts = 1 + (self._retries if retry else 0)
        maybe_processed = False
        for attempt in range(attempts):
            started = time.monotonic()
            wait: int | None = None
            try:
                response = await self._exchange(method, path, kwargs)
            except httpx.DecodingError as exc:  # e.g. a broken gzip body
                garbled = InvalidResponse(
                    f"gateway body could not be decoded: {type(exc).__name__}",
                    code="invalid_response",
                )
                garbled.maybe_processed = True  # an answer came: the gateway may have acted
                raise garbled from None
            except httpx.HTTPError as exc:
                failure: GatewayError = GatewayUnavailable(
                    f"gateway unreachable: {type(exc).__name__}"
                )
                # Only a connection never made (or never taken from the pool) surely sent
                # nothing; a timeout or a broken answer may come after the gateway acted.
                maybe_processed |= not isinstance(exc, _NOT_SENT)
            else:
                logger.debug(
                    "gateway %s %s -> %s in %.0f ms",
                    method,
                    _template(path),
                    response.status_code,
                    (time.monotonic() - started) * 1000,
                )
                if 200 <= response.status_code < 300:
                    return response
                failure = self._problem(response)
                maybe_processed |= failure.maybe_processed
                failure.maybe_processed = maybe_processed
                if response.status_code not in _RETRYABLE_STATUS:
                    raise failure
                if isinstance(failure, GatewayUnavailable):
                    wait = failure.retry_after
            if attempt + 1 >= attempts:
                break
            # Retry-After when the gateway gave one; else exponential backoff with full
            # jitter, so many users retrying do not stampede.
            delay = wait if wait is not None else random.uniform(0, self._backoff * 2**attempt)
            if loop.time() + delay >= ends:
                failure.maybe_processed = maybe_processed
                raise failure  # waiting would outlast the deadline: the caller knows how long
            await asyncio.sleep(delay)
        failure.maybe_processed = maybe_processed
        raise failure

    async def _exchange(self, method: str, path: str, kwargs: dict[str, Any]) -> httpx.Response:
        """One request and its whole answer, read only up to MAX_BODY bytes."""
        request = self._http.build_request(method, path, **kwargs)
        streamed = await self._http.send(request, stream=True)
        try:
            declared = streamed.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_BODY:
                raise _too_large(streamed)  # refused before reading a byte of it
            body = bytearray()
            # Decoded bytes are counted, so a small gzip body that inflates is stopped too.
            async for chunk in streamed.aiter_bytes():
                body += chunk
                if len(body) > MAX_BODY:
                    raise _too_large(streamed)  # chunked, or more than it declared
        finally:
            await streamed.aclose()  # closes the connection of an answer not read to the end
        # The same answer with its body in memory, as client.request() would have returned
        # it: the body is already decoded, so the encoding headers must not apply again.
        headers = [
            (name, value)
            for name, value in streamed.headers.multi_items()
            if name.lower() not in _BODY_HEADERS
        ]
        return httpx.Response(
            streamed.status_code,
            headers=headers,
            content=bytes(body),
            request=request,
            extensions=streamed.extensions,
        )

    def _problem(self, response: httpx.Response) -> GatewayError:
        """The error a non-2xx answer means: by its status first, then by its problem code."""
        status = response.status_code
        if 300 <= status < 400:
            # Never success: a DELETE answered by a redirect revoked nothing.
            logger.error("gateway answered a redirect (%s): check VMS_GATEWAY_URL", status)
            return InvalidResponse(f"HTTP {status} redirect", code="redirect", status=status)
        body = _problem_body(response)
        raw = body.get("code")
        raw_code = raw if isinstance(raw, str) else ""
        code = raw_code if raw_code in PROBLEM_CODES else ("other" if raw_code else "")
        detail = _text(body.get("detail")) or _text(body.get("title")) or f"HTTP {status}"
        if status == 401:
            self._report_unauthorized()
            return GatewayUnauthorized(
                detail, code=code or "unauthorized", status=status, raw_code=raw_code
            )
        if status == 429:
            wait = _retry_after(response, body, self._clock) or RETRY_AFTER_DEFAULT
            return GatewayRateLimited(detail, retry_after=wait, code=code or "rate_limited")
        if code == "code_invalid":
            return LinkCodeInvalid(detail, attempts_left=_attempts_left(body))
        if status >= 500:
            retry_after = _retry_after(response, body, self._clock)
            return _server_error(detail, status, code, raw_code, retry_after)
        return _refusal(detail, status, code, raw_code)

    def _report_unauthorized(self) -> None:
        # Once, not per request: a wrong key fails every call until an operator fixes it.
        if not self._unauthorized_reported:
            logger.error("gateway refused the API key (401): check VMS_GATEWAY_API_KEY")
            self._unauthorized_reported = True


def _problem_body(response: httpx.Response) -> dict[str, Any]:
    """The problem document as a JSON object; empty when it is none (a proxy's page)."""
    try:
        body = response.json()
    except (ValueError, RecursionError, UnicodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _attempts_left(body: dict[str, Any]) -> int:
    left = body.get("attempts_left")
    # Unknown or nonsense: treat the request as spent (the user asks for a new code).
    if not isinstance(left, int) or isinstance(left, bool) or left < 0:
        return 0
    return left


def _server_error(
    detail: str, status: int, code: str, raw_code: str, retry_after: int | None
) -> GatewayUnavailable:
    down = GatewayUnavailable(
        detail,
        code=code if code in _BY_CODE or code == "other" else "unavailable",
        status=status,
        raw_code=raw_code,
        retry_after=retry_after,
    )
    # Only the gateway's own 503 "unavailable" problem says it did nothing; a proxy's
    # 502/504 or a crash mid-request says nothing about whether it acted.
    down.maybe_processed = not (status == 503 and raw_code == "unavailable")
    return down


def _refusal(detail: str, status: int, code: str, raw_code: str) -> GatewayError:
    """A 4xx other than 401 and 429: the contract's problem by its code."""
    if code in _BY_CODE:
        return _BY_CODE[code](detail, code=code, status=status)
    if status == 404:
        # No problem code at all: a proxy page or a wrong VMS_GATEWAY_URL, not the gateway
        # saying a link is gone. Only `link_not_found` may ever cost a user their link.
        logger.error("gateway answered 404 without a problem code: check VMS_GATEWAY_URL")
        return GatewayUnavailable(detail, code="not_found", status=status, raw_code=raw_code)
    return GatewayRejected(detail, code=code, status=status, raw_code=raw_code)


_BODY_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _too_large(response: httpx.Response) -> InvalidResponse:
    logger.error("gateway answer larger than %d bytes refused", MAX_BODY)
    refused = InvalidResponse(
        f"gateway answer larger than {MAX_BODY} bytes",
        code="body_too_large",
        status=response.status_code,
    )
    refused.maybe_processed = True  # it answered: it may have done what was asked
    return refused


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        unreadable = InvalidResponse(
            f"gateway answer does not match the contract ({model.__name__}): "
            f"{exc.error_count()} problem(s)",
            code="invalid_response",
            status=response.status_code,
        )
        unreadable.maybe_processed = True  # it answered 2xx: it did what was asked
        raise unreadable from None


def _retry_after(response: httpx.Response, body: dict[str, Any], clock: Clock) -> int | None:
    """Seconds from Retry-After (delay-seconds or HTTP-date) or the body, clamped to 1-3600.

    None when neither says anything usable ("-5", "soon"): the caller picks its default.
    """
    seconds: float | None = None
    header = response.headers.get("Retry-After", "").strip()
    if _DIGITS.fullmatch(header):
        # Huge numbers are "very long" (and int() refuses thousands of digits).
        seconds = int(header) if len(header) <= 10 else RETRY_AFTER_MAX
    elif header:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None and when.tzinfo is not None:
            seconds = math.ceil((when - clock.now()).total_seconds())
    if seconds is None:
        value = body.get("retry_after")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            seconds = value
    if seconds is None:
        return None
    return int(min(RETRY_AFTER_MAX, max(RETRY_AFTER_MIN, seconds)))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _segment(value: str) -> str:
    """A path segment, escaped so an id can never change the path."""
    if value in ("", ".", ".."):
        raise InvalidArgument("not a usable id", code="invalid_argument")
    return quote(value, safe="")


def _template(path: str) -> str:
    """The path with ids blanked, for logs: ids are personal data in aggregate."""
    parts = path.split("/")
    keep = {
        "v1",
        "link-requests",
        "confirmation",
        "links",
        "member",
        "records",
        "transmissions",
        "health",
    }
    return "/".join(p if p in keep or p == "" else "{id}" for p in parts)
