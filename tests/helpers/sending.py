"""Journey steps for sending records to 1365 and reading what the gateway received."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.runtime import BotRuntime
from bot.services.sending import (
    SendService,
)
from core.clock import FakeClock
from linkage.client import GatewayClient
from linkage.models import Transmission
from sandbox.gateway import GatewaySandbox
from store.due_work import DueWorkRepository
from store.sends import SendRepository
from store.status_cache import StatusCacheRepository
from tests.conftest import GATEWAY_KEY
from tests.helpers.linking import link_id_of

RESULT_DELAY = timedelta(seconds=61)  # the sandbox completes a transmission after 60 s


CONFIRM = re.compile(r"미전송 실적 (\d+)건\(총 ([0-9시간분 ]+)\)을 1365로 보낼까요\?")


async def transmissions(
    gateway: GatewaySandbox, bot: BotRuntime, user_id: int
) -> list[Transmission]:
    """Asks the gateway itself, over its contract, which transmissions this member has."""
    client = GatewayClient(gateway.base_url, GATEWAY_KEY)
    try:
        return await client.transmissions(await link_id_of(bot, user_id))
    finally:
        await client.aclose()


def work(bot: BotRuntime) -> DueWorkRepository:
    return DueWorkRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]


async def results_in(bot: BotRuntime, clock: FakeClock, delta: timedelta = RESULT_DELAY) -> None:
    clock.advance(delta)
    await bot.poller.run_due()


RECORD = {"activity_date": "2026-11-30", "host": "행복복지관", "activity": "배식", "minutes": 90,
          "kind": "일반"}  # fmt: skip


def service_over(client: GatewayClient, bot: BotRuntime, clock: FakeClock) -> SendService:
    """The running bot's send service, but talking to the gateway through `client`."""
    backend = bot.app.bot_data.backend
    assert backend is not None
    return SendService(
        client,
        backend.services.links,
        SendRepository(backend.db),
        DueWorkRepository(backend.db),
        clock,
        StatusCacheRepository(backend.db),
    )
