"""Several workers of one deployment: Applications built by the production root, each with its
own connection pool, sharing one fresh PostgreSQL database (tests/engines.py) and the sandbox
Bot API over real HTTP. `database_url` puts the fixtures' bot (tests/conftest.py) there too."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from app import build_application
from bot.context import BotApplication
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import make_settings
from tests.engines import postgres_database
from tests.postgres_server import PostgresServer

BuildWorker = Callable[[], Awaitable[BotApplication]]


@pytest.fixture
async def database_url(postgres_server: PostgresServer) -> AsyncIterator[str]:
    async with postgres_database(postgres_server, migrated=True) as url:
        yield url


@pytest.fixture
async def build_worker(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    tmp_path: Path,
    clock: FakeClock,
    database_url: str,
) -> AsyncIterator[BuildWorker]:
    """Builds one more worker (initialised, not receiving); all are shut down afterwards."""
    async with AsyncExitStack() as stack:

        async def build() -> BotApplication:
            settings = make_settings(
                sandbox, tmp_path / "unused.sqlite3", gateway, database_url=database_url
            )
            app = await build_application(settings, clock=clock)
            backend = app.bot_data.backend
            assert backend is not None
            stack.push_async_callback(backend.close)
            await app.initialize()
            stack.push_async_callback(app.shutdown)
            return app

        yield build
