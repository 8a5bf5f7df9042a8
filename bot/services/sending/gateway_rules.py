"""How a gateway error reads for a send: surely not accepted, refused outright, or unknown;
and the idempotency key a send is posted under."""

from __future__ import annotations

import hashlib
import logging

from bot.services.errors import Unavailable
from linkage.errors import GatewayError, GatewayRateLimited

logger = logging.getLogger(__name__)


def idempotency_key(telegram_id: int, token: str) -> str:
    """One key per confirmation prompt (its flow token): opaque, never the Telegram id."""
    digest = hashlib.sha256(f"send:{telegram_id}:{token}".encode()).hexdigest()
    return f"tg-send-{digest[:40]}"


# createTransmission's refusals that come after its replay check (linkage/openapi.yaml: 409
# consent_vms_missing, 429 rate_limited, 422 validation_failed / nothing_to_send): the gateway
# looked up the key, found nothing, and made nothing. 400 and 404 come before that check and
# 422 idempotency_key_reused means something is held under the key: neither proves "not sent".
_REFUSED_AFTER_REPLAY = {
    (409, "consent_vms_missing"),
    (422, "validation_failed"),
    (422, "nothing_to_send"),
}


def refused_outright(exc: GatewayError) -> bool:
    """True when a repeat of a send with its key was refused and nothing is held under it."""
    if isinstance(exc, GatewayRateLimited):
        return True
    return (exc.status, exc.code) in _REFUSED_AFTER_REPLAY


def surely_not_accepted(exc: GatewayError) -> bool:
    """True only when no attempt can have been processed (the client knows: a refusal, a 3xx,
    the gateway's own "unavailable", a connection never made). A proxy's 502/504, a crash
    mid-request, a timeout after the request left or an unreadable 2xx leave it unknown."""
    return not exc.maybe_processed


def unavailable(exc: GatewayError) -> Unavailable:
    logger.warning("gateway could not take part in a send: %s (%s)", type(exc).__name__, exc.code)
    return Unavailable(str(exc))
