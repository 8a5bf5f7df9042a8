"""Both store engines through one fixture (a pytest plugin, loaded by tests/conftest.py).

A test that takes `engine` (directly or through `store_target`) runs once per engine:
[sqlite] on a file under tmp_path, [postgres] on a fresh database of one throwaway server
per session (tests/postgres_server.py). Each PostgreSQL test gets its own database, copied
from a migrated template (CREATE DATABASE … TEMPLATE), and dropped after the test.
Mark a test `sqlite_only` when what it checks is SQLite's own (its file, WAL, pragmas).
Service and journey tests run the whole bot on each engine through `each_engine_url`.

Without server binaries the PostgreSQL runs are skipped with one line naming the package;
under CI=true that skip is a failure instead, so CI never passes without running them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from core.clock import FakeClock
from store.db import Database
from tests.postgres_server import SKIP_REASON, PostgresServer, find_bin_dir, start

ENGINES = ("sqlite", "postgres")
_TEMPLATE = "yeongye_migrated"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: checks something only SQLite has; not run on PostgreSQL"
    )
    config.addinivalue_line(
        "markers", "postgres_only: checks something only PostgreSQL has; not run on SQLite"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        only_postgres = metafunc.definition.get_closest_marker("postgres_only") is not None
        # Never a skip (CI=true counts a skip as a failure): such a test has one engine only.
        engines = ENGINES[:1] if only_sqlite else ENGINES[1:] if only_postgres else ENGINES
        metafunc.parametrize("engine", engines)


def server_binaries() -> Path:
    """The server's bin directory; else a skip naming the package, or under CI=true a fail."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {SKIP_REASON}", pytrace=False)
        pytest.skip(SKIP_REASON)
    return bin_dir


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = start(server_binaries())
    try:
        yield server
    finally:
        server.stop()


async def _admin(server: PostgresServer) -> asyncpg.Connection:
    return await asyncpg.connect(server.url("postgres"))


async def _ensure_template(server: PostgresServer) -> None:
    """The migrated database every test's copy starts from, made on first use."""
    if getattr(server, "template_ready", False):
        return
    conn = await _admin(server)
    try:
        await conn.execute(f"CREATE DATABASE {_TEMPLATE}")
    finally:
        await conn.close()
    await (await Database.open(server.url(_TEMPLATE), clock=FakeClock())).close()
    server.template_ready = True  # type: ignore[attr-defined]


@asynccontextmanager
async def postgres_database(server: PostgresServer, *, migrated: bool) -> AsyncIterator[str]:
    """The URL of a new database (migrated, or blank), dropped afterwards."""
    if migrated:
        await _ensure_template(server)
    name = f"test_{uuid.uuid4().hex[:16]}"
    conn = await _admin(server)
    try:
        await conn.execute(
            f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE if migrated else 'template0'}"
        )
    finally:
        await conn.close()
    try:
        yield server.url(name)
    finally:
        conn = await _admin(server)
        try:
            await conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
        finally:
            await conn.close()


async def _target(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path, *, migrated: bool
) -> AsyncIterator[str | Path]:
    if engine == "sqlite":
        yield tmp_path / "data" / "bot.sqlite3"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    async with postgres_database(server, migrated=migrated) as url:
        yield url


@pytest.fixture
async def store_target(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str | Path]:
    """What Database.open takes for this engine: a SQLite path, or a migrated database's URL."""
    async for target in _target(engine, request, tmp_path, migrated=True):
        yield target


@pytest.fixture
async def blank_store_target(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str | Path]:
    """As store_target, but nothing in it yet (for the migration tests)."""
    async for target in _target(engine, request, tmp_path, migrated=False):
        yield target


@pytest.fixture
async def empty_postgres_url(postgres_server: PostgresServer) -> AsyncIterator[str]:
    """The URL of a new, blank PostgreSQL database (no schema yet), dropped after the test:
    a target for `run_bot.py migrate-store` beside a SQLite file."""
    async with postgres_database(postgres_server, migrated=False) as url:
        yield url


@pytest.fixture
async def each_engine_url(engine: str, request: pytest.FixtureRequest) -> AsyncIterator[str | None]:
    """The whole bot on each engine: None on SQLite (its file at db_path, as everywhere), a
    fresh migrated PostgreSQL database's URL otherwise. A module opts in by overriding the
    `database_url` fixture of tests/conftest.py:

        @pytest.fixture
        def database_url(each_engine_url: str | None) -> str | None:
            return each_engine_url
    """
    if engine == "sqlite":
        yield None
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    async with postgres_database(server, migrated=True) as url:
        yield url
