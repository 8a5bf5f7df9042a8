"""Two workers flushing the last-seen times of the same users at once (store/users.py
flush_seen) on one PostgreSQL database: the rows are locked in one order, so neither holds
one row while waiting for the other's (a deadlock PostgreSQL breaks by killing one)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import asyncpg
import pytest
import stamina.instrumentation
from asyncpg.exceptions import DeadlockDetectedError

from core.clock import FakeClock
from store.db import Database
from store.users import UserRepository
from tests.engines import postgres_database
from tests.postgres_server import PostgresServer

WAITING = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


@pytest.fixture
def deadlocks() -> Iterator[list[BaseException]]:
    """Transaction blocks tried again because PostgreSQL chose them as a deadlock's victim."""
    seen: list[BaseException] = []

    def hook(details: stamina.instrumentation.RetryDetails) -> None:
        if isinstance(details.caused_by, DeadlockDetectedError):
            seen.append(details.caused_by)

    before = stamina.instrumentation.get_on_retry_hooks()
    stamina.instrumentation.set_on_retry_hooks([*before, hook])
    try:
        yield seen
    finally:
        stamina.instrumentation.set_on_retry_hooks(before)


async def _waiting(conn: asyncpg.Connection, n: int) -> None:
    async with asyncio.timeout(30):
        while await conn.fetchval(WAITING) < n:  # noqa: ASYNC110 - other sessions' state
            await asyncio.sleep(0.02)


async def test_two_workers_flushing_the_same_users_do_not_deadlock(
    postgres_server: PostgresServer, clock: FakeClock, deadlocks: list[BaseException]
) -> None:
    async with postgres_database(postgres_server, migrated=True) as url:
        first_db = await Database.open(url, clock=clock)
        second_db = await Database.open(url, clock=clock)
        blocker = await asyncpg.connect(url)
        try:
            first, second = UserRepository(first_db), UserRepository(second_db)
            for user in (1, 2):
                await first.touch(user, None)
            clock.advance(timedelta(seconds=1))
            # Each worker saw the two users in the other order.
            for user in (1, 2):
                await first.touch(user, None)
            for user in (2, 1):
                await second.touch(user, None)
            # Another session holds user 1's row, so both flushes queue up behind it: the
            # first worker waits for user 1; the second waits for user 1 too, or (in its own
            # order) takes user 2 first and waits for user 1 holding it.
            tx = blocker.transaction()
            await tx.start()
            await blocker.execute("SELECT 1 FROM users WHERE telegram_id = 1 FOR UPDATE")
            flushing = [asyncio.create_task(first.flush_seen())]
            await _waiting(blocker, 1)
            flushing.append(asyncio.create_task(second.flush_seen()))
            await _waiting(blocker, 2)
            await tx.rollback()
            assert await asyncio.gather(*flushing) == [2, 2]
            assert deadlocks == []
            rows = await blocker.fetch("SELECT last_seen FROM users ORDER BY telegram_id")
            assert len({r["last_seen"] for r in rows}) == 1
        finally:
            await blocker.close()
            await first_db.close()
            await second_db.close()
