"""Typed failures of the gateway, one per thing the services can act on.

Nothing else ever leaves a GatewayClient method: whatever the wire brings (a broken body, a
redirect, a hung server) arrives as one of these.
"""

from __future__ import annotations

# Problem codes of the contract (linkage/openapi.yaml, v1.1); any other becomes "other" with
# the gateway's own word kept in `raw_code` (v1 may add codes).
PROBLEM_CODES = frozenset(
    {
        "unauthorized",
        "validation_failed",
        "not_found",
        "method_not_allowed",
        "payload_too_large",
        "unsupported_media_type",
        "link_not_found",
        "request_not_found",
        "code_invalid",
        "code_expired",
        "request_locked",
        "consent_vms_missing",
        "nothing_to_send",
        "idempotency_key_reused",
        "rate_limited",
        "unavailable",
        "internal",
    }
)


class GatewayError(Exception):
    """Base: the gateway could not do what was asked. `code` is the problem's machine code.

    `raw_code` is the code exactly as the gateway sent it (differs from `code` only when
    the code is unknown and `code` is "other").
    """

    def __init__(
        self, message: str, *, code: str = "", status: int | None = None, raw_code: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.raw_code = raw_code or code
        # True when some attempt of the call may have been processed by the gateway even
        # though the call failed (a timeout after the request left, a 502/504 from a proxy):
        # for a send, the outcome is then unknown, not "refused".
        self.maybe_processed = False


class InvalidArgument(GatewayError, ValueError):
    """The caller's own mistake (an empty selection, an id that could change the path)."""


class GatewayUnavailable(GatewayError):
    """Down, slow, or answering 5xx: try again later (after `retry_after` s when known)."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "unavailable",
        status: int | None = None,
        raw_code: str = "",
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status, raw_code=raw_code)
        self.retry_after = retry_after


class GatewayUnauthorized(GatewayError):
    """The center's API key was refused: an operator must fix the configuration."""


class GatewayRateLimited(GatewayError):
    """Too soon (one send per hour, or too many link codes); wait `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int, code: str = "rate_limited") -> None:
        super().__init__(message, code=code, status=429)
        self.retry_after = retry_after


class ConsentMissing(GatewayError):
    """VMS refused to send because the member has not consented on VMS."""


class NothingToSend(GatewayError):
    """No unsent or failed records."""


class NotFound(GatewayError):
    """The link, request or transmission does not exist (a revoked link, for example)."""


class LinkNotFound(NotFound):
    """The link was revoked (or replaced by a newer one) on the gateway's side."""


class RequestNotFound(NotFound):
    """The link-code request is unknown or already used."""


class LinkCodeInvalid(GatewayError):
    """Wrong code; `attempts_left` more tries before the request locks."""

    def __init__(self, message: str, *, attempts_left: int) -> None:
        super().__init__(message, code="code_invalid", status=422)
        self.attempts_left = attempts_left


class LinkCodeExpired(GatewayError):
    """The code's time ran out: request a new one."""


class LinkRequestLocked(GatewayError):
    """Too many wrong codes: request a new one."""


class GatewayRejected(GatewayError):
    """A request the gateway found invalid (validation_failed, idempotency_key_reused, …)."""


class InvalidResponse(GatewayError):
    """The gateway answered something that does not match linkage/openapi.yaml."""
