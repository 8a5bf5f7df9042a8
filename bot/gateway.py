"""Which gateway this bot talks to, decided once at start: none, the embedded sandbox, or a URL.

Everything else asks this one object: the link rows are stamped with its `identity`, so links
made against the embedded sandbox can be found and retired when the operator stops running
it, and `announce_trial` makes every message say that its VMS and 1365 data are simulated.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import SecretStr

from bot.settings import SANDBOX, Settings


@dataclass(frozen=True)
class GatewayEndpoint:
    """Where the linkage gateway answers, and whose it is."""

    url: str
    api_key: SecretStr
    # SANDBOX for the embedded sandbox, otherwise the URL's origin ("https://gw.example.org").
    identity: str
    # Real mode with VMS_GATEWAY_URL=sandbox: real people see simulated data, so every message
    # says so. The console demo runs the same sandbox without it (see sandbox/demo.py).
    announce_trial: bool = False


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: the same gateway under another path is the same one."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def configured_endpoint(settings: Settings) -> GatewayEndpoint | None:
    """The gateway the settings name; None in guide mode (no VMS_GATEWAY_URL).

    VMS_GATEWAY_URL=sandbox has no address until sandbox.embedded starts it, so its caller
    passes that endpoint instead.
    """
    mode = settings.gateway_mode
    if mode == "guide":
        return None
    if mode == "sandbox":
        raise ValueError("VMS_GATEWAY_URL=sandbox: start sandbox.embedded and pass its endpoint")
    assert settings.vms_gateway_url is not None and settings.vms_gateway_api_key is not None
    url = str(settings.vms_gateway_url)
    return GatewayEndpoint(url, settings.vms_gateway_api_key, origin(url))


__all__ = ["SANDBOX", "GatewayEndpoint", "configured_endpoint", "origin"]
