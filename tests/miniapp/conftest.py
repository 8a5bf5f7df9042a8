"""The staff desk over real HTTP: the production-built bot with WEB_URL set, its desk server on
a free loopback port, initData signed with the test bot's token, and every response checked
against bot/web/miniapp/openapi.yaml."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import build_application
from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import TOKEN, make_settings
from tests.miniapp.contract import Contract, signed_init_data

WEB_URL = "https://desk.example.org/desk/"


class Desk:
    """An HTTP client of the desk as one Telegram user (their initData signed now)."""

    def __init__(
        self, base: str, contract: Contract, clock: FakeClock, user_id: int, **user: Any
    ) -> None:
        self.base = base.rstrip("/") + "/desk/"
        self.contract = contract
        self.clock = clock
        self.user_id = user_id
        self.user = user
        self.signed_at: datetime | None = None  # None: sign at each call, on the fake clock

    def init_data(self) -> str:
        return signed_init_data(
            TOKEN, self.user_id, self.signed_at or self.clock.now(), **self.user
        )

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        sent = {"Authorization": f"tma {self.init_data()}", **(headers or {})}
        if key is not None:
            sent["Idempotency-Key"] = key
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.request(
                method, self.base + path, json=json, headers=sent, params=params
            )
        if path.startswith("api/"):
            self.contract.check(method, "/" + path.split("?")[0], response)
        return response

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, body: Any = None, **kw: Any) -> httpx.Response:
        return await self.call("POST", path, json={} if body is None else body, **kw)

    async def key(self) -> str:
        response = await self.get("api/nonce")
        assert response.status_code == 200, response.text
        return str(response.json()["key"])

    async def act(self, path: str, body: Any = None) -> httpx.Response:
        """A state change with a fresh key."""
        return await self.post(path, body, key=await self.key())


StartDesk = Callable[[], Awaitable[BotRuntime]]


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture
async def start_desk_bot(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> AsyncIterator[Callable[..., Awaitable[BotRuntime]]]:
    runtimes: list[BotRuntime] = []

    async def start(**overrides: object) -> BotRuntime:
        values: dict[str, object] = {"web_url": WEB_URL, "web_listen": "127.0.0.1:0"}
        values.update(overrides)
        settings = make_settings(sandbox, db_path, gateway, **values)
        app = await build_application(settings, clock=clock)
        runtime = BotRuntime(app, poll_timeout=0.5)
        runtimes.append(runtime)
        await runtime.start()
        return runtime

    yield start
    for runtime in runtimes:
        await runtime.stop()


@pytest.fixture
async def bot(start_desk_bot: Callable[..., Awaitable[BotRuntime]]) -> BotRuntime:
    return await start_desk_bot()


@pytest.fixture
def desk(bot: BotRuntime, contract: Contract, clock: FakeClock) -> Callable[..., Desk]:
    def make(user_id: int, **user: Any) -> Desk:
        assert bot.desk_url is not None
        return Desk(bot.desk_url, contract, clock, user_id, **user)

    return make
