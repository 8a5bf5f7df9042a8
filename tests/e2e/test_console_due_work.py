"""The console demo's `:clock 25` runs the work that became due, like the bot's tick would."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app import build_application
from bot.runtime import BotRuntime
from core.clock import OffsetClock
from sandbox.botapi import BotApiSandbox
from sandbox.console import Console
from sandbox.gateway import GatewaySandbox
from tests.conftest import GATEWAY_KEY, make_settings
from tests.helpers.linking import active_at_gateway


@pytest.fixture
async def demo_gateway(tmp_path: Path) -> AsyncIterator[GatewaySandbox]:
    # As in the demo: one adjustable clock shared by the gateway and the bot.
    async with GatewaySandbox(
        api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3", clock=OffsetClock()
    ) as server:
        yield server


async def test_clock_25_revokes_a_link_owed_since_a_forget_during_an_outage(
    sandbox: BotApiSandbox, demo_gateway: GatewaySandbox, tmp_path: Path
) -> None:
    gateway = demo_gateway
    settings = make_settings(sandbox, tmp_path / "bot.sqlite3", gateway)
    app = await build_application(settings, clock=gateway.clock)
    # The bot's own tick only at start, so what runs after `:clock` is the console's doing.
    runtime = BotRuntime(app, poll_timeout=0.5, due_work_every=3600)
    await runtime.start()
    out = io.StringIO()
    console = Console(sandbox, runtime, out, gateway)
    try:
        for line in ("/link", "kindly0904"):
            await console.handle(line)
        await console.handle(gateway.last_code("kindly0904") or "")
        link = await runtime.app.bot_data.services.links.current(1001)  # type: ignore[union-attr]
        assert link is not None
        gateway.set_outage(True)
        await console.handle("/forget")
        await console.handle("1")  # "네, 모두 지워 주세요"
        gateway.set_outage(False)
        assert await active_at_gateway(gateway, link.link_id)  # owed, not yet done

        await console.handle(":clock 25")
        assert not await active_at_gateway(gateway, link.link_id)
        assert "때가 된 예약 작업을 실행했어요: 연결 해제 1건" in out.getvalue()
    finally:
        await runtime.stop()
