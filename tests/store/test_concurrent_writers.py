"""Two workers writing about the same key at the same moment: nobody gets an error, nothing is
lost, no limit is passed. On PostgreSQL the read-then-write transactions are SERIALIZABLE and
one of two overlapping ones is refused; the store tries it again (Database.attempts). On
SQLite they run one after another anyway; the same checks hold."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import FakeClock
from store.db import Database
from store.help_requests import HelpRequestRepository
from store.rate_limits import Limit, RateLimits
from store.users import UserRepository

WRITERS = 12  # per worker


@pytest.fixture
async def two(store_target: str | Path, clock: FakeClock) -> AsyncIterator[list[Database]]:
    """Two engines on one store, as two worker processes would have."""
    dbs = [await Database.open(store_target, clock=clock) for _ in range(2)]
    try:
        yield dbs
    finally:
        for db in dbs:
            await db.close()


async def test_a_limit_taken_at_once_by_two_workers_is_never_passed(two: list[Database]) -> None:
    limits = [RateLimits(db) for db in two]
    subject = await limits[0].account(1001)
    limit = Limit("link.request", subject, most=5, window=timedelta(hours=1))
    results = await asyncio.gather(
        *(limits[n % 2].take([limit], [("link.request", subject)]) for n in range(2 * WRITERS))
    )
    assert sum(isinstance(r, list) for r in results) == 5
    row = await two[0].fetch_one("SELECT COUNT(*) AS n FROM rate_events")
    assert row is not None and row["n"] == 5


async def test_one_open_question_however_many_taps_reach_two_workers(
    two: list[Database], clock: FakeClock
) -> None:
    await UserRepository(two[0]).touch(1001, "ko")
    repos = [HelpRequestRepository(db) for db in two]
    subject = await RateLimits(two[0]).account(1001)
    now = clock.now()
    results = await asyncio.gather(
        *(
            repos[n % 2].open_if_allowed(
                1001,
                subject,
                now,
                question="전송이 안 돼요",
                expires_at=now + timedelta(days=14),
                max_open=1,
                not_since=now - timedelta(minutes=1),
            )
            for n in range(2 * WRITERS)
        )
    )
    assert sum(created is not None for created, _, _ in results) == 1
    row = await two[0].fetch_one("SELECT COUNT(*) AS n FROM help_requests")
    assert row is not None and row["n"] == 1


async def test_two_workers_flushing_the_same_visits_keep_the_latest(
    two: list[Database], clock: FakeClock
) -> None:
    users = [UserRepository(db) for db in two]
    for telegram_id in range(1, 21):
        await users[0].touch(telegram_id, "ko")
    clock.advance(timedelta(seconds=1))
    for repo in users:
        for telegram_id in range(1, 21):
            await repo.touch(telegram_id, "ko")
        clock.advance(timedelta(seconds=1))
    await asyncio.gather(*(repo.flush_seen() for repo in users))
    latest = clock.now() - timedelta(seconds=1)
    fresh = [await users[0].get(telegram_id) for telegram_id in range(1, 21)]
    assert {u.last_seen for u in fresh if u is not None} == {latest}


async def test_a_read_then_write_block_is_tried_again_rather_than_lost(
    two: list[Database],
) -> None:
    await two[0].write("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
    await two[0].write("INSERT INTO counter VALUES (1, 0)")

    async def increment(db: Database) -> None:
        async for attempt in db.attempts():
            with attempt:
                async with db.transaction() as tx:
                    row = await tx.fetch_one("SELECT n FROM counter WHERE id = 1")
                    assert row is not None
                    await asyncio.sleep(0)  # let the other worker read the same value
                    await tx.execute("UPDATE counter SET n = ? WHERE id = 1", (row["n"] + 1,))

    await asyncio.gather(*(increment(two[n % 2]) for n in range(2 * WRITERS)))
    row = await two[0].fetch_one("SELECT n FROM counter")
    assert row is not None and row["n"] == 2 * WRITERS
