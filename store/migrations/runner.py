"""Applies the migrations a database lacks, on SQLite or PostgreSQL, and records each one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from store.migrations.base import DanglingReferencesError, Migration, SchemaTooNewError
from store.migrations.catalog import MIGRATIONS
from store.pg_baseline import BASELINE_VERSION, create_baseline
from store.timestamps import to_text

if TYPE_CHECKING:
    from store.engine import Database

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""
_CURRENT = "SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations"


def _check_sequence(migrations: Sequence[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1, 2, 3, ... without gaps: {versions}")


async def migrate(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply every migration the database lacks; return the versions applied now.

    On PostgreSQL see _migrate_postgres. On SQLite:

    Every migration runs the way SQLite documents for table rebuilds
    (https://sqlite.org/lang_altertable.html#otheralter): foreign keys off *outside* the
    transaction (inside one the pragma is silently ignored), the change in one IMMEDIATE
    transaction, `PRAGMA foreign_key_check` before COMMIT, foreign keys back on. So dropping
    and recreating `users` cannot cascade into `links`, and a migration that would leave a
    dangling reference is rolled back whole. The flip side: a migration that deletes rows
    gets no ON DELETE CASCADE; delete the dependent rows explicitly or the check refuses it.
    """
    _check_sequence(migrations)
    if db.dialect == "postgres":
        return await _migrate_postgres(db, migrations)
    known = migrations[-1].version if migrations else 0
    async with db.transaction() as tx:
        await tx.execute(_CREATE_LEDGER)
        row = await tx.fetch_one(_CURRENT)
    current = row["version"] if row else 0
    if current > known:
        raise SchemaTooNewError(current, known)

    applied: list[int] = []
    for migration in migrations[current:]:
        if await _apply(db, migration):
            applied.append(migration.version)
    return applied


async def _apply(db: Database, migration: Migration) -> bool:
    """One migration with foreign keys off; False if another process applied it first."""
    await _set_foreign_keys(db, on=False)
    try:
        async with db.transaction() as tx:
            # Re-checked under the write lock: another process may have migrated meanwhile.
            row = await tx.fetch_one(_CURRENT)
            if row is not None and row["version"] >= migration.version:
                return False
            await migration.apply(tx)
            dangling = await tx.fetch_all("PRAGMA foreign_key_check")
            if dangling:
                raise DanglingReferencesError(
                    migration.version, [(r["table"], r["parent"]) for r in dangling]
                )
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, to_text(db.clock.now())),
            )
        return True
    finally:
        await _set_foreign_keys(db, on=True)


async def _set_foreign_keys(db: Database, *, on: bool) -> None:
    await db.write(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    row = await db.fetch_one("PRAGMA foreign_keys")
    # The pragma is a no-op inside a transaction; never run a rebuild believing it is off.
    if row is None or bool(row[0]) != on:
        raise RuntimeError(f"could not turn foreign keys {'on' if on else 'off'}")


# Any constant both workers agree on: the advisory lock that makes migrating one at a time.
_MIGRATION_LOCK = 0x59656F6E67  # "Yeong"


async def _migrate_postgres(db: Database, migrations: Sequence[Migration]) -> list[int]:
    """A blank database gets the baseline (versions 1..BASELINE_VERSION at once), then each
    later migration's `postgres` step, each in its own transaction.

    PostgreSQL checks foreign keys in every statement and its DDL is transactional, so no
    pragma dance: a migration that fails, or would leave a dangling reference, rolls back
    whole. Workers starting together take an advisory lock, held to each commit, so one
    migrates and the others find the work done: at READ COMMITTED, since a SERIALIZABLE
    snapshot taken by the lock statement itself would predate the first worker's commit and
    the second would build the schema again.
    """
    known = migrations[-1].version if migrations else 0
    applied: list[int] = []
    async with db.transaction(isolation="read_committed") as tx:
        await tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
        await tx.execute(_CREATE_LEDGER)
        row = await tx.fetch_one(_CURRENT)
        current = int(row["version"]) if row else 0
        if current > known:
            raise SchemaTooNewError(current, known)
        if current == 0 and known >= BASELINE_VERSION:
            await create_baseline(tx)
            stamp = to_text(db.clock.now())
            await tx.executemany(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [(m.version, m.name, stamp) for m in migrations[:BASELINE_VERSION]],
            )
            applied.extend(m.version for m in migrations[:BASELINE_VERSION])
    for migration in migrations:
        if migration.version <= BASELINE_VERSION:
            continue
        if migration.postgres is None:
            raise ValueError(
                f"migration {migration.version} ({migration.name}) has no PostgreSQL form: "
                "give it postgres=… (the same step if its SQL runs on both engines)"
            )
        async with db.transaction(isolation="read_committed") as tx:
            await tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
            row = await tx.fetch_one(_CURRENT)
            if row is not None and int(row["version"]) >= migration.version:
                continue
            await migration.postgres(tx)
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, to_text(db.clock.now())),
            )
        applied.append(migration.version)
    return applied
