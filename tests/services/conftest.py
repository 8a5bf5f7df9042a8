"""The service tier: the services as the bot builds them (Backend.create), over a real store
and the sandbox gateway in this process, without the Bot API or PTB.

Each test runs on both engines (`engine`: a SQLite file, a fresh PostgreSQL database), on the
tests' fake clock. What a handler would do after a service call (send a message) is not here:
the journeys (tests/e2e/, tests/staff/) show that; this tier shows what the services decide,
at a few milliseconds a test.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import HttpUrl, SecretStr

from bot.services.container import Backend, Services
from bot.settings import Settings
from core.clock import FakeClock
from linkage.client import GatewayClient
from sandbox.gateway import GatewaySandbox
from store.db import Database
from tests.conftest import ADMIN_ID, GATEWAY_KEY


def service_settings(tmp_path: Path, gateway: GatewaySandbox) -> Settings:
    values: dict[str, object] = {
        "database_path": tmp_path / "bot.sqlite3",
        "admin_telegram_ids": (ADMIN_ID,),
        "vms_gateway_url": HttpUrl(gateway.base_url),
        "vms_gateway_api_key": SecretStr(GATEWAY_KEY),
        "timezone": "Asia/Seoul",
        "broadcast_rate": 20.0,
    }
    # Every field is given and no .env is read, so a developer's own settings never leak in.
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated once per session (per worker), copied for each test, as the
    PostgreSQL side copies its migrated template: the migrations have tests of their own
    (tests/store/test_migrations.py), and running all of them per test was most of its cost."""

    async def migrate(path: Path) -> None:
        await (await Database.open(path, clock=FakeClock())).close()

    path = tmp_path_factory.mktemp("migrated") / "bot.sqlite3"
    # First asked from inside a test's event loop: the migration runs on a loop of its own.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, migrate(path)).result()
    return path


@pytest.fixture
async def backend(
    store_target: str | Path,
    tmp_path: Path,
    clock: FakeClock,
    gateway: GatewaySandbox,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Backend]:
    """What app/build.py builds below the handlers: the store, the gateway client, services."""
    if isinstance(store_target, Path):
        store_target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), store_target)
    db = await Database.open(store_target, clock=clock)
    client = GatewayClient(gateway.base_url, GATEWAY_KEY, clock=clock)
    made = Backend.create(
        service_settings(tmp_path, gateway), clock, db, client, gateway_id="sandbox"
    )
    try:
        yield made
    finally:
        await made.close()


@pytest.fixture
def services(backend: Backend) -> Services:
    return backend.services
