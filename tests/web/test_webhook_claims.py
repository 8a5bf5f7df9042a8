"""A worker claims again at once only when that can find something: its claim was full, or
an update of a user it held was stored meanwhile. A lone update costs one claim, not a
second one that comes back empty (a trip to the store per update: bench/webhook_cpu.py);
what arrives later wakes a worker itself. The workers' periodic look is turned off here, so
every claim counted is one the worker loop chose to make."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from yarl import URL

import app.webhook
from app import build_application
from app.webhook import WebhookRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.inbox import InboxItem
from tests.conftest import make_settings
from tests.helpers.processes import free_port
from tests.sandbox.webhook_receiver import WAIT

WORKERS = 2
# The limit of each claim, and the running bot: filled by the fixture.
limits: list[int] = []
hook: list[WebhookRuntime] = []


@pytest.fixture
async def claims(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[list[int]]:
    """Starts the bot in webhook mode; yields the size of each claim its workers make, and
    stops the bot before the test reads it to the end."""
    monkeypatch.setattr(app.webhook, "LOOK_EVERY_SECONDS", 3600.0)
    limits.clear()
    hook.clear()
    port = free_port()
    settings = make_settings(
        sandbox,
        db_path,
        gateway,
        webhook_url=f"http://127.0.0.1:{port}/telegram",
        webhook_secret="webhook-Secret_42",
        webhook_listen=f"127.0.0.1:{port}",
        webhook_workers=WORKERS,
    )
    application = await build_application(settings, clock=clock)
    services = application.bot_data.services
    assert services is not None
    inbox = services.inbox._inbox
    claim = inbox.claim
    sizes: list[int] = []

    async def counted(worker: str, lease: timedelta, limit: int = 10) -> list[InboxItem]:
        limits.append(limit)
        items = await claim(worker, lease, limit)
        sizes.append(len(items))
        return items

    inbox.claim = counted  # type: ignore[method-assign]
    runtime = WebhookRuntime(application, settings)
    await runtime.start()
    hook.append(runtime)
    try:
        yield sizes
    finally:
        await runtime.stop()


async def answered(sandbox: BotApiSandbox, chat: int, count: int) -> None:
    """Until the bot has sent `count` messages to the chat."""
    after = 0
    for _ in range(count):
        after = (
            await sandbox.wait_bot_message(chat, after_message_id=after, timeout=WAIT)
        ).message_id


async def test_lone_updates_cost_one_claim_each(claims: list[int], sandbox: BotApiSandbox) -> None:
    for n, uid in enumerate((5001, 5002, 5003, 5001)):
        await sandbox.user_send(uid, "/help")
        await answered(sandbox, uid, 2 if n == 3 else 1)
    await sandbox.webhook_delivery.wait_until(lambda d: d.pending_count == 0, WAIT)

    empty = [size for size in claims if size == 0]
    # Each worker's first look at start, and nothing after a finished update.
    assert len(empty) <= WORKERS, claims
    assert sum(claims) == 4


async def test_a_users_next_update_stored_while_the_first_runs_is_claimed_after_it(
    claims: list[int], sandbox: BotApiSandbox
) -> None:
    """No wake-up comes for it (no worker could claim it when it was stored), and the look
    is off: only the worker that held the first one claims it, because it was told so."""
    for _ in range(3):
        await sandbox.user_send(5001, "/help")
    await answered(sandbox, 5001, 3)
    assert sum(claims) == 3


async def test_while_a_post_is_in_flight_workers_claim_one_row_at_a_time(
    claims: list[int], sandbox: BotApiSandbox
) -> None:
    """The receiving side first: a POST's 200 waits for CPU the process gives its workers."""
    await sandbox.user_send(5001, "/help")
    await answered(sandbox, 5001, 1)
    assert set(limits) == {app.webhook.CLAIM}
    runtime = hook[-1]
    url = URL(runtime.url)
    # A POST whose body has not all arrived: it is in flight until it does.
    _, writer = await asyncio.open_connection(url.host, url.port)
    writer.write(
        f"POST {url.path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
        "X-Telegram-Bot-Api-Secret-Token: webhook-Secret_42\r\n\r\n{".encode()
    )
    await writer.drain()
    try:
        async with asyncio.timeout(WAIT):
            while not runtime._receiving:  # noqa: ASYNC110 - the server has not read it yet
                await asyncio.sleep(0.01)
        limits.clear()
        await sandbox.user_send(5002, "/help")
        await answered(sandbox, 5002, 1)
        assert limits and set(limits) == {app.webhook.CLAIM_WHILE_RECEIVING}
    finally:
        writer.close()
        await writer.wait_closed()
    async with asyncio.timeout(WAIT):
        while runtime._receiving:  # noqa: ASYNC110 - the server has not seen it close yet
            await asyncio.sleep(0.01)
    limits.clear()
    await sandbox.user_send(5003, "/help")
    await answered(sandbox, 5003, 1)
    assert set(limits) == {app.webhook.CLAIM}
