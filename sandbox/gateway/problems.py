"""Errors as RFC 9457 problem details with the stable machine `code` of the contract."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from typing import Any

from aiohttp import web

TITLES = {
    "unauthorized": "Missing or wrong API key",
    "validation_failed": "The request does not match the contract",
    "not_found": "Not found",
    "link_not_found": "No such link",
    "request_not_found": "No such link request",
    "code_invalid": "Wrong code",
    "code_expired": "The code has expired",
    "request_locked": "Too many wrong codes",
    "consent_vms_missing": "The member has not consented on VMS",
    "nothing_to_send": "No unsent or failed records",
    "idempotency_key_reused": "Idempotency-Key reused with another body",
    "rate_limited": "Too many requests",
    "unavailable": "The gateway is unavailable",
    "internal": "Internal error",
    "method_not_allowed": "Method not allowed on this path",
    "payload_too_large": "Request body too large",
    "unsupported_media_type": "Request body must be application/json",
    "member_not_found": "No such member",
    "clock_not_adjustable": "The clock cannot be advanced",
}


# One `type` URI per code, as RFC 9457 wants: the code's documentation in the contract.
TYPE_PREFIX = "urn:vms-gateway:problem:"
# How long an unavailable gateway asks clients to wait (Retry-After on every 503).
UNAVAILABLE_RETRY_AFTER = 30


def dumps(data: object) -> str:
    """JSON with Korean kept readable rather than \\u-escaped."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def json_response(
    data: object, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """An application/json response."""
    return web.Response(
        text=dumps(data), status=status, headers=headers, content_type="application/json"
    )


def retry_seconds(left: timedelta) -> int:
    """Whole seconds to wait, rounded up, 1 to 3600 (the contract's range for Retry-After).

    A longer wait (a spent 24-hour guessing budget) is asked for an hour at a time.
    """
    return min(3600, max(1, math.ceil(left.total_seconds())))


class Problem(Exception):
    """A refusal that becomes an application/problem+json response."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str | None = None,
        *,
        attempts_left: int | None = None,
        retry_after: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail or ''}")
        self.status = status
        self.code = code
        self.detail = detail
        self.attempts_left = attempts_left
        self.retry_after = retry_after
        if status == 503 and retry_after is None:
            self.retry_after = UNAVAILABLE_RETRY_AFTER
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The problem document."""
        body: dict[str, Any] = {
            "type": TYPE_PREFIX + self.code,
            "title": TITLES.get(self.code, "Error"),
            "status": self.status,
            "code": self.code,
        }
        if self.detail:
            body["detail"] = self.detail
        if self.attempts_left is not None:
            body["attempts_left"] = self.attempts_left
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
        return body

    def response(self) -> web.Response:
        """The HTTP response, with Retry-After when there is a wait."""
        headers = dict(self.headers)
        if self.retry_after:
            headers["Retry-After"] = str(self.retry_after)
        return web.Response(
            text=dumps(self.body()),
            status=self.status,
            headers=headers,
            content_type="application/problem+json",
        )


def validation_failed(detail: str) -> Problem:
    """400 validation_failed with a detail cut short enough to read in a log line."""
    return Problem(400, "validation_failed", detail[:300])


def rate_limited(left: timedelta, detail: str) -> Problem:
    """429 rate_limited that says how long to wait."""
    return Problem(429, "rate_limited", detail, retry_after=retry_seconds(left))
