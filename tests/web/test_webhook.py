"""Webhook mode's receiving side end to end: the sandbox Bot API POSTs updates to the real
webhook app over HTTP on 127.0.0.1, which stores them in the inbox of a real SQLite file
before it answers; workers then run them in each user's order."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import Bot

from bot.runtime import BotRuntime
from bot.services.inbox import MAX_ATTEMPTS, PRUNE, InboxService
from bot.web.webhook import SECRET_HEADER, build_webhook_app, listening_url, serve_webhook
from core.clock import FakeClock
from sandbox.botapi import DEFAULT_TOKEN, BotApiSandbox
from store.db import Database
from store.inbox import InboxRepository
from store.timestamps import from_text
from tests.sandbox.conftest import FakeClock as SandboxClock
from tests.sandbox.webhook_receiver import WAIT, Backoff

SECRET = "webhook-Secret_42"
USER, OTHER = 7_001, 7_002


@dataclass
class Stack:
    sandbox: BotApiSandbox
    db: Database
    inbox: InboxRepository
    service: InboxService
    url: str
    http: httpx.AsyncClient
    backoff: Backoff
    # Called with each request and the app's own answer; may replace the answer.
    tamper: list[Callable[[web.Request, web.StreamResponse], web.StreamResponse]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def stack(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Stack]:
    db = await Database.open(tmp_path / "bot.sqlite3", clock=clock)
    inbox = InboxRepository(db)
    service = InboxService(inbox, clock)
    app = build_webhook_app(service, SECRET)
    tamper: list[Callable[[web.Request, web.StreamResponse], web.StreamResponse]] = []

    @web.middleware
    async def crash_after_commit(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        answer = await handler(request)
        return tamper.pop(0)(request, answer) if tamper else answer

    app.middlewares.append(crash_after_commit)
    runner = await serve_webhook(app, "127.0.0.1:0")
    sandbox_clock = SandboxClock()
    backoff = Backoff(sandbox_clock)
    sandbox = BotApiSandbox(clock=sandbox_clock, webhook_sleep=backoff)
    await sandbox.start()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            yield Stack(sandbox, db, inbox, service, listening_url(runner), http, backoff, tamper)
    finally:
        await sandbox.stop()
        await runner.cleanup()
        await db.close()


async def set_webhook(stack: Stack, secret: str = SECRET) -> None:
    async with Bot(DEFAULT_TOKEN, base_url=f"{stack.sandbox.base_url}/bot") as bot:
        assert await bot.set_webhook(stack.url, secret_token=secret)


async def delivered(stack: Stack) -> None:
    await stack.sandbox.webhook_delivery.wait_until(lambda d: d.pending_count == 0, WAIT)


async def test_updates_from_telegram_land_in_the_inbox(stack: Stack) -> None:
    await set_webhook(stack)
    first = await stack.sandbox.user_send(USER, "/start")
    second = await stack.sandbox.user_send(OTHER, "안녕하세요")
    await delivered(stack)
    assert await stack.inbox.states() == {first.update_id: "pending", second.update_id: "pending"}
    stored = await stack.inbox.body(second.update_id)
    assert stored is not None and stored["message"]["text"] == "안녕하세요"


async def test_a_redelivered_update_is_stored_once(stack: Stack) -> None:
    # The first answer is lost after the commit (a worker dying between COMMIT and 200):
    # Telegram sends the update again, and the inbox already has it.
    stack.tamper.append(lambda request, answer: web.Response(status=502))
    await set_webhook(stack)
    sent = await stack.sandbox.user_send(USER, "한 번만")
    await delivered(stack)
    assert stack.sandbox.webhook_delivery.attempts == [sent.update_id, sent.update_id]
    assert await stack.inbox.states() == {sent.update_id: "pending"}


async def test_a_wrong_secret_is_refused_and_nothing_stored(stack: Stack) -> None:
    stack.backoff.open.clear()  # no retries: one refusal is the whole story
    await set_webhook(stack, secret="not-the-" + SECRET)
    await stack.sandbox.user_send(USER, "가짜")
    delivery = stack.sandbox.webhook_delivery
    await delivery.wait_until(lambda d: len(d.attempts) == 1 and d.in_flight == 0, WAIT)
    assert stack.sandbox.webhook.info()["last_error_message"] == (
        "Wrong response from the webhook: 401 Unauthorized"
    )
    assert await stack.inbox.states() == {}
    update = json.dumps({"update_id": 1, "message": {"text": "x"}})
    no_header = await stack.http.post(stack.url, content=update)
    assert no_header.status_code == 401
    assert await stack.inbox.states() == {}


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"\xff\xfe", b"[1, 2]", b'{"update_id": "12"}', b'{"message": {}}', b""],
)
async def test_a_malformed_body_gets_400_and_the_server_goes_on(
    stack: Stack, payload: bytes
) -> None:
    answer = await stack.http.post(stack.url, content=payload, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 400
    assert await stack.inbox.states() == {}
    health = await stack.http.get(stack.url.replace("/telegram", "/healthz"))
    assert health.status_code == 200


async def test_healthz_reports_the_database_and_the_inbox_lag(
    stack: Stack, clock: FakeClock
) -> None:
    await set_webhook(stack)
    await stack.sandbox.user_send(USER, "늦은 답")
    await delivered(stack)
    clock.advance(timedelta(seconds=42))
    health = await stack.http.get(stack.url.replace("/telegram", "/healthz"))
    assert (health.status_code, health.json()) == (
        200,
        {"database": "ok", "inbox_open": 1, "inbox_lag_seconds": 42.0},
    )
    await stack.db.close()
    health = await stack.http.get(stack.url.replace("/telegram", "/healthz"))
    assert (health.status_code, health.json()) == (503, {"database": "unreachable"})
    # With the database gone an update is not acknowledged: Telegram will send it again.
    update = json.dumps({"update_id": 99, "message": {"text": "x"}})
    answer = await stack.http.post(stack.url, content=update, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 503


async def test_workers_run_each_users_updates_in_order(stack: Stack, clock: FakeClock) -> None:
    await set_webhook(stack)
    ids = [(await stack.sandbox.user_send(USER, f"m{i}")).update_id for i in range(3)]
    other = (await stack.sandbox.user_send(OTHER, "다른 사람")).update_id
    await delivered(stack)
    seen: list[int] = []

    async def handle(update: dict[str, Any]) -> None:
        seen.append(update["update_id"])

    # Each pass runs one update per user: never two of one user side by side.
    assert await stack.service.run_once("w1", handle) == 2
    assert sorted(seen) == sorted([ids[0], other])
    while await stack.service.run_once("w1", handle):
        pass
    assert [u for u in seen if u != other] == ids
    assert set((await stack.inbox.states()).values()) == {"done"}


async def test_a_dead_workers_update_is_taken_over_then_set_aside(
    stack: Stack, clock: FakeClock
) -> None:
    await set_webhook(stack)
    sent = await stack.sandbox.user_send(USER, "죽이는 메시지")
    later = await stack.sandbox.user_send(USER, "다음 메시지")
    await delivered(stack)
    seen: list[int] = []

    async def handle(update: dict[str, Any]) -> None:
        seen.append(update["update_id"])

    # Workers that claim and die (never complete), MAX_ATTEMPTS times in a row.
    for attempt in range(MAX_ATTEMPTS):
        (held,) = await stack.inbox.claim(f"dead{attempt}", timedelta(minutes=5))
        assert held.update_id == sent.update_id
        assert await stack.service.run_once("alive", handle) == 0  # the lease still holds
        clock.advance(timedelta(minutes=5))
    # Set aside without running it again, so the user's next update is not blocked forever.
    assert await stack.service.run_once("alive", handle) == 1
    assert seen == []
    assert await stack.service.run_once("alive", handle) == 1
    assert seen == [later.update_id]


async def test_a_long_update_keeps_its_lease(stack: Stack, clock: FakeClock) -> None:
    """The worker renews its lease while the update runs: however long it takes, no other
    worker takes the update over, nor runs the same user's next one beside it."""
    lease = timedelta(minutes=5)
    service = InboxService(stack.inbox, clock, lease=lease, renew_every=0.01)
    await set_webhook(stack)
    slow = await stack.sandbox.user_send(USER, "오래 걸리는 일")
    later = await stack.sandbox.user_send(USER, "다음 일")
    await delivered(stack)
    others: list[int] = []

    async def other_worker(update: dict[str, Any]) -> None:
        others.append(update["update_id"])

    async def lease_until() -> datetime:
        row = await stack.db.fetch_one(
            "SELECT lease_until FROM inbox WHERE update_id = ?", (slow.update_id,)
        )
        assert row is not None
        return from_text(row["lease_until"])

    finished: list[bool] = []

    async def takes_long(update: dict[str, Any]) -> None:
        # Twelve minutes on the store's clock, more than twice the lease.
        for _ in range(3):
            clock.advance(timedelta(minutes=4))
            # Renewed from this moment on (the fake clock stands still meanwhile).
            async with asyncio.timeout(WAIT):
                while await lease_until() < clock.now() + lease:  # noqa: ASYNC110 - renewal
                    await asyncio.sleep(0.01)
            assert await service.run_once("other", other_worker) == 0
        finished.append(True)

    assert await service.run_once("slow", takes_long) == 1
    assert finished == [True] and others == []
    assert await service.run_once("other", other_worker) == 1
    assert others == [later.update_id]


async def test_an_update_done_before_its_first_renewal_starts_no_renewing_task(
    stack: Stack, clock: FakeClock
) -> None:
    """The renewal is started only for an update still running when it is due: most end
    long before, and a task for each cost CPU for nothing (bench/webhook_cpu.py)."""
    service = InboxService(stack.inbox, clock, renew_every=3600)
    await set_webhook(stack)
    await stack.sandbox.user_send(USER, "짧은 일")
    await delivered(stack)
    running: list[str] = []

    async def short(update: dict[str, Any]) -> None:
        running.extend(
            t.get_coro().__qualname__  # type: ignore[union-attr]
            for t in asyncio.all_tasks()
        )

    assert await service.run_once("w", short) == 1
    assert running and not [name for name in running if "keep_lease" in name]


async def test_the_daily_pruning_is_scheduled_at_start(bot: BotRuntime) -> None:
    backend = bot.app.bot_data.backend
    assert backend is not None
    assert await backend.poller.work.get(PRUNE, "all") is not None
