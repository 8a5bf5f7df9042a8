"""Shared fixtures: a real sandbox Bot API server on loopback and the production-built bot."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from pydantic import HttpUrl, SecretStr

from app import build_application
from bot.runtime import BotRuntime
from bot.settings import Settings
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.journey import User

# `engine`, `store_target`: tests that run on SQLite and on PostgreSQL (tests/engines.py).
pytest_plugins = ["tests.engines"]

# As in run_bot.py: PTB's coming timedelta durations, so a 429 warns about nothing.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# Property tests: no per-example deadline (on a loaded 2-core machine it measures the machine,
# not the code), and in CI the same examples every run, so CI fails only for a reason that
# reproduces; locally they keep exploring.
hypothesis_settings.register_profile(
    "suite", deadline=None, derandomize=os.environ.get("CI") == "true", print_blob=True
)
hypothesis_settings.load_profile("suite")

TOKEN = "123456:SANDBOX-TOKEN-not-a-real-one"
GATEWAY_KEY = "test-center-key-not-a-real-one"
ADMIN_ID = 9001


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "rejections_expected: the test provokes Bot API rejections")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stops the worker thread of any SQLite connection a failed test left open.

    aiosqlite's threads are not daemons: one left behind keeps the interpreter from exiting.
    A passing run leaves none, but `make mutation` runs the tests in its own process with
    every mutated function raising (mutmut's forced-fail check); a fixture that fails after
    opening its store leaves the connection referenced by the failure's traceback, and
    mutmut then never exits after its last mutant.
    """
    import aiosqlite  # here: the hook must not make conftest's import heavier

    gc.collect()
    for obj in gc.get_objects():
        if isinstance(obj, aiosqlite.Connection) and obj._thread.is_alive():
            obj.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[BotApiSandbox]:
    async with BotApiSandbox(tokens=[TOKEN]) as server:
        yield server
        if request.node.get_closest_marker("rejections_expected") is None:
            assert server.rejections == [], (
                f"the sandbox rejected bot requests: {server.rejections}"
            )


@pytest.fixture
async def gateway(tmp_path: Path, clock: FakeClock) -> AsyncIterator[GatewaySandbox]:
    """The sandbox VMS gateway with its demo members, on the same fake clock as the bot."""
    async with GatewaySandbox(
        api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3", clock=clock
    ) as server:
        yield server


def make_settings(
    sandbox: BotApiSandbox, db_path: Path, gateway: GatewaySandbox, **overrides: object
) -> Settings:
    values: dict[str, object] = {
        "telegram_bot_token": SecretStr(TOKEN),
        "telegram_api_base_url": HttpUrl(sandbox.base_url),
        "database_path": db_path,
        "admin_telegram_ids": (ADMIN_ID,),
        "vms_gateway_url": HttpUrl(gateway.base_url),
        "vms_gateway_api_key": SecretStr(GATEWAY_KEY),
        "log_level": "DEBUG",
        "timezone": "Asia/Seoul",
        "broadcast_rate": 20.0,
    }
    values.update(overrides)
    # Every field is given and no .env is read, so a developer's own settings never leak in.
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


StartBot = Callable[[], Awaitable[BotRuntime]]


@pytest.fixture
def database_url() -> str | None:
    """The bot's DATABASE_URL: None keeps it on SQLite at db_path. A module whose bot runs on
    each engine overrides this fixture with tests.engines' `each_engine_url`."""
    return None


@pytest.fixture
async def start_bot(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    database_url: str | None,
) -> AsyncIterator[StartBot]:
    """Starts the production-built bot; can be called again after a stop to simulate a restart."""
    runtimes: list[BotRuntime] = []

    async def start() -> BotRuntime:
        settings = make_settings(sandbox, db_path, gateway, database_url=database_url)
        app = await build_application(settings, clock=clock)
        runtime = BotRuntime(app, poll_timeout=0.5)
        runtimes.append(runtime)
        await runtime.start()
        return runtime

    yield start
    for runtime in runtimes:
        await runtime.stop()


@pytest.fixture
async def bot(start_bot: StartBot) -> BotRuntime:
    return await start_bot()


@pytest.fixture
def user(sandbox: BotApiSandbox, bot: BotRuntime) -> Callable[..., User]:
    """Makes journey users: `minji = user(1001)`."""

    def make(user_id: int = 1001, **kwargs: object) -> User:
        return User(sandbox, bot, user_id, **kwargs)  # type: ignore[arg-type]

    return make
