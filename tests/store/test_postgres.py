"""What only the PostgreSQL engine does: placeholders, per-key locks instead of one global
lock, SERIALIZABLE by default, read-only snapshots, and a baseline equal to SQLite's schema."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import asyncpg
import pytest

from core.clock import FakeClock
from store.db import Database, SqliteDatabase
from store.migrations import MIGRATIONS, migrate
from store.pg_baseline import BASELINE_VERSION
from store.postgres import PostgresDatabase, translate
from tests import engines
from tests.engines import postgres_database
from tests.postgres_server import PostgresServer


@pytest.fixture
async def pg(postgres_server: PostgresServer, clock: FakeClock) -> AsyncIterator[Database]:
    async with postgres_database(postgres_server, migrated=True) as url:
        db = await Database.open(url, clock=clock)
        try:
            await db.write("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER, m INTEGER)")
            await db.write("INSERT INTO counter VALUES (1, 0, 0)")
            yield db
        finally:
            await db.close()


def test_placeholders_become_numbered_outside_literals_and_comments() -> None:
    assert translate("SELECT ? , '?', \"a?\" -- ?\n, ?") == "SELECT $1 , '?', \"a?\" -- ?\n, $2"
    assert translate("SELECT ?2, ?1, ?2") == "SELECT $2, $1, $2"
    assert translate("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1"
    with pytest.raises(ValueError, match="both"):
        translate("SELECT ?, ?1")


async def _increment(db: Database, lock: str | None) -> None:
    async with db.transaction(lock=lock) as tx:
        row = await tx.fetch_one("SELECT n, m FROM counter WHERE id = 1")
        assert row is not None
        await tx.execute("UPDATE counter SET n = ? WHERE id = 1", (row["n"] + 1,))
        await asyncio.sleep(0.001)  # let the others barge in mid-transaction
        await tx.execute("UPDATE counter SET m = ? WHERE id = 1", (row["m"] + 1,))


async def test_transactions_with_one_lock_key_run_one_after_another(pg: Database) -> None:
    await asyncio.gather(*(_increment(pg, "counter") for _ in range(30)))
    row = await pg.fetch_one("SELECT n, m FROM counter")
    assert row is not None and (row["n"], row["m"]) == (30, 30)


async def test_without_a_key_a_conflicting_read_then_write_fails_instead_of_losing_one(
    pg: Database,
) -> None:
    both_read = asyncio.Barrier(2)
    first_done = asyncio.Event()

    async def second() -> None:
        async with pg.transaction() as tx:
            row = await tx.fetch_one("SELECT n FROM counter")
            assert row is not None
            await both_read.wait()
            await first_done.wait()
            await tx.execute("UPDATE counter SET n = ?", (row["n"] + 1,))

    task = asyncio.create_task(second())
    async with pg.transaction() as tx:
        row = await tx.fetch_one("SELECT n FROM counter")
        assert row is not None
        await both_read.wait()
        await tx.execute("UPDATE counter SET n = ?", (row["n"] + 1,))
    first_done.set()
    with pytest.raises(asyncpg.SerializationError):
        await task
    row = await pg.fetch_one("SELECT n FROM counter")
    assert row is not None and row["n"] == 1  # the stale read was not acted on


async def test_a_snapshot_cannot_write_and_sees_one_moment(pg: Database) -> None:
    async with pg.snapshot() as snap:
        first = await snap.fetch_one("SELECT n FROM counter")
        await pg.write("UPDATE counter SET n = 5")
        again = await snap.fetch_one("SELECT n FROM counter")
    assert first is not None and again is not None and first["n"] == again["n"] == 0
    with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
        async with pg.snapshot() as snap:
            await snap.fetch_all("INSERT INTO counter VALUES (2, 0, 0)")


async def test_reentry_fails_and_checkpoint_vacuums(pg: Database) -> None:
    with pytest.raises(RuntimeError, match="not re-entrant"):
        async with pg.transaction():
            await pg.fetch_one("SELECT 1")
    assert await pg.checkpoint()


async def _columns(db: Database) -> dict[str, list[str]]:
    if db.dialect == "postgres":
        rows = await db.fetch_all(
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
    else:
        rows = await db.fetch_all(
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p"
            " WHERE m.type = 'table' ORDER BY m.name, p.cid"
        )
    found: dict[str, list[str]] = {}
    for r in rows:
        found.setdefault(r["t"], []).append(r["c"])
    return found


async def _indexes_and_triggers(db: Database) -> set[str]:
    if db.dialect == "postgres":
        rows = await db.fetch_all(
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'"
            " AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'"
            " UNION SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        )
    else:
        rows = await db.fetch_all(
            "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql NOT NULL"
        )
    return {r["name"] for r in rows}


async def test_workers_starting_together_on_a_blank_database_migrate_it_once(
    postgres_server: PostgresServer, clock: FakeClock
) -> None:
    """Four workers opening one new database at once: one builds the schema, the others find
    it built (a SERIALIZABLE snapshot made them build it again: "json_valid already exists")."""
    async with postgres_database(postgres_server, migrated=False) as url:
        opened = await asyncio.gather(*(Database.open(url, clock=clock) for _ in range(4)))
        try:
            ledger = await opened[0].fetch_all("SELECT version FROM schema_migrations")
            assert sorted(r["version"] for r in ledger) == [m.version for m in MIGRATIONS]
        finally:
            for db in opened:
                await db.close()


async def test_the_baseline_is_sqlites_schema_at_its_version(
    postgres_server: PostgresServer, tmp_path: Path, clock: FakeClock
) -> None:
    """Same tables, same columns in the same order, same named indexes and triggers; both
    engines taken to the baseline version only, whatever migrations came later."""
    baseline = MIGRATIONS[:BASELINE_VERSION]
    conn = await aiosqlite.connect(tmp_path / "v.sqlite3", isolation_level=None)
    conn.row_factory = sqlite3.Row
    lite = SqliteDatabase(conn, clock)
    try:
        await migrate(lite, baseline)
        expected = (await _columns(lite), await _indexes_and_triggers(lite))
    finally:
        await lite.close()
    async with postgres_database(postgres_server, migrated=False) as url:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
        pg = PostgresDatabase(pool, clock)
        try:
            assert await migrate(pg, baseline) == [m.version for m in baseline]
            assert (await _columns(pg), await _indexes_and_triggers(pg)) == expected
            ledger = await pg.fetch_all("SELECT version, name FROM schema_migrations ORDER BY 1")
            assert [tuple(r) for r in ledger] == [(m.version, m.name) for m in baseline]
        finally:
            await pg.close()


async def test_a_users_deletion_clears_their_traces_through_the_triggers(pg: Database) -> None:
    """Migration 15's trigger, in jsonb: an audit row naming the user loses the id only."""
    await pg.write(
        "INSERT INTO users (telegram_id, language, first_seen, last_seen)"
        " VALUES (7001, 'ko', 'x', 'x'), (7002, 'ko', 'x', 'x')"
    )
    await pg.write(
        "INSERT INTO audit_log (at, actor, action, detail) VALUES"
        " ('x', 7002, 'staff.add', '{\"member\": 7001, \"n\": 2}'),"
        " ('x', 7002, 'staff.add', '{\"member\": 7003}')"
    )
    await pg.write("INSERT INTO due_work (kind, key, due_at, next_try_at)"
                   " VALUES ('send.nudge', '7001', 'x', 'x')")  # fmt: skip
    await pg.write("DELETE FROM users WHERE telegram_id = 7001")
    rows = await pg.fetch_all("SELECT detail::jsonb AS d FROM audit_log ORDER BY id")
    assert [r["d"] for r in rows] == ['{"n": 2, "member": null}', '{"member": 7003}']
    assert await pg.fetch_all("SELECT 1 FROM due_work") == []


def test_without_server_binaries_it_is_a_skip_naming_the_package_but_under_ci_a_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engines, "find_bin_dir", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install the package `postgresql`"):
        engines.server_binaries()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and PostgreSQL server binaries"):
        engines.server_binaries()


async def test_a_connection_goes_back_to_the_pool_without_a_statement_of_its_own(
    pg: Database,
) -> None:
    """asyncpg's default reset ran a second statement on every release: a round trip for
    each of ours. Nothing here leaves session state behind, and checkpoint's SET is undone."""
    pool = pg._pool  # type: ignore[attr-defined]
    ran: list[str] = []
    connections = [h._con for h in pool._holders if h._con is not None]
    assert connections
    for conn in connections:
        conn.add_query_logger(lambda record: ran.append(" ".join(record.query.split())))
    for n in range(3):
        assert (await pg.fetch_all(f"SELECT {n} AS n"))[0]["n"] == n
    assert ran == ["SELECT 0 AS n", "SELECT 1 AS n", "SELECT 2 AS n"]

    assert await pg.checkpoint()
    for conn in [h._con for h in pool._holders if h._con is not None]:
        assert await conn.fetchval("SHOW lock_timeout") == "0"
