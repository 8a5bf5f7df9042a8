"""The store at a center's scale: p95 of what a busy update does, on PostgreSQL beside SQLite.

For each engine: a migrated database (Database.open) filled in bulk — by INSERT … SELECT
over generated series inside the engine, which is faster than any row stream from Python
(COPY for the due work) — with USERS users, each linked, with a cached /status summary and
RECORDS cached records (100k × 50 = 5M by default), an open flow for every other user, and
one due-work item per user (DUE_NOW due, 1% given up, the rest over the next week). Then,
for random users, the real repository calls are timed one at a time:

- status read: the link and the cached summary (what /status shows from the cache);
- list page: one page of the user's records (10, optionally filtered by status);
- flow read / advance: FlowRepository.get, and update of the step under the flow's token;
- due claim: DueWorkRepository.claim_due as the poller calls it (batch 5, zero lease, so the
  same items stay claimable);
- touch: UserRepository.touch of a returning user (a read; last_seen waits to be flushed)
  and of a new user (an insert).

    python -m bench.store_scale [--users 100000] [--records 50] [--samples 2000]
                                [--engines sqlite postgres]

Prints the build time, the database size and p50/p95 per operation per engine, and the ratio
PostgreSQL/SQLite of each p95. PostgreSQL runs over its Unix socket on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from bench.webhook_kit import create_database, load, postgres
from core.clock import FakeClock
from store.db import Database
from store.due_work import DueWorkRepository
from store.flows import FlowRepository
from store.links import LinkRepository
from store.status_cache import StatusCacheRepository
from store.timestamps import to_text
from store.users import UserRepository

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
STAMP = to_text(NOW)
EXPIRES = to_text(NOW + timedelta(days=1))
FIRST = 1000
DUE_NOW = 12
BATCH = 5
SUMMARY = '{"unsent": {"count": 17, "minutes": 2040}, "failed": {"count": 8, "minutes": 960}}'
HOST, ACTIVITY = "행복노인복지관", "급식 배식 보조와 어르신 말벗"
STATUS_CASE = (
    "CASE {n} % 6 WHEN 0 THEN 'unsent' WHEN 1 THEN 'unsent' WHEN 2 THEN 'pending'"
    " WHEN 3 THEN 'succeeded' WHEN 4 THEN 'succeeded' ELSE 'failed' END"
)


def sqlite_fill(users: int, records: int) -> list[str]:
    """INSERT … SELECT over recursive series (u: user index, n: record position)."""
    series = "WITH RECURSIVE s(u) AS (SELECT 0 UNION ALL SELECT u + 1 FROM s WHERE u < {top})"
    each_user = series.format(top=users - 1)
    return [
        f"{each_user} INSERT INTO users (telegram_id, language, first_seen, last_seen)"
        f" SELECT {FIRST} + u, 'ko', '{STAMP}', '{STAMP}' FROM s",
        f"{each_user} INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
        f" SELECT {FIRST} + u, 'lnk_' || u, 'member' || u, 'kindly****', '{STAMP}' FROM s",
        f"{each_user} INSERT INTO status_cache (telegram_id, link_id, summary, fetched_at,"
        f" tried_at) SELECT {FIRST} + u, 'lnk_' || u, '{SUMMARY}', '{STAMP}', '{STAMP}' FROM s",
        f"{each_user}, r(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM r WHERE n < {records - 1})"
        " INSERT INTO status_records (telegram_id, position, ref, record_id, activity_date, host,"
        " activity, minutes, kind, status)"
        f" SELECT {FIRST} + u, n, u || '-' || n, 'rec_' || u || '_' || n, '2025-09-11',"
        f" '{HOST}', '{ACTIVITY}', 120, '개인봉사', {STATUS_CASE.format(n='n')}"
        " FROM s CROSS JOIN r ORDER BY u, n",
        f"{each_user} INSERT INTO flows (telegram_id, name, step, data, token, started_at,"
        f" updated_at, expires_at) SELECT {FIRST} + u, 'send', 'pick', '{{}}', 'tok' || u,"
        f" '{STAMP}', '{STAMP}', '{EXPIRES}' FROM s WHERE u % 2 = 0",
    ]


def postgres_fill(users: int, records: int) -> list[str]:
    users_series = f"generate_series(0, {users - 1}) AS u"
    return [
        "INSERT INTO users (telegram_id, language, first_seen, last_seen)"
        f" SELECT {FIRST} + u, 'ko', '{STAMP}', '{STAMP}' FROM {users_series}",
        "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
        f" SELECT {FIRST} + u, 'lnk_' || u, 'member' || u, 'kindly****', '{STAMP}'"
        f" FROM {users_series}",
        "INSERT INTO status_cache (telegram_id, link_id, summary, fetched_at, tried_at)"
        f" SELECT {FIRST} + u, 'lnk_' || u, '{SUMMARY}', '{STAMP}', '{STAMP}'"
        f" FROM {users_series}",
        "INSERT INTO status_records (telegram_id, position, ref, record_id, activity_date, host,"
        " activity, minutes, kind, status)"
        f" SELECT {FIRST} + u, n, u || '-' || n, 'rec_' || u || '_' || n, '2025-09-11',"
        f" '{HOST}', '{ACTIVITY}', 120, '개인봉사', {STATUS_CASE.format(n='n')}"
        f" FROM {users_series} CROSS JOIN generate_series(0, {records - 1}) AS n ORDER BY u, n",
        "INSERT INTO flows (telegram_id, name, step, data, token, started_at, updated_at,"
        f" expires_at) SELECT {FIRST} + u, 'send', 'pick', '{{}}', 'tok' || u, '{STAMP}',"
        f" '{STAMP}', '{EXPIRES}' FROM {users_series} WHERE u % 2 = 0",
    ]


def due_rows(items: int) -> Iterator[tuple[str, str, str, str, str, str | None, int]]:
    for n in range(items):
        if n < DUE_NOW:
            due, given_up = NOW - timedelta(minutes=n + 1), None
        elif n % 100 == 0:
            due, given_up = NOW - timedelta(days=2), to_text(NOW - timedelta(days=1))
        else:  # spread over the coming week, as result polls and visibility checks are
            due, given_up = NOW + timedelta(seconds=1 + (n * 7919) % (7 * 86400)), None
        kind = "send.visible" if n % 2 else "send.result"
        yield kind, str(n), f'{{"send_id": {n}}}', to_text(due), to_text(due), given_up, FIRST + n


DUE_COLUMNS = ["kind", "key", "payload", "due_at", "next_try_at", "given_up_at", "telegram_id"]


async def build_sqlite(path: Path, users: int, records: int) -> None:
    import sqlite3

    db = await Database.open(path, clock=FakeClock(NOW))  # migrated
    await db.close()

    def fill() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=OFF")  # every reference is made right here
        conn.execute("BEGIN")
        for sql in sqlite_fill(users, records):
            conn.execute(sql)
        conn.executemany(
            f"INSERT INTO due_work ({', '.join(DUE_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            due_rows(users),
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()

    await asyncio.to_thread(fill)


async def build_postgres(url: str, users: int, records: int) -> None:
    db = await Database.open(url, clock=FakeClock(NOW))  # migrated
    await db.close()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SET synchronous_commit = off")
        async with conn.transaction():
            for sql in postgres_fill(users, records):
                await conn.execute(sql)
            await conn.copy_records_to_table(
                "due_work", records=due_rows(users), columns=DUE_COLUMNS
            )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def folder_mib(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.iterdir()) / 2**20


async def postgres_size(url: str) -> float:
    conn = await asyncpg.connect(url)
    try:
        size: int = await conn.fetchval("SELECT pg_database_size(current_database())")
    finally:
        await conn.close()
    return size / 2**20


Op = Callable[[int], Awaitable[object]]


async def measure(target: str | Path, users: int, samples: int) -> dict[str, tuple[float, float]]:
    db = await Database.open(target, clock=FakeClock(NOW))
    links, cache = LinkRepository(db), StatusCacheRepository(db)
    flows, work, people = FlowRepository(db), DueWorkRepository(db), UserRepository(db)
    rng = random.Random(users)
    newcomer = FIRST + users

    async def status(uid: int) -> None:
        await links.get(uid)
        await cache.get(uid)

    async def page(uid: int) -> None:
        await cache.page(uid, rng.choice((None, "failed", "unsent")), 10 * rng.randrange(2), 10)

    async def flow_read(uid: int) -> None:
        await flows.get(uid - uid % 2)

    async def flow_advance(uid: int) -> None:
        held = uid - uid % 2
        moved = await flows.update(
            held, f"tok{held - FIRST}", step=rng.choice(("pick", "confirm")), data="{}",
            message_id=None, rendered=None, updated_at=NOW,
        )  # fmt: skip
        assert moved

    async def claim(uid: int) -> None:
        claimed = await work.claim_due(NOW, BATCH, timedelta(0))
        assert len(claimed) == BATCH

    async def touch_returning(uid: int) -> None:
        await people.touch(uid, None)

    async def touch_new(uid: int) -> None:
        nonlocal newcomer
        newcomer += 1
        await people.touch(newcomer, None)

    ops: dict[str, Op] = {
        "status read": status,
        "list page": page,
        "flow read": flow_read,
        "flow advance": flow_advance,
        "due claim": claim,
        "touch (returning)": touch_returning,
        "touch (new user)": touch_new,
    }
    found: dict[str, tuple[float, float]] = {}
    try:
        for name, op in ops.items():
            timings = []
            for _ in range(samples):
                uid = FIRST + rng.randrange(users)
                started = time.perf_counter()
                await op(uid)
                timings.append(time.perf_counter() - started)
            q = statistics.quantiles(timings, n=100)
            found[name] = (q[49] * 1000, q[94] * 1000)
    finally:
        await db.close()
    return found


def show(
    engine: str, build_s: float, size_mib: float, found: dict[str, tuple[float, float]]
) -> None:
    print(f"  {engine}: built in {build_s:.0f} s, {size_mib:.0f} MiB  [{load()}]")
    for name, (p50, p95) in found.items():
        print(f"    {name:<18} p50 {p50:7.3f} ms  p95 {p95:7.3f} ms")
    print(flush=True)


async def main(args: argparse.Namespace) -> None:
    total = args.users * args.records
    print(
        f"{args.users} users, {total} cached records ({args.records} each), {args.users // 2}"
        f" open flows, {args.users} due-work items; {args.samples} samples per operation"
        f"  [{load()}]\n"
    )
    results: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        if "sqlite" in args.engines:
            path = Path(folder) / "bot.sqlite3"
            started = time.perf_counter()
            await build_sqlite(path, args.users, args.records)
            built = time.perf_counter() - started
            size = await asyncio.to_thread(folder_mib, Path(folder))
            results["sqlite"] = await measure(path, args.users, args.samples)
            show("SQLite", built, size, results["sqlite"])
            path.unlink()
        if "postgres" in args.engines:
            async with postgres() as server:
                if server is None:
                    print("  no PostgreSQL server binaries: install the package `postgresql`")
                else:
                    url = await create_database(server, "scale")
                    started = time.perf_counter()
                    await build_postgres(url, args.users, args.records)
                    built = time.perf_counter() - started
                    size = await postgres_size(url)
                    results["postgres"] = await measure(url, args.users, args.samples)
                    show("PostgreSQL (Unix socket, fsync off)", built, size, results["postgres"])
    if len(results) == 2:
        print("ratio PostgreSQL/SQLite p95:")
        for name, (_, lite) in results["sqlite"].items():
            print(f"    {name:<18} {results['postgres'][name][1] / lite:5.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=50, help="cached records per user")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgres"])
    asyncio.run(main(parser.parse_args()))
