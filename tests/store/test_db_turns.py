"""Turns at SQLite's shared connection (store/db.py _Turns): single statements from many tasks
run together, queued on aiosqlite's thread in their order, so a burst of reads (20 staff
clicking at once on the desk) does not put that thread to sleep and wake it again between
each; a transaction still has the connection to itself, and is not starved by statements
arriving while it waits."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiosqlite
import pytest

from core.clock import FakeClock
from store.db import SqliteDatabase, _Turns

pytestmark = pytest.mark.sqlite_only


async def test_statements_of_several_tasks_are_queued_together(
    db_path: Path, clock: FakeClock
) -> None:
    db = await SqliteDatabase.open_file(db_path, clock=clock)
    events: list[str] = []
    original = aiosqlite.Connection._execute

    async def spy(self: aiosqlite.Connection, fn: object, *args: object) -> object:
        events.append(f"queued {args[0]}")
        try:
            return await original(self, fn, *args)
        finally:
            events.append(f"done {args[0]}")

    aiosqlite.Connection._execute = spy  # type: ignore[method-assign, assignment]
    try:
        await asyncio.gather(db.fetch_all("SELECT 1"), db.write("SELECT 2"))
    finally:
        aiosqlite.Connection._execute = original  # type: ignore[method-assign]
        await db.close()
    # Both on the thread's queue before either answer came back (one at a time, the
    # second would only be queued after the first's answer).
    assert events[:2] == ["queued SELECT 1", "queued SELECT 2"]


async def test_a_statement_waits_for_an_open_transaction(db_path: Path, clock: FakeClock) -> None:
    db = await SqliteDatabase.open_file(db_path, clock=clock)
    try:
        await db.write("CREATE TABLE t (n INTEGER)")
        await db.write("INSERT INTO t VALUES (0)")
        inside, leave = asyncio.Event(), asyncio.Event()

        async def writer() -> None:
            async with db.transaction() as tx:
                await tx.execute("UPDATE t SET n = 1")
                inside.set()
                await leave.wait()
                await tx.execute("UPDATE t SET n = 2")

        held = asyncio.create_task(writer())
        await inside.wait()
        read = asyncio.create_task(db.fetch_all("SELECT n FROM t"))
        for _ in range(5):
            await asyncio.sleep(0)
        assert not read.done()  # not let into the transaction (it would see n = 1)
        leave.set()
        await held
        assert [r["n"] for r in await read] == [2]
    finally:
        await db.close()


async def test_a_waiting_transaction_goes_before_statements_arriving_after_it() -> None:
    turns = _Turns()
    order: list[str] = []
    await turns.acquire(exclusive=False)  # a statement running

    async def take(name: str, exclusive: bool) -> None:
        await turns.acquire(exclusive=exclusive)
        order.append(name)

    tx = asyncio.create_task(take("transaction", True))
    await asyncio.sleep(0)
    later = asyncio.create_task(take("statement", False))
    await asyncio.sleep(0)
    assert order == []  # the transaction waits for the statement; the later one behind it
    turns.release(exclusive=False)
    await tx
    await asyncio.sleep(0)
    assert order == ["transaction"]
    turns.release(exclusive=True)
    await later
    assert order == ["transaction", "statement"]
    turns.release(exclusive=False)


async def test_a_transaction_given_up_while_waiting_lets_the_statements_behind_it_in() -> None:
    turns = _Turns()
    await turns.acquire(exclusive=False)
    tx = asyncio.create_task(turns.acquire(exclusive=True))
    await asyncio.sleep(0)
    later = asyncio.create_task(turns.acquire(exclusive=False))
    await asyncio.sleep(0)
    tx.cancel()
    await asyncio.wait_for(later, timeout=5)  # runs beside the first statement
    turns.release(exclusive=False)
    turns.release(exclusive=False)
    await asyncio.wait_for(turns.acquire(exclusive=True), timeout=5)  # all free again
