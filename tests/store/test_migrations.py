"""Migrations: blank databases migrate fully, reopening changes nothing, newer schemas refused."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import aiosqlite
import pytest

from core.clock import FakeClock
from store.db import Database, SqliteDatabase, Transaction
from store.guide import GuideRepository, SiteConsent
from store.links import LinkRepository
from store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    DanglingReferencesError,
    Migration,
    SchemaTooNewError,
    migrate,
    rebuild,
    sql,
)
from store.pg_baseline import BASELINE_VERSION
from store.timestamps import to_text
from store.users import UserRepository
from tests.store.helpers import other_process


def tables(path: Path) -> set[str]:
    with other_process(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


async def has_table(db: Database, name: str) -> bool:
    if db.dialect == "postgres":
        row = await db.fetch_one("SELECT to_regclass(?) IS NOT NULL AS found", (name,))
        return bool(row and row["found"])
    return bool(await db.fetch_all("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)))


async def test_blank_database_reaches_latest_version(
    blank_store_target: str | Path, clock: FakeClock
) -> None:
    db = await Database.open(blank_store_target, clock=clock)
    try:
        rows = await db.fetch_all(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY 1"
        )
        stamp = to_text(clock.now())
        assert [tuple(r) for r in rows] == [(m.version, m.name, stamp) for m in MIGRATIONS]
        assert rows[-1]["version"] == LATEST_VERSION
        for table in ("users", "ptb_conversations", "ptb_user_data", "ptb_chat_data"):
            assert await has_table(db, table)
        # Reopening runs nothing.
        assert await migrate(db) == []
    finally:
        await db.close()


async def test_every_migration_past_the_postgres_baseline_has_a_postgres_form() -> None:
    """A migration added after the baseline must say what it does on PostgreSQL."""
    assert [m.version for m in MIGRATIONS if m.version > BASELINE_VERSION and not m.postgres] == []


async def read_ledger(db: Database) -> list[tuple[int, str, str]]:
    rows = await db.fetch_all("SELECT version, name, applied_at FROM schema_migrations ORDER BY 1")
    return [(r["version"], r["name"], r["applied_at"]) for r in rows]


async def test_reopening_runs_nothing(store_target: str | Path, clock: FakeClock) -> None:
    db = await Database.open(store_target, clock=clock)
    try:
        before = await read_ledger(db)
    finally:
        await db.close()

    clock.advance(timedelta(days=3))
    db = await Database.open(store_target, clock=clock)
    try:
        assert await migrate(db) == []
        assert await read_ledger(db) == before
    finally:
        await db.close()


async def test_newer_schema_is_refused(store_target: str | Path, clock: FakeClock) -> None:
    db = await Database.open(store_target, clock=clock)
    newer = LATEST_VERSION + 1
    try:
        await db.write(
            "INSERT INTO schema_migrations VALUES (?, 'from the future', '2030-01-01')", (newer,)
        )
    finally:
        await db.close()

    with pytest.raises(SchemaTooNewError) as caught:
        await Database.open(store_target, clock=clock)
    assert (caught.value.found, caught.value.known) == (newer, LATEST_VERSION)
    message = str(caught.value)
    assert str(newer) in message and str(LATEST_VERSION) in message
    assert "upgrade the bot" in message


async def test_new_migration_applies_once_on_an_existing_database(db: Database) -> None:
    notes = sql("CREATE TABLE notes (id INTEGER)")
    extra = Migration(LATEST_VERSION + 1, "notes", notes, postgres=notes)

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

    broken = Migration(LATEST_VERSION + 1, "broken", half_done, postgres=half_done)
    with pytest.raises(RuntimeError, match="boom"):
        await migrate(db, [*MIGRATIONS, broken])

    assert not await has_table(db, "half")
    row = await db.fetch_one("SELECT MAX(version) AS v FROM schema_migrations")
    assert row is not None and row["v"] == LATEST_VERSION


async def test_gaps_in_versions_are_a_programming_error(db: Database) -> None:
    gap = Migration(LATEST_VERSION + 2, "gap", sql("SELECT 1"))
    with pytest.raises(ValueError, match="without gaps"):
        await migrate(db, [*MIGRATIONS, gap])


async def test_a_migration_without_a_postgres_form_is_refused_there(db: Database) -> None:
    bare = Migration(LATEST_VERSION + 1, "sqlite only", sql("CREATE TABLE bare (id INTEGER)"))
    if db.dialect == "sqlite":
        assert await migrate(db, [*MIGRATIONS, bare]) == [bare.version]
        return
    with pytest.raises(ValueError, match="no PostgreSQL form"):
        await migrate(db, [*MIGRATIONS, bare])
    assert not await has_table(db, "bare")


@pytest.mark.sqlite_only
async def test_pragmas_are_set(db: Database) -> None:
    async def pragma(name: str) -> object:
        row = await db.fetch_one(f"PRAGMA {name}")
        assert row is not None
        return row[0]

    assert await pragma("journal_mode") == "wal"
    assert await pragma("foreign_keys") == 1
    assert await pragma("busy_timeout") == 5000
    assert await pragma("synchronous") == 1  # NORMAL
    assert await pragma("secure_delete") == 1


# --- table rebuilds (SQLite's 12-step procedure) -------------------------------------------

_WIDER_USERS = """
CREATE TABLE users (
    telegram_id INTEGER PRIMARY KEY,
    language TEXT NOT NULL CHECK (language IN ('ko', 'en', 'ja')),
    language_chosen INTEGER NOT NULL DEFAULT 0 CHECK (language_chosen IN (0, 1)),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    blocked_at TEXT NULL,
    reminders INTEGER NOT NULL DEFAULT 1 CHECK (reminders IN (0, 1)),
    nudges INTEGER NOT NULL DEFAULT 1 CHECK (nudges IN (0, 1))
)
"""
_USER_COLUMNS = (
    "telegram_id",
    "language",
    "language_chosen",
    "first_seen",
    "last_seen",
    "blocked_at",
    "reminders",
    "nudges",
)


async def _people(db: Database) -> None:
    """Two users with links and guide progress, and an index on users to carry over."""
    users, links, guide = UserRepository(db), LinkRepository(db), GuideRepository(db)
    for telegram_id, vms_id in ((2101, "kindly0904"), (2102, "sora2008")):
        await users.touch(telegram_id, "en" if telegram_id == 2102 else None)
        await links.save(telegram_id, f"lnk_{vms_id}", vms_id, "hon****01")
        await guide.begin(
            telegram_id, f"tok{telegram_id}", "vms", 2, SiteConsent("self"), SiteConsent()
        )
    await db.write("CREATE INDEX users_by_last_seen ON users (last_seen)")


async def _snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(r) for r in await db.fetch_all(f"SELECT * FROM {table} ORDER BY 1")]
        for table in ("users", "links", "guide_progress")
    }


@pytest.mark.sqlite_only
async def test_rebuilding_users_loses_no_link_and_no_guide_progress(db: Database) -> None:
    await _people(db)
    before = await _snapshot(db)
    widen = Migration(LATEST_VERSION + 1, "allow ja", rebuild("users", _WIDER_USERS, _USER_COLUMNS))

    assert await migrate(db, [*MIGRATIONS, widen]) == [widen.version]

    assert await _snapshot(db) == before
    assert len(before["links"]) == 2 and len(before["guide_progress"]) == 2
    await UserRepository(db).touch(2103, None)
    await db.write("UPDATE users SET language = 'ja' WHERE telegram_id = 2103")  # the new CHECK
    index = await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 'users_by_last_seen'")
    assert index is not None
    # References to the rebuilt table still hold, cascade included.
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    with pytest.raises(sqlite3.IntegrityError):
        await db.write(
            "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
            " VALUES (9999, 'lnk_x', 'nobody', NULL, '2026-01-01T00:00:00')"
        )
    await UserRepository(db).delete(2101)
    assert await LinkRepository(db).get(2101) is None
    assert await LinkRepository(db).get(2102) is not None


@pytest.mark.sqlite_only  # PostgreSQL checks each statement: tests/store/test_postgres.py
async def test_a_migration_that_would_leave_dangling_references_is_rolled_back(
    db: Database,
) -> None:
    await _people(db)
    before = await _snapshot(db)
    # Foreign keys are off during migrations, so this delete would orphan 2101's link and
    # guide progress instead of cascading: the check before COMMIT must refuse it.
    careless = Migration(
        LATEST_VERSION + 1,
        "drop one user",
        sql("DELETE FROM users WHERE telegram_id = 2101", "CREATE TABLE half_done (id INTEGER)"),
    )

    with pytest.raises(DanglingReferencesError) as caught:
        await migrate(db, [*MIGRATIONS, careless])

    assert caught.value.version == careless.version
    assert {table for table, _ in caught.value.violations} == {"links", "guide_progress"}
    assert await _snapshot(db) == before
    assert await db.fetch_all("SELECT name FROM sqlite_master WHERE name = 'half_done'") == []
    row = await db.fetch_one("SELECT MAX(version) AS v FROM schema_migrations")
    assert row is not None and row["v"] == LATEST_VERSION
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]


@pytest.mark.sqlite_only  # builds the old schema by hand on a raw SQLite connection
async def test_the_facts_migration_starts_from_the_status_caches_of_current_links(
    db_path: Path, clock: FakeClock
) -> None:
    """Issue 17, part 5: segments read volunteer_facts; an upgrade keeps yesterday's counts."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(db_path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    db = SqliteDatabase(conn, clock, db_path)
    try:
        ours = next(i for i, m in enumerate(MIGRATIONS) if "staff segments" in m.name)
        await migrate(db, MIGRATIONS[:ours])
        summary = (
            '{"member": {"consent_1365": {"agreed": true}, "consent_vms": {"agreed": false}},'
            ' "unsent": {"count": 3}, "resendable_failed": 1}'
        )
        for uid, link_id, cached_for in ((1, "lnk1", "lnk1"), (2, "lnk2", "lnk-old")):
            await UserRepository(db).touch(uid, "ko")
            await db.write(
                "INSERT INTO links (telegram_id, link_id, vms_id, linked_at)"
                " VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00')",
                (uid, link_id, f"vms{uid}"),
            )
            await db.write(
                "INSERT INTO status_cache (telegram_id, link_id, summary, fetched_at, tried_at)"
                " VALUES (?, ?, ?, '2026-02-01T00:00:00+00:00', '2026-02-01T00:00:00+00:00')",
                (uid, cached_for, summary),
            )
        await migrate(db)
        rows = await db.fetch_all(
            "SELECT telegram_id, consent_1365, consent_vms, unsent, resendable_failed"
            " FROM volunteer_facts"
        )
        # Only the cache of the current link counts; another member's is not carried over.
        assert [tuple(r) for r in rows] == [(1, 1, 0, 3, 1)]
    finally:
        await db.close()
