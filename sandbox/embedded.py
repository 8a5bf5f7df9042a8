"""The embedded sandbox gateway: started by run_bot.py when VMS_GATEWAY_URL is unset."""

from __future__ import annotations

import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TextIO

from pydantic import HttpUrl, SecretStr

from bot import messages
from bot.settings import Settings
from core.clock import Clock
from sandbox.gateway import GatewaySandbox


@asynccontextmanager
async def gateway_for(
    settings: Settings, db_path: Path, clock: Clock, banner_to: TextIO = sys.stderr
) -> AsyncIterator[tuple[Settings, GatewaySandbox | None]]:
    """Yields settings that point at a gateway: the configured one, or an embedded sandbox."""
    if settings.vms_gateway_url is not None:
        yield settings, None
        return
    # A fresh key per run: nothing outside this process can call the embedded gateway's
    # operator API, and no key has to be configured for a demo.
    key = secrets.token_urlsafe(24)
    async with GatewaySandbox(api_key=key, db_path=db_path, clock=clock) as gateway:
        banner_to.write(
            messages.SANDBOX_GATEWAY.format(members=", ".join(gateway.DEMO_MEMBERS)) + "\n"
        )
        banner_to.flush()
        yield (
            settings.model_copy(
                update={
                    "vms_gateway_url": HttpUrl(gateway.base_url),
                    "vms_gateway_api_key": SecretStr(key),
                }
            ),
            gateway,
        )
