"""Two workers' pollers on one PostgreSQL database racing for the same due items (issue 16,
part 7): each item runs once, a claimed one is not run beside its claimer, and a dead
worker's claim is taken over only when its lease has run out on the injectable clock."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.background import DuePoller
from core.clock import FakeClock
from store.db import Database
from store.due_work import DueWorkRepository
from tests.engines import postgres_database
from tests.postgres_server import PostgresServer

LEASE = timedelta(minutes=10)
KIND = "race.item"


class SideEffects:
    """What the handler did, by key; `hold` keeps a run inside the handler until released."""

    def __init__(self) -> None:
        self.done: Counter[str] = Counter()
        self.entered = asyncio.Event()
        self.hold: asyncio.Event | None = None

    async def __call__(self, key: str, payload: dict[str, Any]) -> None:
        self.done[key] += 1
        self.entered.set()
        if self.hold is not None:
            await self.hold.wait()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def two_databases(
    postgres_server: PostgresServer, clock: FakeClock
) -> AsyncIterator[tuple[Database, Database]]:
    async with postgres_database(postgres_server, migrated=True) as url:
        first = await Database.open(url, clock=clock)
        second = await Database.open(url, clock=clock)
        try:
            yield first, second
        finally:
            await first.close()
            await second.close()


def pollers(
    dbs: tuple[Database, Database], clock: FakeClock, effects: SideEffects
) -> tuple[DuePoller, DuePoller]:
    made = tuple(DuePoller(DueWorkRepository(db), clock, lease=LEASE) for db in dbs)
    for poller in made:
        poller.register(KIND, effects)
    return made[0], made[1]


async def test_an_item_one_worker_runs_is_not_run_by_the_other(
    two_databases: tuple[Database, Database], clock: FakeClock
) -> None:
    effects = SideEffects()
    first, second = pollers(two_databases, clock, effects)
    await first.work.schedule(KIND, "one")
    effects.hold = asyncio.Event()
    running = asyncio.create_task(first.run_due())
    await asyncio.wait_for(effects.entered.wait(), 30)
    # Due, but claimed: the other worker's pass finds nothing to do.
    report = await second.run_due()
    assert (report.done, report.superseded) == ([], [])
    effects.hold.set()
    assert len((await running).done) == 1
    assert (await second.run_due()).done == []
    assert effects.done == Counter({"one": 1})
    assert await first.work.all(KIND) == []


async def test_many_due_items_raced_by_two_workers_run_once_each(
    two_databases: tuple[Database, Database], clock: FakeClock
) -> None:
    effects = SideEffects()
    first, second = pollers(two_databases, clock, effects)
    keys = [f"item{n:02d}" for n in range(40)]
    for key in keys:
        await first.work.schedule(KIND, key)
    reports = await asyncio.gather(*(p.run_due() for p in (first, second, first, second)))
    assert effects.done == Counter(dict.fromkeys(keys, 1))
    assert sum(len(r.done) for r in reports) == len(keys)
    assert await first.work.all(KIND) == []


async def test_a_dead_workers_claim_is_taken_over_once_its_lease_runs_out(
    two_databases: tuple[Database, Database], clock: FakeClock
) -> None:
    effects = SideEffects()
    first, second = pollers(two_databases, clock, effects)
    await first.work.schedule(KIND, "orphan")
    # The first worker claims the item and dies before running it.
    [dead] = await first.work.claim_due(clock.now(), 5, LEASE)
    assert dead.claim is not None
    assert (await second.run_due()).done == []
    clock.advance(LEASE - timedelta(seconds=1))
    assert (await second.run_due()).done == []
    clock.advance(timedelta(seconds=1))
    assert (await second.run_due()).done == [dead.id]
    assert effects.done == Counter({"orphan": 1})
    # The dead claim can record nothing now.
    assert not await first.work.complete(dead.id, dead.claim)
    assert (await first.run_due()).done == []
    assert effects.done == Counter({"orphan": 1})
