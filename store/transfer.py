"""Moving a center's store from its SQLite file to an empty PostgreSQL database, in one pass.

`run_bot.py migrate-store --from PATH --to postgresql://…` (app/main.py). Both sides are first
brought to this release's schema (the source refuses if a newer bot wrote it); the target
must hold nothing yet. Every table is then copied in one target transaction, parents before
children (the order is read from the target's foreign keys, so a new table needs no list
kept by hand), each identity column is set to continue after the largest copied id, and the
row counts of both sides are compared after the commit.

No trigger fires on the way: PostgreSQL's triggers here are all AFTER DELETE (the /forget
clean-ups of store/pg_baseline.py); the copy only inserts, and refuses if a trigger on INSERT
ever appears. Foreign keys stay checked on every row (no replica mode): a SQLite file with
dangling references is refused before anything is written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiosqlite
import asyncpg

from core.clock import Clock
from store.engine import is_postgres_url
from store.migrations import LATEST_VERSION, SchemaTooNewError

BATCH_ROWS = 1000
# Tables every migrated database has rows in from the start: the ledger (each side keeps its
# own history) and the installation secret (the target's fresh one is replaced by the
# source's: the abuse counters in rate_events are keyed hashes under it).
_LEDGER = "schema_migrations"
_REPLACED = "installation"
# TRIGGER_TYPE_INSERT in PostgreSQL's pg_trigger.tgtype bits.
_ON_INSERT = 1 << 2


class TransferRefused(Exception):
    """Nothing was written: the line says why (non-empty target, versions, URL, source)."""


class TransferFailed(Exception):
    """The copy itself failed; its transaction was rolled back (or counts differ after it)."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


def mask_url(url: str) -> str:
    """The URL with its password replaced by ***, for printing."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


async def transfer(
    source: Path, target_url: str, *, clock: Clock, batch: int = BATCH_ROWS
) -> list[TableCount]:
    """Copy every table of `source` into the empty database at `target_url`; the counts."""
    if not is_postgres_url(target_url):
        raise TransferRefused("--to must be a postgresql:// URL")
    if not await asyncio.to_thread(source.is_file):
        raise TransferRefused(f"no SQLite file at {source}")
    await _check_target_unused(target_url)
    # Opening migrates each side to this release (Database.open); imported here because
    # store.db and store.postgres both import this package's engine module.
    from store.engine import Database

    for side in (source, target_url):
        try:
            await (await Database.open(side, clock=clock)).close()
        except SchemaTooNewError as exc:
            raise TransferRefused(str(exc)) from exc
    async with aiosqlite.connect(f"file:{source}?mode=ro", uri=True) as src:
        # One read transaction: every table as of one moment, even if a bot still writes.
        await src.execute("BEGIN")
        await _check_source(src)
        conn = await _connect(target_url)
        try:
            counted = await _copy(src, conn, batch)
        finally:
            await conn.close()
    conn = await _connect(target_url)
    try:
        counts = [
            TableCount(t, n, int(await conn.fetchval(f'SELECT count(*) FROM "{t}"')))
            for t, n in counted
        ]
    finally:
        await conn.close()
    differ = [c.table for c in counts if c.source != c.target]
    if differ:
        raise TransferFailed(f"row counts differ after the copy: {', '.join(differ)}")
    return counts


async def _connect(url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise TransferRefused(f"cannot connect to {mask_url(url)}: {exc}") from exc


async def _check_target_unused(url: str) -> None:
    """Before anything is migrated or written: refuse a newer or non-empty target."""
    conn = await _connect(url)
    try:
        if await conn.fetchval(f"SELECT to_regclass('{_LEDGER}') IS NOT NULL"):
            found = int(await conn.fetchval(f"SELECT COALESCE(MAX(version), 0) FROM {_LEDGER}"))
            if found > LATEST_VERSION:
                raise TransferRefused(str(SchemaTooNewError(found, LATEST_VERSION)))
        await _refuse_if_holding_data(conn)
    finally:
        await conn.close()


async def _refuse_if_holding_data(conn: asyncpg.Connection) -> None:
    for table in await _target_tables(conn):
        if table in (_LEDGER, _REPLACED):
            continue
        if await conn.fetchval(f'SELECT EXISTS (SELECT 1 FROM "{table}")'):
            raise TransferRefused(
                f"the target already holds data (table {table}): "
                "migrate-store only fills an empty database"
            )


async def _check_source(src: aiosqlite.Connection) -> None:
    async with src.execute(f"SELECT COALESCE(MAX(version), 0) FROM {_LEDGER}") as cur:
        row = await cur.fetchone()
    if row is None or row[0] != LATEST_VERSION:
        found = row[0] if row else 0
        raise TransferRefused(f"the SQLite file is at version {found}, not {LATEST_VERSION}")
    async with src.execute("PRAGMA foreign_key_check") as cur:
        dangling = list(await cur.fetchall())
    if dangling:
        tables = sorted({str(r[0]) for r in dangling})
        raise TransferRefused(
            f"the SQLite file has {len(dangling)} row(s) referring to rows that no longer "
            f"exist ({', '.join(tables)}); see PRAGMA foreign_key_check"
        )


async def _target_tables(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [r["tablename"] for r in rows]


async def _source_tables(src: aiosqlite.Connection) -> list[str]:
    async with src.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ) as cur:
        return [str(r[0]) for r in await cur.fetchall()]


async def dependency_order(conn: asyncpg.Connection) -> list[str]:
    """Every table of the target, each after the tables its foreign keys point to."""
    tables = await _target_tables(conn)
    edges = await conn.fetch(
        """
        SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = current_schema()
        """
    )
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for edge in edges:
        if edge["child"] != edge["parent"]:  # a self-reference is ordered by id (_rows)
            parents[edge["child"]].add(edge["parent"])
    ordered: list[str] = []
    while parents:
        ready = sorted(t for t, p in parents.items() if not p - set(ordered))
        if not ready:
            raise TransferFailed(f"foreign keys form a cycle among {sorted(parents)}")
        ordered.extend(ready)
        for table in ready:
            del parents[table]
    return ordered


async def _columns(conn: asyncpg.Connection, table: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        table,
    )
    return [r["column_name"] for r in rows]


async def _copy(
    src: aiosqlite.Connection, conn: asyncpg.Connection, batch: int
) -> list[tuple[str, int]]:
    """The copy in one target transaction; (table, source rows) in the order copied."""
    counted: list[tuple[str, int]] = []
    async with conn.transaction():
        order = [t for t in await dependency_order(conn) if t != _LEDGER]
        source_tables = [t for t in await _source_tables(src) if t != _LEDGER]
        if sorted(order) != source_tables:
            raise TransferRefused(
                f"the two schemas differ: SQLite has {source_tables}, PostgreSQL {sorted(order)}"
            )
        # Nobody else writes while we copy: a bot started meanwhile waits for the commit.
        await conn.execute(
            "LOCK TABLE " + ", ".join(f'"{t}"' for t in order) + " IN ACCESS EXCLUSIVE MODE"
        )
        await _refuse_if_holding_data(conn)  # again, now under the lock
        found = int(await conn.fetchval(f"SELECT MAX(version) FROM {_LEDGER}"))
        if found != LATEST_VERSION:
            raise TransferRefused(f"the target is at version {found}, not {LATEST_VERSION}")
        firing = await conn.fetch(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgtype & $1 <> 0",
            _ON_INSERT,
        )
        if firing:
            names = ", ".join(sorted(r["tgname"] for r in firing))
            raise TransferFailed(f"triggers on INSERT would fire during the copy: {names}")
        await conn.execute(f"DELETE FROM {_REPLACED}")
        for table in order:
            columns = await _columns(conn, table)
            counted.append((table, await _copy_table(src, conn, table, columns, batch)))
        await _continue_identities(conn)
    return counted


async def _copy_table(
    src: aiosqlite.Connection,
    conn: asyncpg.Connection,
    table: str,
    columns: Sequence[str],
    batch: int,
) -> int:
    async with src.execute(f'PRAGMA table_info("{table}")') as cur:
        info = await cur.fetchall()
    have = {str(r[1]) for r in info}
    if have != set(columns):
        raise TransferRefused(f"table {table}: columns differ ({sorted(have ^ set(columns))})")
    # In key order, so a row referring to an earlier row of its own table (broadcasts'
    # resend_of) comes after it.
    keys = [str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]]
    order = ", ".join(f'"{k}"' for k in keys) or "rowid"
    select = ", ".join(f'"{c}"' for c in columns)
    copied = 0
    async with src.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}') as cur:
        while rows := list(await cur.fetchmany(batch)):
            try:
                await conn.copy_records_to_table(
                    table, records=[tuple(r) for r in rows], columns=list(columns)
                )
            # A value PostgreSQL's column type cannot take (SQLite keeps text in an INTEGER
            # column), or a constraint: the whole transaction rolls back.
            except (asyncpg.PostgresError, asyncpg.DataError, TypeError, ValueError) as exc:
                raise TransferFailed(f"table {table}: {exc}") from exc
            copied += len(rows)
    return copied


async def _continue_identities(conn: asyncpg.Connection) -> None:
    """Each identity column's next value is one past the largest id copied (1 if none)."""
    identities = await conn.fetch(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    for row in identities:
        table, column = row["table_name"], row["column_name"]
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence($1, $2), "
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',
            table,
            column,
        )
