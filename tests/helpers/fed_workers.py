"""Two production-built bots over one store and one stand-in Telegram, with the test as the
load balancer: it takes each update off the stand-in's queue and hands it to the worker it
picks, which runs it as a webhook worker does (`Application.process_update`). So a test says
which worker runs what, and can run one stored update a second time on the other worker (as
after a worker died before recording it done). Shared by tests/e2e/test_rendered_across_workers.py
and tests/e2e/test_press_run_again.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update

from app import build_application
from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.botapi.records import Rejection
from sandbox.gateway import GatewaySandbox
from tests.conftest import TOKEN, make_settings
from tests.e2e.workers import TOKENS


class FedRuntime(BotRuntime):
    """A worker that receives only what the test hands it (no polling, no webhook)."""

    async def _check_can_receive(self) -> None:
        return

    async def _start_receiving(self) -> None:
        return

    async def _stop_receiving(self) -> None:
        return


@dataclass
class Balancer:
    sandbox: BotApiSandbox
    workers: dict[str, FedRuntime]

    def take(self, update_id: int) -> dict[str, Any]:
        """The update as Telegram would POST it, off the stand-in's queue."""
        queue = self.sandbox.world.queue
        raw: dict[str, Any] = next(u for u in queue.pending if u["update_id"] == update_id)
        queue.remove(update_id)
        return raw

    async def run(self, name: str, raw: dict[str, Any]) -> None:
        """Worker `name` runs the update."""
        app = self.workers[name].app
        await app.process_update(Update.de_json(raw, app.bot))

    async def to(self, name: str, update_id: int) -> None:
        await self.run(name, self.take(update_id))

    async def send(self, name: str, user_id: int, text: str) -> None:
        sent = await self.sandbox.user_send(user_id, text, first_name="민지")
        await self.to(name, sent.update_id)

    async def press(self, name: str, user_id: int, message_id: int, label: str) -> None:
        sent = await self.sandbox.press(user_id, user_id, message_id, label)
        await self.to(name, sent.update_id)

    def shown(self, user_id: int, message_id: int) -> tuple[str, list[str]]:
        messages = self.sandbox.bot_messages(user_id)
        message = next(m for m in messages if m.message_id == message_id)
        return message.text, message.buttons


def _none(rejection: Rejection) -> bool:
    return False


@asynccontextmanager
async def one_telegram(
    allowed: Callable[[Rejection], bool] = _none,
) -> AsyncIterator[BotApiSandbox]:
    """One stand-in Telegram for both workers (each its own token of the one bot); no
    request of theirs may have been refused but the `allowed` ones."""
    assert TOKENS[0] == TOKEN
    async with BotApiSandbox(tokens=TOKENS) as server:
        yield server
        refused = [r for r in server.rejections if not allowed(r)]
        assert refused == [], refused


@asynccontextmanager
async def fed_workers(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    database_url: str | None,
) -> AsyncIterator[Balancer]:
    """Workers "a" and "b", started on one store; stopped at the end."""
    started: dict[str, FedRuntime] = {}
    try:
        for name, token in zip("ab", TOKENS, strict=True):
            settings = make_settings(
                sandbox,
                db_path,
                gateway,
                database_url=database_url,
                telegram_bot_token=SecretStr(token),
            )
            runtime = FedRuntime(await build_application(settings, clock=clock))
            await runtime.start()
            started[name] = runtime
        yield Balancer(sandbox, started)
    finally:
        for runtime in reversed(started.values()):
            await runtime.stop()
