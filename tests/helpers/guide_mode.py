"""Guide mode: the bot with no gateway, started on the tests' clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from pydantic import HttpUrl, SecretStr

from app import build_application
from bot.runtime import BotRuntime
from bot.settings import Settings
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID, TOKEN

Start = Callable[[], Awaitable[BotRuntime]]


def guide_mode_settings(sandbox: BotApiSandbox, db_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=SecretStr(TOKEN),
        telegram_api_base_url=HttpUrl(sandbox.base_url),
        database_path=db_path,
        admin_telegram_ids=(ADMIN_ID,),
        vms_gateway_url=None,
        log_level="DEBUG",
    )


@pytest.fixture
async def start(sandbox: BotApiSandbox, db_path: Path, clock: FakeClock) -> AsyncIterator[Start]:
    runtimes: list[BotRuntime] = []

    async def run() -> BotRuntime:
        app = await build_application(guide_mode_settings(sandbox, db_path), clock=clock)
        runtime = BotRuntime(app, poll_timeout=0.5)
        runtimes.append(runtime)
        await runtime.start()
        return runtime

    yield run
    for runtime in runtimes:
        await runtime.stop()


def _last_id(sandbox: BotApiSandbox, uid: int) -> int:
    return max((m.message_id for m in sandbox.bot_messages(uid)), default=0)


async def due_message(sandbox: BotApiSandbox, bot: BotRuntime, uid: int):  # type: ignore[no-untyped-def]
    """The message due work sends now (run here, or by the running bot's own pass)."""
    last = _last_id(sandbox, uid)
    await bot.poller.run_due()
    return await sandbox.wait_bot_message(uid, after_message_id=last, timeout=10)
