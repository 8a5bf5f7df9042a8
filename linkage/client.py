"""The httpx client of the linkage gateway: timeouts, bounded retries, typed errors."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from linkage.errors import (
    ConsentMissing,
    GatewayError,
    GatewayRateLimited,
    GatewayRejected,
    GatewayUnauthorized,
    GatewayUnavailable,
    InvalidResponse,
    LinkCodeExpired,
    LinkCodeInvalid,
    LinkNotFound,
    LinkRequestLocked,
    NotFound,
    NothingToSend,
    RequestNotFound,
)
from linkage.models import Health, Link, LinkRequest, Member, RecordPage, Transmission

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

_RETRYABLE_STATUS = {502, 503, 504}
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
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._retries = retries
        self._backoff = backoff
        self._unauthorized_reported = False
        self._http = httpx.AsyncClient(
            base_url=self._base_url,
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=transport,
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

    async def health(self) -> Health:
        return _parse(Health, await self._call("GET", "/v1/health", retry=True))

    async def request_link_code(self, vms_id: str) -> LinkRequest:
        # Not retried: a retry could deliver a second code to the member's phone.
        response = await self._call("POST", "/v1/link-requests", json={"vms_id": vms_id})
        return _parse(LinkRequest, response)

    async def confirm_link(self, request_id: str, code: str) -> Link:
        path = f"/v1/link-requests/{_segment(request_id)}/confirmation"
        return _parse(Link, await self._call("POST", path, json={"code": code}))

    async def revoke_link(self, link_id: str) -> None:
        await self._call("DELETE", f"/v1/links/{_segment(link_id)}", retry=True)

    async def member(self, link_id: str) -> Member:
        path = f"/v1/links/{_segment(link_id)}/member"
        return _parse(Member, await self._call("GET", path, retry=True))

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

    async def create_transmission(
        self, link_id: str, *, idempotency_key: str, record_ids: list[str] | None = None
    ) -> Transmission:
        body: dict[str, Any] = {"scope": "unsent_and_failed"}
        if record_ids is not None:
            if not record_ids:
                # An empty choice must never widen into "send everything".
                raise ValueError("record_ids is empty: choose at least one record, or pass None")
            body = {"scope": "selected", "record_ids": record_ids}
        path = f"/v1/links/{_segment(link_id)}/transmissions"
        # Safe to retry: the gateway answers a repeated key with the same transmission.
        response = await self._call(
            "POST", path, json=body, headers={"Idempotency-Key": idempotency_key}, retry=True
        )
        return _parse(Transmission, response)

    async def transmission(self, link_id: str, transmission_id: str) -> Transmission:
        path = f"/v1/links/{_segment(link_id)}/transmissions/{_segment(transmission_id)}"
        return _parse(Transmission, await self._call("GET", path, retry=True))

    # --- transport -----------------------------------------------------------------------

    async def _call(
        self, method: str, path: str, *, retry: bool = False, **kwargs: Any
    ) -> httpx.Response:
        attempts = 1 + (self._retries if retry else 0)
        for attempt in range(attempts):
            started = time.monotonic()
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                failure: GatewayError = GatewayUnavailable(
                    f"gateway unreachable: {type(exc).__name__}"
                )
            else:
                logger.debug(
                    "gateway %s %s -> %s in %.0f ms",
                    method,
                    _template(path),
                    response.status_code,
                    (time.monotonic() - started) * 1000,
                )
                if response.status_code < 400:
                    return response
                failure = self._problem(response)
                if response.status_code not in _RETRYABLE_STATUS:
                    raise failure
            if attempt + 1 < attempts:
                # Exponential backoff with full jitter, so many users retrying do not stampede.
                await asyncio.sleep(random.uniform(0, self._backoff * 2**attempt))
        raise failure

    def _problem(self, response: httpx.Response) -> GatewayError:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        code = str(body.get("code", ""))
        detail = str(body.get("detail") or body.get("title") or f"HTTP {status}")
        if status == 401:
            if not self._unauthorized_reported:
                # Once, not per request: a wrong key fails every call until an operator fixes it.
                logger.error("gateway refused the API key (401): check VMS_GATEWAY_API_KEY")
                self._unauthorized_reported = True
            return GatewayUnauthorized(detail, code=code or "unauthorized", status=status)
        if status == 429:
            return GatewayRateLimited(
                detail, retry_after=_retry_after(response, body), code=code or "rate_limited"
            )
        if code == "code_invalid":
            return LinkCodeInvalid(detail, attempts_left=int(body.get("attempts_left", 0)))
        if code in _BY_CODE:
            return _BY_CODE[code](detail, code=code, status=status)
        if status >= 500:
            return GatewayUnavailable(detail, code=code or "unavailable", status=status)
        if status == 404:
            # No problem code at all: a proxy page or a wrong VMS_GATEWAY_URL, not the gateway
            # saying a link is gone. Only `link_not_found` may ever cost a user their link.
            logger.error("gateway answered 404 without a problem code: check VMS_GATEWAY_URL")
            return GatewayUnavailable(detail, code="not_found", status=status)
        return GatewayRejected(detail, code=code, status=status)


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise InvalidResponse(
            f"gateway answer does not match the contract ({model.__name__}): "
            f"{exc.error_count()} problem(s)",
            code="invalid_response",
            status=response.status_code,
        ) from None


def _retry_after(response: httpx.Response, body: dict[str, Any]) -> int:
    for value in (response.headers.get("Retry-After"), body.get("retry_after")):
        try:
            return max(1, int(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
    return 60


def _segment(value: str) -> str:
    """A path segment, escaped so an id can never change the path."""
    if value in ("", ".", ".."):
        raise ValueError("not a usable id")
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
