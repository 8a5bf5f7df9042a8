"""What every store engine offers the repositories: the calls they make, nothing more.

Two engines implement it: SQLite (store/db.py, the default, one process) and PostgreSQL
(store/postgres.py, several workers). Repositories write `?` placeholders and read rows by
column name (`row["col"]`) or position; both engines accept and return exactly that.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Literal

from core.clock import Clock

Params = Sequence[Any]
Dialect = Literal["sqlite", "postgres"]
# SERIALIZABLE is the default: every transaction as if alone, as under SQLite's BEGIN
# IMMEDIATE, or an error (never a stale read acted on). A transaction given a `lock` key runs
# READ COMMITTED after taking that key's lock: transactions with the same key run one after
# another, exactly as BEGIN IMMEDIATE, without holding up the rest. SQLite runs every
# transaction serially whatever is asked.
Isolation = Literal["serializable", "repeatable_read", "read_committed"]
# The row type repositories annotate. PostgreSQL returns asyncpg.Record, which answers
# row["col"], row[0], keys() and dict(row) the same way; one name keeps the repositories'
# annotations unchanged.
Row = sqlite3.Row


def is_postgres_url(url: str) -> bool:
    """postgresql://… or postgres://… (the two schemes libpq accepts)."""
    scheme, sep, _ = url.partition("://")
    return bool(sep) and scheme.lower() in ("postgresql", "postgres")


def skip_locked(db: Database | Snapshot) -> str:
    """The clause a claim's row-picking SELECT ends with: on PostgreSQL, rows another worker
    is claiming right now are passed over, not waited for; SQLite's claims are serial."""
    return " FOR UPDATE SKIP LOCKED" if db.dialect == "postgres" else ""


class Snapshot(ABC):
    """Reads inside one `Database.snapshot()` block: all see the database as of one moment."""

    dialect: Dialect

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """First row of a query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """All rows of a query."""


class Transaction(Snapshot):
    """Statements run inside one `Database.transaction()` block."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        """Run one statement for each parameter row; return the rows changed."""


class Database(ABC):
    """A store engine: single writes and reads, transactions, snapshots, reclaiming space."""

    clock: Clock
    dialect: Dialect

    @classmethod
    async def open(cls, target: str | Path, *, clock: Clock) -> Database:
        """Open the store `target` names and bring its schema up to date: a SQLite path, or a
        postgresql:// URL (see bot/settings.py, DATABASE_URL)."""
        # Imported here: each engine module imports this one.
        if isinstance(target, str) and is_postgres_url(target):
            from store.postgres import PostgresDatabase

            return await PostgresDatabase.connect(target, clock=clock)
        from store.db import SqliteDatabase

        return await SqliteDatabase.open_file(Path(target), clock=clock)

    @property
    @abstractmethod
    def closed(self) -> bool:
        """True once close() has run."""

    @abstractmethod
    async def close(self) -> None:
        """Release the engine's connections; safe to call twice."""

    @abstractmethod
    async def checkpoint(self) -> bool:
        """Reclaim what deletes left on disk; False if that must be tried again later."""

    @abstractmethod
    def transaction(
        self, *, isolation: Isolation = "serializable", lock: str | None = None
    ) -> AbstractAsyncContextManager[Transaction]:
        """BEGIN ... COMMIT, or ROLLBACK if the block raises.

        `lock`: transactions with the same key never overlap (a read-then-write about one
        user, say "send:<id>"); see Isolation above.
        """

    async def attempts(self) -> AsyncIterator[AbstractContextManager[None]]:
        """Tries of one transaction block that reads then writes:

            async for attempt in db.attempts():
                with attempt:
                    async with db.transaction() as tx:
                        ...

        One try here: SQLite runs transactions one at a time, so none is ever refused.
        PostgreSQL refuses a SERIALIZABLE transaction that overlapped another in a way no
        serial order explains (or a deadlock); it then tries the whole block again
        (store/postgres.py). The block must do nothing but its statements, so that running
        it again is safe.
        """
        yield nullcontext()

    @abstractmethod
    def snapshot(self) -> AbstractAsyncContextManager[Snapshot]:
        """Reads that all see one committed state, without holding up writers."""

    async def fetch_all_aside(self, sql: str, params: Params = ()) -> list[Row]:
        """All rows of one read over much of the store (a chart's counts), without holding
        up writers: a snapshot() of one statement, in one trip. As fetch_all() here: on
        PostgreSQL one statement sees one moment and readers never hold up writers."""
        return await self.fetch_all(sql, params)

    @abstractmethod
    async def write(self, sql: str, params: Params = ()) -> list[Row]:
        """One statement as its own transaction; returns its RETURNING rows, if any."""

    async def write_first(self, sql: str, params: Params = ()) -> list[Row]:
        """write(), ahead of whatever else waits for the store in this process (what someone
        outside is waiting on: the webhook's 200). As write() where nothing waits in line."""
        return await self.write(sql, params)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """First row of a read outside any transaction, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """All rows of a read outside any transaction."""
