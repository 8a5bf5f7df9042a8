"""/metrics' numbers: read from a real SQLite store at each scrape (inbox, due work, running
broadcasts), counted in this process (updates, Telegram's 429s), in a registry per app."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from telegram.error import RetryAfter

from bot.rate_limit import BotBudget
from bot.services.readings import ReadingsService
from bot.web.metrics import WebhookMetrics
from core.clock import FakeClock
from store.broadcast_deliveries import DeliveryRepository
from store.broadcasts import UNKNOWN
from store.db import Database
from store.due_work import DueWorkRepository
from store.inbox import InboxRepository
from store.users import UserRepository


def parse(text: bytes) -> dict[tuple[str, str], float]:
    values: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(text.decode()):
        for sample in family.samples:
            values[(sample.name, next(iter(sample.labels.values()), ""))] = sample.value
    return values


Deliveries = dict[int, tuple[str, str | None]]  # telegram id → (state, error)


async def _broadcast(db: Database, state: str, deliveries: Deliveries) -> None:
    rows = await db.write(
        "INSERT INTO broadcasts (segment, text_ko, state, created_at)"
        " VALUES ('all', '공지', ?, '2026-03-01T00:00:00+00:00') RETURNING id",
        (state,),
    )
    for telegram_id, (delivery, error) in deliveries.items():
        await db.write(
            "INSERT INTO deliveries (broadcast_id, telegram_id, state, error) VALUES (?, ?, ?, ?)",
            (rows[0]["id"], telegram_id, delivery, error),
        )


async def test_a_scrape_reads_the_store_and_this_process(tmp_path: Path) -> None:
    clock = FakeClock()
    db = await Database.open(tmp_path / "bot.sqlite3", clock=clock)
    try:
        users = UserRepository(db)
        for uid in range(1, 7):
            await users.touch(uid, "ko")
        inbox, work = InboxRepository(db), DueWorkRepository(db)
        await inbox.add(1, "user:1", '{"update_id": 1}')
        await inbox.add(2, "user:2", '{"update_id": 2}')
        await work.schedule("x.now", "a")
        await work.schedule("x.now", "b", due_at=clock.now() - timedelta(seconds=30))
        await work.schedule("x.later", "c", due_at=clock.now() + timedelta(hours=1))
        await _broadcast(
            db,
            "sending",
            {1: ("queued", None), 2: ("queued", None), 3: ("sent", None), 4: ("failed", UNKNOWN)},
        )
        await _broadcast(db, "done", {5: ("sent", None), 6: ("sent", None)})
        clock.advance(timedelta(seconds=12))
        budget = BotBudget()
        with pytest.raises(RetryAfter):
            async with budget:
                raise RetryAfter(timedelta(seconds=1))
        readings = ReadingsService(inbox, work, DeliveryRepository(db), clock)
        metrics = WebhookMetrics(readings, lambda: budget.flood_answers)
        metrics.received.labels("stored").inc(2)
        metrics.done.inc()

        values = parse(await metrics.render())
        assert values[("yeongye_store_up", "")] == 1
        assert values[("yeongye_updates_received_total", "stored")] == 2
        assert values[("yeongye_updates_received_total", "duplicate")] == 0
        assert values[("yeongye_updates_done_total", "")] == 1
        assert values[("yeongye_inbox_open_updates", "")] == 2
        assert values[("yeongye_inbox_lag_seconds", "")] == 12
        assert values[("yeongye_due_work_backlog", "")] == 2
        assert values[("yeongye_due_work_oldest_seconds", "")] == 42
        assert values[("yeongye_telegram_flood_answers_total", "")] == 1
        assert values[("yeongye_broadcast_deliveries", "queued")] == 2
        assert values[("yeongye_broadcast_deliveries", "sent")] == 1  # the done one left out
        assert values[("yeongye_broadcast_deliveries", "unknown")] == 1
        assert values[("yeongye_broadcast_deliveries", "failed")] == 0

        # A second app in the same process (tests, benchmarks) has its own registry.
        other = WebhookMetrics(readings, lambda: 0)
        assert parse(await other.render())[("yeongye_updates_received_total", "stored")] == 0

        await db.close()
        down = parse(await metrics.render())
        assert down[("yeongye_store_up", "")] == 0
        assert down[("yeongye_updates_received_total", "stored")] == 2
        assert ("yeongye_inbox_open_updates", "") not in down
    finally:
        if not db.closed:
            await db.close()
