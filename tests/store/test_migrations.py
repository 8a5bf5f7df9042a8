"""Migrations: blank databases migrate fully, reopening changes nothing, newer schemas refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import FakeClock
from store.db import Database, Transaction
from store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    SchemaTooNewError,
    migrate,
    sql,
)
from store.timestamps import to_text
from tests.store.helpers import other_process


def ledger(path: Path) -> list[tuple[int, str, str]]:
    with other_process(path) as conn:
        rows = conn.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY 1")
        return [(version, name, applied_at) for version, name, applied_at in rows]


def tables(path: Path) -> set[str]:
    with other_process(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


async def test_blank_database_reaches_latest_version(db_path: Path, clock: FakeClock) -> None:
    db = await Database.open(str(db_path), clock=clock)
    await db.close()

    stamp = to_text(clock.now())
    assert ledger(db_path) == [(m.version, m.name, stamp) for m in MIGRATIONS]
    assert ledger(db_path)[-1][0] == LATEST_VERSION
    assert {
        "users",
        "ptb_conversations",
        "ptb_user_data",
        "ptb_chat_data",
        "ptb_bot_data",
    } <= tables(db_path)


async def test_reopening_runs_nothing(db_path: Path, clock: FakeClock) -> None:
    await (await Database.open(db_path, clock=clock)).close()
    before = ledger(db_path)

    clock.advance(timedelta(days=3))
    db = await Database.open(db_path, clock=clock)
    try:
        assert await migrate(db) == []
    finally:
        await db.close()
    assert ledger(db_path) == before


async def test_newer_schema_is_refused(db_path: Path, clock: FakeClock) -> None:
    await (await Database.open(db_path, clock=clock)).close()
    newer = LATEST_VERSION + 1
    with other_process(db_path) as conn:
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, 'from the future', '2030-01-01')", (newer,)
        )

    with pytest.raises(SchemaTooNewError) as caught:
        await Database.open(db_path, clock=clock)
    assert (caught.value.found, caught.value.known) == (newer, LATEST_VERSION)
    message = str(caught.value)
    assert str(newer) in message and str(LATEST_VERSION) in message
    assert "upgrade the bot" in message


async def test_new_migration_applies_once_on_an_existing_database(db: Database) -> None:
    extra = Migration(LATEST_VERSION + 1, "notes", sql("CREATE TABLE notes (id INTEGER)"))

    assert await migrate(db, [*MIGRATIONS, extra]) == [extra.version]
    assert await migrate(db, [*MIGRATIONS, extra]) == []
    row = await db.fetch_one(
        "SELECT name FROM schema_migrations WHERE version = ?", (extra.version,)
    )
    assert row is not None and row["name"] == "notes"
    # The released code, which stops at LATEST_VERSION, must now refuse this database.
    with pytest.raises(SchemaTooNewError):
        await migrate(db)


async def test_failed_migration_leaves_no_trace(db: Database) -> None:
    async def half_done(tx: Transaction) -> None:
        await tx.execute("CREATE TABLE half (id INTEGER)")
        raise RuntimeError("boom")

    broken = Migration(LATEST_VERSION + 1, "broken", half_done)
    with pytest.raises(RuntimeError, match="boom"):
        await migrate(db, [*MIGRATIONS, broken])

    assert await db.fetch_all("SELECT name FROM sqlite_master WHERE name = 'half'") == []
    row = await db.fetch_one("SELECT MAX(version) AS v FROM schema_migrations")
    assert row is not None and row["v"] == LATEST_VERSION


async def test_gaps_in_versions_are_a_programming_error(db: Database) -> None:
    gap = Migration(LATEST_VERSION + 2, "gap", sql("SELECT 1"))
    with pytest.raises(ValueError, match="without gaps"):
        await migrate(db, [*MIGRATIONS, gap])


async def test_pragmas_are_set(db: Database) -> None:
    async def pragma(name: str) -> object:
        row = await db.fetch_one(f"PRAGMA {name}")
        assert row is not None
        return row[0]

    assert await pragma("journal_mode") == "wal"
    assert await pragma("foreign_keys") == 1
    assert await pragma("busy_timeout") == 5000
    assert await pragma("synchronous") == 1  # NORMAL
