"""Abuse counters: a per-installation secret made once, keyed hashes, a day's keeping."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import aiosqlite

from core.clock import FakeClock
from store import keyed
from store.db import Database, SqliteDatabase
from store.migrations import MIGRATIONS, migrate
from store.rate_limits import KEEP, Limit, RateLimits
from store.users import UserRepository
from tests.store.helpers import other_process

TELEGRAM_ID = 7_402_815_963


def secrets_in(path: Path) -> list[bytes]:
    with other_process(path) as conn:
        return [bytes(r[0]) for r in conn.execute("SELECT value FROM installation")]


async def stored_secrets(db: Database) -> list[bytes]:
    return [bytes(r[0]) for r in await db.fetch_all("SELECT value FROM installation")]


async def test_the_secret_is_made_once_and_kept_across_restarts(
    store_target: str | Path, clock: FakeClock
) -> None:
    db = await Database.open(store_target, clock=clock)
    try:
        first = await RateLimits(db).account(TELEGRAM_ID)
        made = await stored_secrets(db)
    finally:
        await db.close()
    db = await Database.open(store_target, clock=clock)
    try:
        again = await RateLimits(db).account(TELEGRAM_ID)
        kept = await stored_secrets(db)
    finally:
        await db.close()
    assert kept == made and len(made[0]) == keyed.SECRET_BYTES
    assert again == first
    # Keyed: not the id, not containing it, and not what another installation would compute.
    assert first != str(TELEGRAM_ID).encode()
    assert TELEGRAM_ID.to_bytes(6, "big") not in first and str(TELEGRAM_ID).encode() not in first
    assert first != keyed.account_key(keyed.new_secret(), TELEGRAM_ID)


async def test_counters_outlive_the_user_and_are_kept_one_day(
    db: Database, clock: FakeClock
) -> None:
    users, limits = UserRepository(db), RateLimits(db)
    await users.touch(TELEGRAM_ID, "ko")
    me = await limits.account(TELEGRAM_ID)
    hourly = Limit("link.request", me, 1, timedelta(hours=1))
    assert await limits.take([hourly], [("link.request", me)]) != []
    await users.delete(TELEGRAM_ID)
    refused = await limits.take([hourly], [("link.request", me)])
    assert not isinstance(refused, list) and refused.free_at == clock.now() + timedelta(hours=1)
    clock.advance(KEEP + timedelta(seconds=1))
    await limits.record([("help.request", me)])  # any write drops what is older than a day
    rows = await db.fetch_all("SELECT kind FROM rate_events")
    assert [r["kind"] for r in rows] == ["help.request"]


async def test_the_migration_carries_link_attempts_over_under_their_hash(
    db_path: Path, clock: FakeClock
) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(db_path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    db = SqliteDatabase(conn, clock, db_path)
    try:
        ours = next(i for i, m in enumerate(MIGRATIONS) if m.name.startswith("abuse counters"))
        await migrate(db, MIGRATIONS[:ours])
        await UserRepository(db).touch(TELEGRAM_ID, "ko")
        for kind in ("request", "request", "wrong_code"):
            await db.write(
                "INSERT INTO link_attempts (telegram_id, kind, at) VALUES (?, ?, ?)",
                (TELEGRAM_ID, kind, "2026-01-01T00:00:00.000000+00:00"),
            )
        assert await migrate(db) == [m.version for m in MIGRATIONS[ours:]]
        me = keyed.account_key(secrets_in(db_path)[0], TELEGRAM_ID)
        rows = await db.fetch_all("SELECT subject, kind FROM rate_events ORDER BY kind")
        assert [(bytes(r["subject"]), r["kind"]) for r in rows] == [
            (me, "link.request"),
            (me, "link.request"),
            (me, "link.wrong"),
        ]
        gone = await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 'link_attempts'")
        assert gone is None
    finally:
        await db.close()


async def test_concurrent_takes_from_many_accounts_all_pass(
    store_target: str | Path, clock: FakeClock
) -> None:
    """Many volunteers asking for a code at once, as several webhook workers do: each take
    checks the bot-wide cap and records, and none fails (on PostgreSQL a plain SERIALIZABLE
    transaction failed here with SerializationError), nor passes the cap."""
    db = await Database.open(store_target, clock=clock)
    try:
        limits = RateLimits(db)
        accounts = [await limits.account(TELEGRAM_ID + n) for n in range(30)]
        cap = Limit("link.request", None, 25, timedelta(hours=1))

        async def ask(account: bytes) -> object:
            mine = Limit("link.request", account, 3, timedelta(hours=1))
            return await limits.take([cap, mine], [("link.request", account)])

        taken = await asyncio.gather(*(ask(a) for a in accounts))
    finally:
        await db.close()
    assert sum(isinstance(t, list) for t in taken) == 25
