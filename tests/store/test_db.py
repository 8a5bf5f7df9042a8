"""Transactions on the shared connection: atomic, serialised, visible to other processes."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from core.clock import FakeClock
from store.db import Database
from tests.store.helpers import other_process


@pytest.fixture
async def counter(db: Database) -> Database:
    async with db.transaction() as tx:
        await tx.execute(
            "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, "
            "m INTEGER NOT NULL DEFAULT 0)"
        )
        await tx.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
    return db


async def read_n(db: Database) -> int:
    row = await db.fetch_one("SELECT n FROM counter WHERE id = 1")
    assert row is not None
    return int(row["n"])


async def test_exception_rolls_back(counter: Database) -> None:
    with pytest.raises(RuntimeError, match="halfway"):
        async with counter.transaction() as tx:
            await tx.execute("UPDATE counter SET n = 99 WHERE id = 1")
            raise RuntimeError("halfway")
    assert await read_n(counter) == 0
    # The connection is usable afterwards.
    async with counter.transaction() as tx:
        await tx.execute("UPDATE counter SET n = 1 WHERE id = 1")
    assert await read_n(counter) == 1


@pytest.mark.sqlite_only
async def test_sqlite_errors_surface_and_roll_back(counter: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with counter.transaction() as tx:
            await tx.execute("UPDATE counter SET n = 5 WHERE id = 1")
            await tx.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
    assert await read_n(counter) == 0
    with pytest.raises(sqlite3.OperationalError):
        await counter.fetch_all("SELECT nope FROM counter")


@pytest.mark.sqlite_only  # PostgreSQL: tests/store/test_postgres.py
async def test_concurrent_transactions_serialise(counter: Database) -> None:
    async def increment() -> None:
        # n and m move in two statements with a yield between: a reader let in mid-way, or a
        # second writer interleaving, would see or leave n != m.
        async with counter.transaction() as tx:
            row = await tx.fetch_one("SELECT n, m FROM counter WHERE id = 1")
            assert row is not None
            await tx.execute("UPDATE counter SET n = ? WHERE id = 1", (row["n"] + 1,))
            await asyncio.sleep(0)  # invite other tasks to barge in mid-transaction
            await tx.execute("UPDATE counter SET m = ? WHERE id = 1", (row["m"] + 1,))

    async def read() -> tuple[int, int]:
        await asyncio.sleep(0)
        row = await counter.fetch_one("SELECT n, m FROM counter WHERE id = 1")
        assert row is not None
        return int(row["n"]), int(row["m"])

    _, seen = await asyncio.gather(
        asyncio.gather(*(increment() for _ in range(50))),
        asyncio.gather(*(read() for _ in range(50))),
    )
    assert await read_n(counter) == 50
    assert [n for n, m in seen if n != m] == []  # no reader saw half an increment


async def test_cancelled_transaction_rolls_back(counter: Database) -> None:
    entered = asyncio.Event()

    async def slow_writer() -> None:
        async with counter.transaction() as tx:
            await tx.execute("UPDATE counter SET n = 7 WHERE id = 1")
            entered.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(slow_writer())
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await read_n(counter) == 0
    async with counter.transaction() as tx:
        await tx.execute("UPDATE counter SET n = 2 WHERE id = 1")
    assert await read_n(counter) == 2


@pytest.mark.sqlite_only
async def test_other_connections_see_only_committed_data(counter: Database, db_path: Path) -> None:
    with other_process(db_path) as other:
        async with counter.transaction() as tx:
            await tx.execute("UPDATE counter SET n = 3 WHERE id = 1")
            assert other.execute("SELECT n FROM counter").fetchone() == (0,)
        assert other.execute("SELECT n FROM counter").fetchone() == (3,)


async def test_reentry_fails_instead_of_deadlocking(counter: Database) -> None:
    async def nested() -> None:
        async with counter.transaction():
            await counter.fetch_one("SELECT 1")

    with pytest.raises(RuntimeError, match="not re-entrant"):
        await asyncio.wait_for(nested(), timeout=5)


async def test_transaction_object_is_dead_after_the_block(counter: Database) -> None:
    async with counter.transaction() as tx:
        pass
    with pytest.raises(RuntimeError, match="already ended"):
        await tx.execute("SELECT 1")


async def test_close_is_idempotent_and_keeps_data(
    store_target: str | Path, clock: FakeClock
) -> None:
    db = await Database.open(store_target, clock=clock)
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE kept (v TEXT)")
        await tx.execute("INSERT INTO kept VALUES (?)", ("안녕",))
    await db.close()
    await db.close()
    assert db.closed

    with pytest.raises(RuntimeError, match="closed"):
        await db.fetch_all("SELECT 1")
    with pytest.raises(RuntimeError, match="closed"):
        async with db.transaction():
            pass
    if isinstance(store_target, Path):
        # The checkpoint folded the WAL into the main file.
        wal = store_target.with_name(store_target.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    again = await Database.open(store_target, clock=clock)
    try:
        assert [tuple(r) for r in await again.fetch_all("SELECT v FROM kept")] == [("안녕",)]
    finally:
        await again.close()
