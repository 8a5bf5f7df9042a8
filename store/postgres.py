"""The PostgreSQL engine: a pool of asyncpg connections and real transactions, no global lock.

Repositories write SQLite-style `?` placeholders (and `?1`, `?2` for a repeated parameter);
they are rewritten once per statement text into PostgreSQL's `$1`, `$2`. asyncpg's Record
reads like sqlite3.Row (`row["col"]`, `row[0]`, `keys()`), so rows go back unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractContextManager, asynccontextmanager
from functools import lru_cache
from typing import Any, cast

import asyncpg
import stamina

from core.clock import Clock
from store.engine import Database, Dialect, Isolation, Params, Row, Snapshot, Transaction
from store.migrations import migrate

logger = logging.getLogger(__name__)

# Enough for the bot's tasks in one worker; PostgreSQL's own default allows 100 connections,
# so several workers fit. Small statements, so a short wait for a free connection is cheap.
POOL_MIN = 1
POOL_MAX = 10

# See checkpoint(): a VACUUM behind another session's table lock gives up after this long.
VACUUM_LOCK_TIMEOUT_MS = 2000

# A SERIALIZABLE transaction refused (SQLSTATE 40001) or chosen as a deadlock's victim
# (40P01) did nothing: trying the same block again is the documented answer. Quick tries with
# jitter, since the other transaction has usually just committed; a block refused this many
# times in a row means something is wrong, and the error surfaces.
RETRYABLE = (asyncpg.SerializationError, asyncpg.DeadlockDetectedError)
RETRY_ATTEMPTS = 8
RETRY_WAIT_INITIAL = 0.005  # seconds
RETRY_WAIT_MAX = 0.5

# String literals, quoted identifiers and comments are copied as they are; a `?` outside
# them, with an optional number, is a placeholder.
_TOKENS = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\?(\d*)""")


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """`?` → `$1`, `$2`, … in order; `?N` → `$N`. Never both kinds in one statement."""
    counter = 0
    numbered = False

    def swap(match: re.Match[str]) -> str:
        nonlocal counter, numbered
        text = match.group(0)
        if not text.startswith("?"):
            return text
        if match.group(1):
            numbered = True
            return f"${match.group(1)}"
        counter += 1
        return f"${counter}"

    out = _TOKENS.sub(swap, sql)
    if numbered and counter:
        raise ValueError("a statement uses both ? and ?N placeholders")
    return out


# A transaction-scoped advisory lock on a 64-bit hash of the key; released at COMMIT/ROLLBACK.
_KEY_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"


async def _nothing_to_reset(conn: asyncpg.Connection) -> None:
    """The pool's reset on release. asyncpg's own runs a statement on every release (advisory
    locks, cursors, LISTEN, settings): a second round trip for each of ours, though nothing
    here leaves any of that on a connection: locks are taken per transaction
    (pg_advisory_xact_lock), nothing LISTENs or keeps a cursor, and the one SET (checkpoint)
    is undone before release or its connection closed. asyncpg still rolls back a
    transaction left open before it calls this."""


def _rowcount(status: str) -> int:
    """asyncpg's command tag ("UPDATE 3", "INSERT 0 1") → 3, 1; -1 where it has no count."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


def _rows(records: list[asyncpg.Record]) -> list[Row]:
    # Record answers every call the repositories make on sqlite3.Row (see store/engine.py).
    return cast(list[Row], records)


class PgSnapshot(Snapshot):
    """Reads on one pooled connection inside one transaction."""

    dialect: Dialect = "postgres"

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._open = True

    def _check(self) -> asyncpg.Connection:
        if not self._open:
            raise RuntimeError("this transaction has already ended")
        return self._conn

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return _rows(await self._check().fetch(translate(sql), *params))


class PgTransaction(PgSnapshot, Transaction):
    """Statements of one `PostgresDatabase.transaction()` block."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        conn = self._check()
        if not params:
            # The simple protocol: DDL with no parameters, and no prepared statement kept.
            return _rowcount(await conn.execute(translate(sql)))
        return _rowcount(await conn.execute(translate(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        # asyncpg's executemany reports no count; one statement per row keeps the sum exact
        # (the bot's batches are small: one flush of last-seen times, a few staff copies).
        conn = self._check()
        statement = translate(sql)
        changed = 0
        for params in rows:
            changed += max(0, _rowcount(await conn.execute(statement, *params)))
        return changed


class PostgresDatabase(Database):
    """A connection pool. Each transaction takes one connection for its duration.

    No lock in the process: PostgreSQL isolates transactions itself, so workers in other
    processes are held to the same rules. `transaction()` is SERIALIZABLE unless the caller
    asks for less: a read-then-write block behaves as under SQLite's BEGIN IMMEDIATE, or
    fails with asyncpg.SerializationError instead of acting on a stale read. Claims lock the
    rows they take (FOR UPDATE SKIP LOCKED) and run READ COMMITTED.
    """

    dialect: Dialect = "postgres"
    # How long checkpoint()'s VACUUM waits for a table another session has locked.
    vacuum_lock_timeout_ms = VACUUM_LOCK_TIMEOUT_MS

    def __init__(self, pool: asyncpg.Pool, clock: Clock) -> None:
        self._pool: asyncpg.Pool | None = pool
        self.clock = clock
        # Tasks inside a transaction, so using the database instead of the Transaction object
        # fails as it does on SQLite (there it would deadlock; here it would read outside it).
        self._in_transaction: set[asyncio.Task[Any]] = set()

    @classmethod
    async def connect(cls, url: str, *, clock: Clock) -> PostgresDatabase:
        """A pool to `url`, with the schema brought up to date."""
        pool = await asyncpg.create_pool(
            url, min_size=POOL_MIN, max_size=POOL_MAX, reset=_nothing_to_reset
        )
        db = cls(pool, clock)
        try:
            await migrate(db)
        except BaseException:
            await pool.close()
            raise
        return db

    @property
    def closed(self) -> bool:
        return self._pool is None

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    def _live(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is closed")
        task = asyncio.current_task()
        if task is not None and task in self._in_transaction:
            raise RuntimeError(
                "Database used again from inside one of its own transactions; "
                "use the Transaction object instead (the lock is not re-entrant)"
            )
        return self._pool

    async def checkpoint(self) -> bool:
        """VACUUM: deleted rows stay in the table files as dead tuples until it runs; False
        if it could not run now (store/wal.py then owes it as due work, retried until done).

        Run after erasing someone; without FULL it takes no lock that stops other work, but
        it waits for one that another session holds on a table (a migration, a LOCK TABLE,
        a long ALTER): at most VACUUM_LOCK_TIMEOUT, since /forget's answer waits for it. The
        WAL and backups are the operator's (see README).
        """
        try:
            async with self._live().acquire() as conn:
                try:
                    await conn.execute(f"SET lock_timeout = {int(self.vacuum_lock_timeout_ms)}")
                    await conn.execute("VACUUM")
                finally:
                    try:
                        await conn.execute("RESET lock_timeout")
                    except BaseException:
                        # Never back in the pool with the short timeout (the pool resets
                        # nothing: _nothing_to_reset).
                        conn.terminate()
                        raise
        except (asyncpg.PostgresError, OSError) as exc:
            # The error's type only: its text may quote anything.
            logger.warning("VACUUM could not run now (%s); owed as due work", type(exc).__name__)
            return False
        return True

    @asynccontextmanager
    async def transaction(
        self, *, isolation: Isolation = "serializable", lock: str | None = None
    ) -> AsyncIterator[Transaction]:
        pool = self._live()
        if lock is not None:
            # A snapshot taken before the lock was granted would miss what its last holder
            # committed: each statement must see the latest, so READ COMMITTED.
            isolation = "read_committed"
        task = asyncio.current_task()
        async with pool.acquire() as conn:
            tx = PgTransaction(conn)
            if task is not None:
                self._in_transaction.add(task)
            try:
                async with conn.transaction(isolation=isolation):
                    if lock is not None:
                        await conn.execute(_KEY_LOCK, lock)
                    yield tx
            finally:
                tx._open = False
                if task is not None:
                    self._in_transaction.discard(task)

    async def attempts(self) -> AsyncIterator[AbstractContextManager[None]]:
        """Tries of one transaction block until PostgreSQL does not refuse it (RETRYABLE),
        at most RETRY_ATTEMPTS (stamina: exponential backoff with jitter)."""
        async for attempt in stamina.retry_context(
            on=RETRYABLE,
            attempts=RETRY_ATTEMPTS,
            timeout=None,
            wait_initial=RETRY_WAIT_INITIAL,
            wait_max=RETRY_WAIT_MAX,
        ):
            yield attempt

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Snapshot]:
        """A read-only REPEATABLE READ transaction: one consistent view, blocking no writer."""
        if self._pool is None:
            raise RuntimeError("database is closed")
        async with self._pool.acquire() as conn:
            snap = PgSnapshot(conn)
            try:
                async with conn.transaction(isolation="repeatable_read", readonly=True):
                    yield snap
            finally:
                snap._open = False

    async def write(self, sql: str, params: Params = ()) -> list[Row]:
        """One statement in autocommit: PostgreSQL makes it atomic on its own."""
        async with self._live().acquire() as conn:
            return _rows(await conn.fetch(translate(sql), *params))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._live().acquire() as conn:
            return _rows(await conn.fetch(translate(sql), *params))
