"""The SQLite engine: one connection the bot process shares, with serialised transactions.

`Database`, `Transaction` and `Snapshot` are the engine interface (store/engine.py), kept
importable from here because every repository imports them from here.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aiosqlite

from core.clock import Clock
from store.engine import Database, Dialect, Isolation, Params, Snapshot, Transaction
from store.migrations import migrate

__all__ = ["BUSY_TIMEOUT_MS", "Database", "Params", "Snapshot", "SqliteDatabase", "Transaction"]

# Applied on every open. WAL lets outside readers (backups, sqlite3 CLI) work while the bot
# writes; NORMAL is durable enough under WAL and much faster than FULL. secure_delete zeroes
# deleted rows in place instead of leaving them in free space, so /forget really forgets (set
# explicitly: the default depends on how SQLite was compiled).
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    "PRAGMA synchronous=NORMAL",
)
# How long a statement waits for another process briefly holding the write lock (milliseconds).
BUSY_TIMEOUT_MS = 5000
# How long checkpoint() waits for readers instead. A reader (a backup, the sqlite3 CLI) can
# hold the WAL for minutes, and the checkpoint runs under the lock every reply needs: waiting
# the full BUSY_TIMEOUT_MS held /forget's answer and every other user for 5 s, to fail anyway.
# Whatever a reader keeps is truncated later by due work (store/wal.py).
CHECKPOINT_BUSY_TIMEOUT_MS = 100


class SqliteSnapshot(Snapshot):
    """Reads inside one `Database.snapshot()` block: all see the database as of one moment."""

    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._open = True

    def _check(self) -> aiosqlite.Connection:
        if not self._open:
            raise RuntimeError("this transaction has already ended")
        return self._conn

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query."""
        return list(await self._check().execute_fetchall(sql, params))


class SqliteTransaction(SqliteSnapshot, Transaction):
    """Statements run inside one `Database.transaction()` block."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        async with self._check().execute(sql, params) as cursor:
            return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Params]) -> int:
        """Run one statement for each parameter row; return the rows changed."""
        async with self._check().executemany(sql, rows) as cursor:
            return cursor.rowcount


class _Turns:
    """Turns at the connection, in two lines: whoever waits in the first line is let in
    before anyone in the second, each line in its own order. A turn is *exclusive* (a
    transaction: nobody else on the connection meanwhile) or *shared* (one statement: any
    number of shared turns run together, since each statement is atomic on its own and
    aiosqlite's thread runs them in the order they were queued). Turns pass straight to the
    next waiters on release, so no one arriving meanwhile slips in between, and a shared
    turn waits behind an exclusive one already waiting (writers are not starved)."""

    def __init__(self) -> None:
        self._exclusive = False
        self._shared = 0
        self._first: deque[tuple[asyncio.Future[None], bool]] = deque()
        self._second: deque[tuple[asyncio.Future[None], bool]] = deque()

    def _free_for(self, exclusive: bool) -> bool:
        return not self._exclusive and (not exclusive or self._shared == 0)

    def _take(self, exclusive: bool) -> None:
        if exclusive:
            self._exclusive = True
        else:
            self._shared += 1

    async def acquire(self, first: bool = False, *, exclusive: bool = True) -> None:
        if not self._first and not self._second and self._free_for(exclusive):
            self._take(exclusive)
            return
        line = self._first if first else self._second
        turn = asyncio.get_running_loop().create_future()
        entry = (turn, exclusive)
        line.append(entry)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.cancelled():
                with suppress(ValueError):  # a release may have passed over it already
                    line.remove(entry)
                self._pass_on()  # an exclusive turn waiting at the head may have held others
            else:
                self.release(exclusive=exclusive)  # handed over as we were cancelled: pass it on
            raise

    def release(self, *, exclusive: bool = True) -> None:
        if exclusive:
            self._exclusive = False
        else:
            self._shared -= 1
        self._pass_on()

    def _pass_on(self) -> None:
        """Lets in the waiters at the head of the lines while their turn is free."""
        for line in (self._first, self._second):
            while line:
                turn, exclusive = line[0]
                if turn.done():  # cancelled while waiting
                    line.popleft()
                    continue
                if not self._free_for(exclusive):
                    return
                line.popleft()
                self._take(exclusive)
                turn.set_result(None)


class SqliteDatabase(Database):
    """One long-lived aiosqlite connection; every use of it takes its turn (`_Turns`: two
    lines, the first of which `write_first` uses to go ahead of the waiting others).

    SQLite transaction state belongs to the connection, not to the task. A transaction
    therefore has the connection to itself: otherwise a read from task B could run inside
    task A's open transaction (seeing writes that may yet be rolled back) and a second BEGIN
    would fail with "cannot start a transaction within a transaction". A single statement
    outside a transaction (fetch_all, write) is atomic on its own, so any number of those
    share a turn: they go onto aiosqlite's queue together and its thread runs them one after
    another without sleeping and being woken between each (a trip alone costs ~0.1 ms of CPU,
    mostly that; bench/miniapp_api.py's 20 staff clicking at once make many such reads).

    The exception is a read over the whole user base (/stats): `snapshot()` runs it on a second,
    read-only connection, so it never holds the lock every volunteer's reply needs.
    """

    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, clock: Clock, path: Path | None = None) -> None:
        self._conn: aiosqlite.Connection | None = conn
        self._lock = _Turns()
        # The task holding the lock, so re-entry fails loudly instead of deadlocking.
        self._holder: asyncio.Task[Any] | None = None
        self.clock = clock
        # The file, for the read-only connection; None (a connection made by hand in a test)
        # makes snapshot() read through the main connection instead.
        self._read_uri = None if path is None else f"{path.resolve().as_uri()}?mode=ro"
        self._reader: aiosqlite.Connection | None = None
        self._read_lock = asyncio.Lock()

    @classmethod
    async def open_file(cls, path: Path, *, clock: Clock) -> SqliteDatabase:
        """Open (creating if needed) the database file and bring its schema up to date."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: the sqlite3 module must not open transactions behind our back.
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            for pragma in _PRAGMAS:
                await conn.execute_fetchall(pragma)
            await conn.execute_fetchall(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
            db = cls(conn, clock, path)
            await migrate(db)
        except BaseException:
            await conn.close()
            raise
        return db

    @property
    def closed(self) -> bool:
        """True once close() has run."""
        return self._conn is None

    async def close(self) -> None:
        """Checkpoint the WAL into the main file and close; safe to call twice."""
        # The reader first: its connection would keep the -wal and -shm files in use.
        async with self._read_lock:
            reader, self._reader = self._reader, None
            if reader is not None:
                await reader.close()
        async with self._locked() as conn:
            if conn is None:
                return
            try:
                # Folding the WAL back in leaves a single self-contained file for backups.
                await conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                self._conn = None
                await conn.close()

    async def checkpoint(self) -> bool:
        """Folds the WAL into the main file and truncates it to zero bytes; False if a reader
        (a backup, the sqlite3 CLI) kept part of it for now.

        Run after erasing someone: the WAL still holds copies of the pages as they were
        before the delete until it is checkpointed and truncated. Waits for readers only
        CHECKPOINT_BUSY_TIMEOUT_MS, so a long reader never holds everyone's lock for long.
        """
        async with self._locked() as conn:
            if conn is None:
                raise RuntimeError("database is closed")
            # The timeout is the connection's, so it is set and restored under the lock.
            await conn.execute_fetchall(f"PRAGMA busy_timeout={int(CHECKPOINT_BUSY_TIMEOUT_MS)}")
            try:
                rows = list(await conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))
            finally:
                await conn.execute_fetchall(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        return bool(rows) and rows[0][0] == 0

    @asynccontextmanager
    async def transaction(
        self, *, isolation: Isolation = "serializable", lock: str | None = None
    ) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK if the block raises.

        `isolation` and `lock` are met already: under the lock transactions run one at a time.
        """
        async with self._locked() as conn:
            if conn is None:
                raise RuntimeError("database is closed")
            tx = SqliteTransaction(conn)
            try:
                # IMMEDIATE takes the write lock up front, so a transaction that reads then
                # writes cannot fail half-way because another process wrote in between. BEGIN
                # sits inside the try: if we are cancelled while it waits, it still runs on
                # aiosqlite's queue and the ROLLBACK queued after it undoes it.
                await conn.execute_fetchall("BEGIN IMMEDIATE")
                yield tx
                await conn.execute_fetchall("COMMIT")
            except BaseException:
                # sqlite3's rollback() is a no-op if SQLite already ended the transaction itself,
                # so the original error is what surfaces.
                await conn.rollback()
                raise
            finally:
                tx._open = False

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Snapshot]:
        """Reads that all see one committed state, without holding the writers' lock.

        They run on a second connection, opened read-only on first use and closed with the
        database. Under WAL a reader and the writer do not wait for each other: volunteers'
        replies go on while a long count runs, and the count sees none of their writes. The
        read transaction ends with the block, so it never keeps a checkpoint from emptying
        the WAL for longer than the reads take (ForgetService relies on that checkpoint).
        """
        if self._read_uri is None:
            async with self._locked() as conn:
                if conn is None:
                    raise RuntimeError("database is closed")
                async with self._read(conn) as snap:
                    yield snap
            return
        async with self._read_lock:
            if self._conn is None:
                raise RuntimeError("database is closed")
            if self._reader is None:
                self._reader = await _connect_read_only(self._read_uri)
            async with self._read(self._reader) as snap:
                yield snap

    async def fetch_all_aside(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """One statement on the read-only connection, as snapshot() runs it but in one trip
        instead of three: a single SELECT is its own read transaction, so it sees one moment
        and ends with the statement (no BEGIN, no ROLLBACK)."""
        if self._read_uri is None:
            return await self.fetch_all(sql, params)
        async with self._read_lock:
            if self._conn is None:
                raise RuntimeError("database is closed")
            if self._reader is None:
                self._reader = await _connect_read_only(self._read_uri)
            return list(await self._reader.execute_fetchall(sql, params))

    @staticmethod
    @asynccontextmanager
    async def _read(conn: aiosqlite.Connection) -> AsyncIterator[Snapshot]:
        snap = SqliteSnapshot(conn)
        try:
            # A deferred BEGIN: the snapshot is taken at the first SELECT and kept to the end.
            await conn.execute_fetchall("BEGIN")
            yield snap
        finally:
            snap._open = False
            # Nothing to keep from a read; rollback() is a no-op if BEGIN never ran.
            await conn.rollback()

    async def write(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """One statement as its own transaction; returns its RETURNING rows, if any.

        SQLite makes a single statement atomic, so this needs no BEGIN/COMMIT: one trip to
        aiosqlite's thread instead of four, which matters when every update writes once
        (measured in bench/throughput.py).
        """
        async with self._locked(exclusive=False) as conn:
            if conn is None:
                raise RuntimeError("database is closed")
            return list(await conn.execute_fetchall(sql, params))

    async def write_first(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """write(), let in before every other use of the connection waiting then: the
        webhook's inserts, whose 200 Telegram waits for, do not queue behind the workers'
        reads and writes (bench/webhook_ack.py)."""
        async with self._locked(first=True, exclusive=False) as conn:
            if conn is None:
                raise RuntimeError("database is closed")
            return list(await conn.execute_fetchall(sql, params))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a read outside any transaction."""
        async with self._locked(exclusive=False) as conn:
            if conn is None:
                raise RuntimeError("database is closed")
            return list(await conn.execute_fetchall(sql, params))

    @asynccontextmanager
    async def _locked(
        self, *, first: bool = False, exclusive: bool = True
    ) -> AsyncIterator[aiosqlite.Connection | None]:
        task = asyncio.current_task()
        if task is not None and task is self._holder:
            raise RuntimeError(
                "Database used again from inside one of its own transactions; "
                "use the Transaction object instead (the lock is not re-entrant)"
            )
        await self._lock.acquire(first, exclusive=exclusive)
        try:
            if not exclusive:
                yield self._conn
                return
            self._holder = task
            try:
                yield self._conn
            finally:
                self._holder = None
        finally:
            self._lock.release(exclusive=exclusive)


async def _connect_read_only(uri: str) -> aiosqlite.Connection:
    """A connection that cannot write (mode=ro), to the same file; WAL mode is the file's."""
    conn = await aiosqlite.connect(uri, uri=True, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        await conn.execute_fetchall(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    except BaseException:
        await conn.close()
        raise
    return conn
