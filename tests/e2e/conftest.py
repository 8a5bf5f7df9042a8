"""Fixtures the end-to-end tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.helpers.fed_workers import Balancer, fed_workers


@pytest.fixture
async def balancer(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    database_url: str | None,
) -> AsyncIterator[Balancer]:
    """Two workers fed by the test module's `sandbox` and `database_url` behind a
    round-robin balancer (tests/helpers/fed_workers.py)."""
    async with fed_workers(sandbox, gateway, db_path, clock, database_url) as workers:
        yield workers
