"""/stats at scale: its reads before and after migration 14, against a plain COUNT(*), and
the worst delay a volunteer's reply sees while /stats counts.

For each size a migrated database is filled in bulk: every user linked, 90% with a cached
status summary (10 cached records each, 2 of them failed with a reason code), 2 accepted sends
each spread over the last 90 days, 1% blocked. Timed, median of --samples runs each:

- baseline: `SELECT COUNT(*) FROM users` through the bot's connection;
- after: StatsRepository.counts(), everything /stats reads (the 60 s cache is bypassed), in
  one snapshot on the read-only connection, over migration 14's indexes;
- before: the queries /stats ran until then (bench/stats_legacy.py), through the writer's
  connection and lock, with migration 14's indexes dropped.

While one /stats count runs, a "volunteer" writes (UPDATE users) and reads (SELECT from links)
through the writer's connection back to back, as replies do; printed is the worst and the
median delay of those steps, and the same with nothing else running. Counts only; nothing
is drawn.

    python -m bench.stats [--users 10000 100000] [--samples 5] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.stats_legacy import LegacyStatsRepository
from core.clock import FakeClock
from store.db import Database
from store.stats import StatsRepository, Windows
from store.timestamps import to_text

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
RECORDS = 10
REASONS = ("identity_mismatch", "consent_1365_missing", "portal_error", "duplicate")
ADMINS = (9001,)
# Migration 14's indexes, dropped for the "before" runs.
INDEXES = ("status_cache_counts", "status_cache_by_link", "status_records_failed", "sends_by_time")
WINDOWS = Windows(
    since_7=NOW - timedelta(days=7),
    since_30=NOW - timedelta(days=30),
    weeks_start=NOW - timedelta(weeks=12),
    weeks=12,
)


def summary(n: int) -> str:
    agreed = n % 3 != 0
    return json.dumps(
        {
            "member": {
                "id_1365_masked": "kin****",
                "consent_1365": {"agreed": agreed, "agreed_on": "2019-09-11" if agreed else None},
                "consent_vms": {"agreed": True, "agreed_on": "2020-03-19"},
                "account_1365": "active",
            },
            "unsent": {"count": n % 5, "minutes": 60},
            "pending": {"count": 0, "minutes": 0},
            "succeeded": {"count": 6, "minutes": 360},
            "failed": {"count": 2, "minutes": 120},
            "top_reason": REASONS[n % 4],
            "top_reason_message": "",
            "resendable_failed": 2,
            "visible_from": None,
            "last_sent_at": None,
        }
    )


def fill(path: Path, users: int) -> None:
    conn = sqlite3.connect(path)
    now = to_text(NOW)
    with conn:
        conn.executemany(
            "INSERT INTO users (telegram_id, language, first_seen, last_seen, blocked_at)"
            " VALUES (?, 'ko', ?, ?, ?)",
            ((n, now, now, now if n % 100 == 0 else None) for n in range(1, users + 1)),
        )
        conn.executemany(
            "INSERT INTO links (telegram_id, link_id, vms_id, linked_at) VALUES (?, ?, ?, ?)",
            ((n, f"lnk{n}", f"vms{n}", now) for n in range(1, users + 1)),
        )
        cached = [n for n in range(1, users + 1) if n % 10 != 0]
        conn.executemany(
            "INSERT INTO status_cache (telegram_id, link_id, summary, fetched_at, tried_at)"
            " VALUES (?, ?, ?, ?, ?)",
            ((n, f"lnk{n}", summary(n), now, now) for n in cached),
        )
        conn.executemany(
            "INSERT INTO status_records (telegram_id, position, ref, record_id, activity_date,"
            " host, activity, minutes, kind, status, sent_at, reason_code)"
            " VALUES (?, ?, ?, ?, '2026-02-01', 'h', 'a', 60, 'k', ?, ?, ?)",
            (
                (n, p, f"r{n}-{p}", f"rec{n}-{p}", "failed" if p < 2 else "succeeded",
                 to_text(NOW - timedelta(days=(n + p) % 84)),
                 REASONS[(n + p) % 4] if p < 2 else None)
                for n in cached for p in range(RECORDS)
            ),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO sends (telegram_id, idempotency_key, link_id, state, claimed_at,"
            " transmission_id, accepted_at, succeeded) VALUES (?, ?, ?, 'done', ?, ?, ?, 3)",
            (
                (n, f"k{n}-{s}", f"lnk{n}", t, f"trn{n}-{s}", t)
                for n in range(1, users + 1) for s in range(2)
                for t in [to_text(NOW - timedelta(hours=(n * 7 + s * 500) % (90 * 24)))]
            ),
        )  # fmt: skip
        conn.execute("ANALYZE")
    conn.close()


async def median_ms(run: Callable[[], Awaitable[object]], samples: int) -> float:
    await run()  # warm the page cache
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        await run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


async def volunteer_delays(db: Database, busy: Callable[[], Awaitable[object]]) -> list[float]:
    """Delays (ms) of a volunteer's reads and writes, one after another, while `busy` runs."""
    task = asyncio.create_task(busy())
    delays = []
    n = 0
    while not task.done() or n < 20:
        n += 1
        user = 1 + n % 1000
        start = time.perf_counter()
        if n % 2:
            await db.write(
                "UPDATE users SET last_seen = ? WHERE telegram_id = ?", (to_text(NOW), user)
            )
        else:
            await db.fetch_one("SELECT link_id FROM links WHERE telegram_id = ?", (user,))
        delays.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0)  # the event loop's turn, as between two updates
    await task
    return delays


async def idle() -> None:
    await asyncio.sleep(0)


def worst(delays: list[float]) -> str:
    return f"worst {max(delays):8.2f} ms, median {statistics.median(delays):6.2f} ms"


async def measure(users: int, samples: int, profile: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        clock = FakeClock(NOW)
        await (await Database.open(path, clock=clock)).close()
        fill(path, users)
        db = await Database.open(path, clock=clock)
        try:
            await run_all(db, users, samples, profile)
        finally:
            await db.close()


async def run_all(db: Database, users: int, samples: int, profile: bool) -> None:
    new, old = StatsRepository(db), LegacyStatsRepository(db)

    async def after() -> None:
        await new.counts(ADMINS, WINDOWS)

    async def before() -> None:
        await old.volunteers(ADMINS)
        await old.cache_counts(ADMINS)
        await old.sends(ADMINS, WINDOWS.since_7, WINDOWS.since_30)
        await old.failure_reasons(ADMINS, 3)
        await old.weekly_sends(ADMINS, WINDOWS.weeks_start, WINDOWS.weeks)
        await old.weekly_failures(ADMINS, WINDOWS.weeks_start, WINDOWS.weeks)

    async def baseline() -> None:
        await db.fetch_one("SELECT COUNT(*) FROM users")

    counts = await new.counts(ADMINS, WINDOWS)
    base = await median_ms(baseline, samples)
    fast = await median_ms(after, samples)
    quiet = await volunteer_delays(db, idle)
    during_after = await volunteer_delays(db, after)
    if profile:
        from pyinstrument import Profiler

        with Profiler(async_mode="enabled") as profiler:
            await after()
        print(profiler.output_text(unicode=True, color=False))
    for name in INDEXES:
        await db.write(f"DROP INDEX {name}")
    slow = await median_ms(before, samples)
    during_before = await volunteer_delays(db, before)
    print(
        f"{users:>7,} users (active {counts.volunteers.active:,}, sends 30 d "
        f"{counts.sends.last_30_days:,}): COUNT(*) {base:7.2f} ms\n"
        f"    /stats reads before {slow:8.2f} ms = {slow / base:7.1f}x the baseline\n"
        f"    /stats reads after  {fast:8.2f} ms = {fast / base:7.1f}x the baseline "
        f"({slow / fast:.1f}x faster)\n"
        f"    a volunteer's step, nothing else running: {worst(quiet)}\n"
        f"    ... while /stats counts, before: {worst(during_before)}\n"
        f"    ... while /stats counts, after:  {worst(during_after)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="10,000 users, 3 samples")
    parser.add_argument("--profile", action="store_true", help="pyinstrument one 'after' run")
    args = parser.parse_args()
    if args.quick:
        args.users, args.samples = [10_000], 3
    for users in args.users:
        asyncio.run(measure(users, args.samples, args.profile))


if __name__ == "__main__":
    main()
