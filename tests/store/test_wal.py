"""Truncating the WAL while another process reads: a quick give-up, then due work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.clock import FakeClock
from store.db import BUSY_TIMEOUT_MS, Database
from store.due_work import DueWorkRepository
from store.wal import FIRST_RETRY, TRUNCATE_WAL, WalStillHeld, WalTruncation


def wal_size(db_path: Path) -> int:
    wal = db_path.with_name(db_path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.mark.sqlite_only
async def test_a_held_wal_is_owed_and_truncated_once_the_reader_is_gone(
    db: Database, db_path: Path, clock: FakeClock
) -> None:
    await db.write("CREATE TABLE secrets (v TEXT)")
    await db.write("INSERT INTO secrets VALUES ('kindly0904')")
    reader = sqlite3.connect(db_path, isolation_level=None)
    wal = WalTruncation(db)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM secrets").fetchone()
        await db.write("DELETE FROM secrets")

        assert await wal.truncate_or_owe() is False
        owed = await DueWorkRepository(db).get(TRUNCATE_WAL, "wal")
        assert owed is not None and owed.due_at == clock.now() + FIRST_RETRY
        # The short wait for readers was only the checkpoint's: statements wait as before.
        row = await db.fetch_one("PRAGMA busy_timeout")
        assert row is not None and row[0] == BUSY_TIMEOUT_MS
        with pytest.raises(WalStillHeld):
            await wal.run_owed("wal", {})
        assert wal_size(db_path) > 0
    finally:
        reader.close()
    await wal.run_owed("wal", {})
    assert wal_size(db_path) == 0


@pytest.mark.sqlite_only
async def test_with_no_reader_nothing_is_owed(db: Database, db_path: Path) -> None:
    await db.write("CREATE TABLE secrets (v TEXT)")
    assert await WalTruncation(db).truncate_or_owe() is True
    assert wal_size(db_path) == 0
    assert await DueWorkRepository(db).all(TRUNCATE_WAL) == []


@pytest.mark.postgres_only
async def test_a_vacuum_that_cannot_run_is_owed_and_run_once_it_can(
    db: Database, clock: FakeClock, store_target: str | Path
) -> None:
    """On PostgreSQL the erase's VACUUM waits behind another session's table lock only
    briefly; it is then owed as the same due work, which fails until the lock is gone."""
    import asyncpg

    from store.postgres import PostgresDatabase

    assert isinstance(db, PostgresDatabase)
    db.vacuum_lock_timeout_ms = 50
    await db.write("CREATE TABLE secrets (v TEXT)")
    await db.write("INSERT INTO secrets VALUES ('kindly0904')")
    await db.write("DELETE FROM secrets")
    other = await asyncpg.connect(str(store_target))
    wal = WalTruncation(db)
    try:
        locked = other.transaction()
        await locked.start()
        await other.execute("LOCK TABLE secrets IN ACCESS EXCLUSIVE MODE")
        assert await wal.truncate_or_owe() is False
        owed = await DueWorkRepository(db).get(TRUNCATE_WAL, "wal")
        assert owed is not None and owed.due_at == clock.now() + FIRST_RETRY
        with pytest.raises(WalStillHeld):
            await wal.run_owed("wal", {})
        await locked.rollback()
    finally:
        await other.close()
    await wal.run_owed("wal", {})  # the lock is gone: VACUUM runs, nothing raised
