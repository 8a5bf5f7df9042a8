"""Database.snapshot(): long reads on a read-only connection that the writer never waits for."""

from __future__ import annotations

import sqlite3

import pytest

from store.db import Database


async def test_writes_go_on_while_a_snapshot_is_open_and_it_does_not_see_them(
    db: Database,
) -> None:
    await db.write("CREATE TABLE counters (n INTEGER NOT NULL)")
    await db.write("INSERT INTO counters (n) VALUES (1)")
    async with db.snapshot() as snap:
        first = await snap.fetch_one("SELECT n FROM counters")
        # Through the writer's lock: with the snapshot on the main connection this would
        # raise (the lock is not re-entrant) instead of completing.
        await db.write("UPDATE counters SET n = 2")
        again = await snap.fetch_one("SELECT n FROM counters")
    assert first is not None and again is not None and first["n"] == again["n"] == 1
    async with db.snapshot() as snap:
        now = await snap.fetch_one("SELECT n FROM counters")
    assert now is not None and now["n"] == 2


@pytest.mark.sqlite_only  # PostgreSQL: tests/store/test_postgres.py
async def test_a_snapshot_cannot_write(db: Database) -> None:
    await db.write("CREATE TABLE counters (n INTEGER NOT NULL)")
    async with db.snapshot() as snap:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await snap.fetch_all("INSERT INTO counters (n) VALUES (1)")
    assert await db.fetch_all("SELECT n FROM counters") == []


@pytest.mark.sqlite_only
async def test_after_a_snapshot_the_wal_can_still_be_emptied(db: Database) -> None:
    """/forget's checkpoint must not find the stats reader holding the WAL."""
    await db.write("CREATE TABLE counters (n INTEGER NOT NULL)")
    async with db.snapshot() as snap:
        await snap.fetch_all("SELECT n FROM counters")
    await db.write("INSERT INTO counters (n) VALUES (1)")
    assert await db.checkpoint()


async def test_closing_closes_the_reader_and_later_snapshots_refuse(db: Database) -> None:
    async with db.snapshot() as snap:
        await snap.fetch_all("SELECT 1")
    await db.close()
    with pytest.raises(RuntimeError, match="closed"):
        async with db.snapshot():
            pass
