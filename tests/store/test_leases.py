"""Leases and the shared message budget on each engine (migration 24): what several workers
sharing one database agree on. "Another worker" is a second Database on the same target,
with its own connection pool."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import FakeClock
from store.budget import BudgetRepository
from store.db import Database
from store.leases import LeaseRepository

LEASE = timedelta(seconds=30)


@pytest.fixture
async def other(store_target: str | Path, clock: FakeClock) -> AsyncIterator[Database]:
    database = await Database.open(store_target, clock=clock)
    try:
        yield database
    finally:
        await database.close()


async def test_a_lease_is_one_workers_until_it_lapses_or_is_let_go(
    db: Database, other: Database, clock: FakeClock
) -> None:
    mine, theirs = LeaseRepository(db), LeaseRepository(other)
    assert await mine.take("broadcast:1", "a", clock.now() + LEASE)
    assert not await theirs.take("broadcast:1", "b", clock.now() + LEASE)
    # Renewed by its holder: still not theirs when the first term would have lapsed.
    clock.advance(timedelta(seconds=20))
    assert await mine.take("broadcast:1", "a", clock.now() + LEASE)
    clock.advance(timedelta(seconds=20))
    assert not await theirs.take("broadcast:1", "b", clock.now() + LEASE)
    # Lapsed (its worker died): the next to ask has it, and the old holder's renewal fails.
    clock.advance(LEASE)
    assert await theirs.take("broadcast:1", "b", clock.now() + LEASE)
    assert not await mine.take("broadcast:1", "a", clock.now() + LEASE)
    held = await mine.get("broadcast:1")
    assert held is not None and held.holder == "b" and held.until == clock.now() + LEASE
    # Let go: anyone may take it at once; a release by a non-holder changes nothing.
    assert not await mine.release("broadcast:1", "a")
    assert await theirs.release("broadcast:1", "b")
    assert await mine.take("broadcast:1", "a", clock.now() + LEASE)
    # Other names are other leases.
    assert await theirs.take("broadcast:2", "b", clock.now() + LEASE)


async def test_of_workers_asking_at_once_exactly_one_gets_it(
    db: Database, other: Database, clock: FakeClock
) -> None:
    repos = [LeaseRepository(db), LeaseRepository(other)] * 4
    for round_ in range(5):
        name = f"race:{round_}"
        won = await asyncio.gather(
            *(repo.take(name, f"w{i}", clock.now() + LEASE) for i, repo in enumerate(repos))
        )
        assert sum(won) == 1, won


async def test_the_start_up_mark_counts_only_a_finished_run_that_began_since(
    db: Database, other: Database, clock: FakeClock
) -> None:
    mine, theirs = LeaseRepository(db), LeaseRepository(other)
    opened = await mine.server_time()
    assert await theirs.take("start_up", "b", clock.now() + LEASE, began_before=opened)
    assert not await mine.take("start_up", "a", clock.now() + LEASE, began_before=opened)
    assert await theirs.release("start_up", "b")
    done = await mine.get("start_up")
    assert done is not None and done.holder is None
    assert done.began is not None and done.began >= opened
    # Done since `opened`: not again for a worker that opened then...
    assert not await mine.take("start_up", "a", clock.now() + LEASE, began_before=opened)
    # ...but again for one that opened after it began (a later restart).
    await asyncio.sleep(0.01)
    later = await mine.server_time()
    assert later > done.began
    assert await mine.take("start_up", "a", clock.now() + LEASE, began_before=later)
    # A holder that died mid-way never finished: once it lapses its mark does not count.
    clock.advance(LEASE)
    assert await theirs.take("start_up", "b", clock.now() + LEASE, began_before=opened)
    # A failed run lets go and counts as not done.
    await theirs.forget_began("start_up", "b")
    assert await mine.take("start_up", "a", clock.now() + LEASE, began_before=opened)


async def test_the_budget_hands_out_one_slot_per_interval_to_all_workers(
    db: Database, other: Database
) -> None:
    # Ten-second slots, so the milliseconds between calls do not blur them.
    workers = [BudgetRepository(db), BudgetRepository(other)]
    waits = [await workers[i % 2].reserve(10.0, 0.0) for i in range(4)]
    for slot, wait in enumerate(waits):
        assert abs(wait - 10.0 * slot) < 1.0, waits


async def test_a_429_pauses_every_worker(db: Database, other: Database) -> None:
    mine, theirs = BudgetRepository(db), BudgetRepository(other)
    assert await mine.reserve(0.001, 0.0) < 1.0
    await mine.pause(100.0)
    wait = await theirs.reserve(0.001, 0.0)
    assert 99.0 < wait <= 100.0
    # A shorter pause later never shortens it.
    await theirs.pause(5.0)
    assert await mine.reserve(0.001, 0.0) > 99.0
