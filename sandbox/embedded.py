"""The embedded sandbox gateway: for the console demo and for VMS_GATEWAY_URL=sandbox."""

from __future__ import annotations

import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr

from bot import messages
from bot.gateway import SANDBOX, GatewayEndpoint
from core.clock import Clock
from sandbox.gateway import GatewaySandbox


@asynccontextmanager
async def gateway_for(
    db_path: Path,
    clock: Clock,
    banner_to: TextIO = sys.stderr,
    *,
    announce_trial: bool,
) -> AsyncIterator[tuple[GatewayEndpoint, GatewaySandbox]]:
    """Starts the sandbox gateway and yields where it answers (identity SANDBOX)."""
    # A fresh key per run: nothing outside this process can call the embedded gateway's
    # operator API, and no key has to be configured for a demo.
    key = secrets.token_urlsafe(24)
    async with GatewaySandbox(api_key=key, db_path=db_path, clock=clock) as gateway:
        banner_to.write(
            messages.SANDBOX_GATEWAY.format(members=", ".join(gateway.DEMO_MEMBERS)) + "\n"
        )
        banner_to.flush()
        endpoint = GatewayEndpoint(
            gateway.base_url, SecretStr(key), SANDBOX, announce_trial=announce_trial
        )
        yield endpoint, gateway
