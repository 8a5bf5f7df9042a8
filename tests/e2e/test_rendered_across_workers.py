"""What a message shows, when two workers edit it in turn (issue 16, part 4: no cache may go
stale across workers).

One stand-in Telegram, two production-built bots over one store (each engine), and the test
as the load balancer: it takes each update from the stand-in's queue and hands it to the
worker it picks, which runs it the way a webhook worker does (`Application.process_update`).
Worker A shows an answer on the question menu, worker B turns the message back to the menu,
then worker A is asked for the same answer again: the message must show it again. A memory
of "what I last rendered there" in worker A would say it does already, and skip the edit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from telegram import Update

from app import build_application
from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import TOKEN, make_settings
from tests.e2e.workers import TOKENS

USER = 1001


@pytest.fixture
def database_url(each_engine_url: str | None) -> str | None:
    return each_engine_url


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

    async def to(self, name: str, update_id: int) -> None:
        """Takes the update off the stand-in's queue and has worker `name` run it."""
        queue = self.sandbox.world.queue
        raw: dict[str, Any] = next(u for u in queue.pending if u["update_id"] == update_id)
        queue.remove(update_id)
        app = self.workers[name].app
        await app.process_update(Update.de_json(raw, app.bot))

    async def press(self, name: str, message_id: int, label: str) -> None:
        sent = await self.sandbox.press(USER, USER, message_id, label)
        await self.to(name, sent.update_id)

    def shown(self, message_id: int) -> tuple[str, list[str]]:
        message = next(m for m in self.sandbox.bot_messages(USER) if m.message_id == message_id)
        return message.text, message.buttons


@pytest.fixture
async def balancer(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    database_url: str | None,
) -> AsyncIterator[Balancer]:
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


@pytest.fixture
async def sandbox() -> AsyncIterator[BotApiSandbox]:
    """One stand-in Telegram for both workers (each its own token of the one bot)."""
    assert TOKENS[0] == TOKEN
    async with BotApiSandbox(tokens=TOKENS) as server:
        yield server
        assert server.rejections == [], server.rejections


async def test_an_edit_back_on_another_worker_is_not_skipped(balancer: Balancer) -> None:
    sent = await balancer.sandbox.user_send(USER, "음", first_name="민지")
    await balancer.to("a", sent.update_id)
    menu = balancer.sandbox.bot_messages(USER)[-1]
    topic = menu.buttons[0]
    menu_text = menu.text

    await balancer.press("a", menu.message_id, topic)
    answer_text, answer_buttons = balancer.shown(menu.message_id)
    assert answer_text != menu_text
    back = answer_buttons[-1]  # "다른 질문 보기": the menu again

    await balancer.press("b", menu.message_id, back)
    assert balancer.shown(menu.message_id) == (menu_text, menu.buttons)

    # The same answer again, on worker A: shown, though A put it there once before.
    await balancer.press("a", menu.message_id, topic)
    assert balancer.shown(menu.message_id) == (answer_text, answer_buttons)
