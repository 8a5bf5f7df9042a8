"""The webhook inbox on each engine: stored once per update_id, one user's updates
held by one worker at a time and in order, leases taken over after expiry, done rows
emptied and pruned after a day."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import FakeClock
from store.db import Database
from store.inbox import InboxRepository
from store.migrations import MIGRATIONS
from tests.store.helpers import other_process

LEASE = timedelta(minutes=5)
ALICE, BOB = 111_222_333, 444_555_666


def body(update_id: int, user: int, text: str = "hi") -> str:
    return json.dumps(
        {
            "update_id": update_id,
            "message": {"from": {"id": user}, "chat": {"id": user}, "text": text},
        }
    )


async def add(inbox: InboxRepository, update_id: int, user: int) -> bool:
    return await inbox.add(update_id, f"user:{user}", body(update_id, user))


def raw_bytes(path: Path) -> bytes:
    """The database file and its WAL, as a disk scan would see them."""
    files = [path, path.with_name(path.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


@pytest.fixture
async def second(
    store_target: str | Path, clock: FakeClock, db: Database
) -> AsyncIterator[Database]:
    """Another worker's connection to the same database (another process, in production)."""
    other = await Database.open(store_target, clock=clock)
    try:
        yield other
    finally:
        await other.close()


def test_the_inbox_migration_is_in_the_list() -> None:
    assert [m.name for m in MIGRATIONS].count("webhook inbox") == 1


async def test_a_redelivered_update_is_stored_once(db: Database) -> None:
    inbox = InboxRepository(db)
    assert await add(inbox, 10, ALICE)
    assert not await add(inbox, 10, ALICE)
    assert await inbox.states() == {10: "pending"}


async def test_one_users_updates_are_held_by_one_worker_at_a_time(
    db: Database, second: Database
) -> None:
    first_worker, second_worker = InboxRepository(db), InboxRepository(second)
    for update_id in (1, 2, 3):
        await add(first_worker, update_id, ALICE)
    await add(first_worker, 4, BOB)
    # Both workers claim at once, from two connections, as two processes would.
    a, b = await asyncio.gather(
        first_worker.claim("w1", LEASE, limit=10), second_worker.claim("w2", LEASE, limit=10)
    )
    held = [(item.update_id, item.claimed_by) for item in a + b]
    # Alice's oldest and Bob's only update; Alice's later ones wait for her first.
    assert sorted(update_id for update_id, _ in held) == [1, 4]
    assert await second_worker.claim("w2", LEASE) == []
    assert await first_worker.claim("w1", LEASE) == []


@pytest.mark.postgres_only  # SQLite's claims are serial: one writer at a time
async def test_on_postgres_a_row_being_claimed_elsewhere_is_passed_over_not_waited_for(
    db: Database, second: Database
) -> None:
    first_worker, second_worker = InboxRepository(db), InboxRepository(second)
    await add(first_worker, 1, ALICE)
    await add(first_worker, 2, BOB)
    async with db.transaction(isolation="read_committed") as tx:
        # Another worker in the middle of claiming Alice's row: it holds the row's lock.
        await tx.fetch_all("SELECT id FROM inbox WHERE update_id = 1 FOR UPDATE")
        # Without SKIP LOCKED this claim would wait for that transaction to end; the bound
        # only turns such a hang into a failure.
        got = await asyncio.wait_for(second_worker.claim("w2", LEASE), timeout=30)
    assert [item.update_id for item in got] == [2]


async def test_a_users_updates_run_in_update_id_order(db: Database) -> None:
    inbox = InboxRepository(db)
    for update_id in (7, 5, 6):  # stored out of order: Telegram's ids decide
        await add(inbox, update_id, ALICE)
    order = []
    while items := await inbox.claim("w", LEASE):
        (item,) = items
        order.append(item.update_id)
        assert await inbox.complete(item.id, "w")
    assert order == [5, 6, 7]


async def test_a_late_lower_update_waits_while_a_later_one_is_held(db: Database) -> None:
    inbox = InboxRepository(db)
    await add(inbox, 9, ALICE)
    (held,) = await inbox.claim("w1", LEASE)
    await add(inbox, 8, ALICE)  # e.g. a message that reached the webhook after a later click
    assert await inbox.claim("w2", LEASE) == []
    assert await inbox.complete(held.id, "w1")
    assert [i.update_id for i in await inbox.claim("w2", LEASE)] == [8]


async def test_an_expired_lease_is_taken_over(
    db: Database, second: Database, clock: FakeClock
) -> None:
    dead, alive = InboxRepository(db), InboxRepository(second)
    await add(dead, 1, ALICE)
    (first,) = await dead.claim("dead", LEASE)
    assert first.attempts == 1
    clock.advance(LEASE - timedelta(seconds=1))
    assert await alive.claim("alive", LEASE) == []  # the lease still holds
    clock.advance(timedelta(seconds=1))
    (taken,) = await alive.claim("alive", LEASE)
    assert (taken.update_id, taken.attempts, taken.claimed_by) == (1, 2, "alive")
    # The worker that lost its lease cannot finish the row any more; the new owner can.
    assert not await dead.complete(first.id, "dead")
    assert await alive.complete(taken.id, "alive")


@pytest.mark.sqlite_only  # reads the SQLite file's bytes; on Postgres, VACUUM after /forget
async def test_done_rows_keep_nothing_about_the_user_and_go_after_a_day(
    db: Database, db_path: Path, clock: FakeClock
) -> None:
    inbox = InboxRepository(db)
    await add(inbox, 1, ALICE)
    (item,) = await inbox.claim("w", LEASE)
    assert item.update["message"]["from"]["id"] == ALICE
    assert await inbox.complete(item.id, "w")
    assert not await add(inbox, 1, ALICE)  # a late redelivery is still recognised
    await db.checkpoint()
    assert str(ALICE).encode() not in raw_bytes(db_path)
    with other_process(db_path) as conn:
        row = conn.execute("SELECT user_key, body, done_at FROM inbox").fetchone()
    assert row[:2] == (None, None) and row[2] is not None

    clock.advance(timedelta(hours=23))
    assert await inbox.prune() == 0
    clock.advance(timedelta(hours=1))
    assert await inbox.prune() == 1
    assert await inbox.states() == {}


async def test_the_lag_is_the_oldest_open_rows_age(db: Database, clock: FakeClock) -> None:
    inbox = InboxRepository(db)
    assert (await inbox.lag()).seconds(clock.now()) == 0.0
    await add(inbox, 1, ALICE)
    clock.advance(timedelta(seconds=30))
    await add(inbox, 2, BOB)
    lag = await inbox.lag()
    assert (lag.open_rows, lag.seconds(clock.now())) == (2, 30.0)
