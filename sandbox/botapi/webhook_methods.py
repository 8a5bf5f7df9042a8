"""setWebhook, deleteWebhook and getWebhookInfo with Telegram's checks and wording.

One relaxation, on purpose: Telegram wants an HTTPS URL on port 443, 80, 88 or 8443 (its
self-hosted server in --local mode lifts that). The sandbox takes http:// and any port, but
only on a loopback address, because sandbox traffic never leaves the machine; any other
host is refused with a "bad webhook" of its own.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from .call import Call, Described
from .errors import bad_request
from .webhook import DEFAULT_MAX_CONNECTIONS, WebhookSettings

_SECRET_RE = re.compile(r"[A-Za-z0-9_-]*")
_TELEGRAM_PORTS = (443, 80, 88, 8443)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """The URL to POST to, or Telegram's refusal (a bare host means https, as there)."""
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        port = parts.port
    except ValueError:
        raise bad_request("invalid webhook URL specified") from None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise bad_request("invalid webhook URL specified")
    if _is_loopback(host):
        return parts.geturl()
    if parts.scheme != "https":
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if (port or 443) not in _TELEGRAM_PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    raise bad_request("bad webhook: the sandbox delivers to loopback addresses only")


def _check_secret(secret: str) -> str:
    if len(secret) > 256:
        raise bad_request("secret token is too long")
    if _SECRET_RE.fullmatch(secret) is None:
        raise bad_request("secret token contains unallowed characters")
    return secret


def _set_allowed(call: Call) -> None:
    if not call.params.has("allowed_updates"):
        return  # "If not specified, the previous setting will be used."
    kinds = call.params.get_json("allowed_updates", "allowed updates")
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise bad_request("can't parse allowed updates JSON object")
    call.world.queue.set_allowed(kinds)


async def _delete(call: Call) -> Described:
    webhook = call.world.webhook
    if call.params.get_bool("drop_pending_updates"):
        call.world.queue.drop_pending()
    was_set = webhook.active
    await webhook.set(None)
    return Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")


async def set_webhook(call: Call) -> Described:
    p, webhook = call.params, call.world.webhook
    url = p.get_str("url") or ""
    if not url:
        return await _delete(call)
    target = check_url(url)
    secret = _check_secret(p.get_str("secret_token") or "")
    wanted = p.get_int("max_connections")
    # Telegram clamps max_connections to 1..100 rather than refusing it.
    connections = DEFAULT_MAX_CONNECTIONS if wanted is None else min(max(wanted, 1), 100)
    settings = WebhookSettings(target, secret, connections)
    drop = p.get_bool("drop_pending_updates")
    if webhook.settings == settings and not drop:
        _set_allowed(call)
        return Described(True, "Webhook is already set")
    if drop:
        call.world.queue.drop_pending()
    _set_allowed(call)
    await webhook.set(settings)
    return Described(True, "Webhook was set")


async def delete_webhook(call: Call) -> Described:
    return await _delete(call)


async def get_webhook_info(call: Call) -> dict[str, Any]:
    return call.world.webhook.info()
