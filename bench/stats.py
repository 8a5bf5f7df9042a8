"""/stats at scale: the time of every query /stats makes, against a plain COUNT(*) over users.

For each size a migrated database is filled in bulk: every user linked, 90% with a cached
status summary (10 cached records each, 2 of them failed with a reason code), 2 accepted sends
each spread over the last 90 days, 1% blocked. Then the real StatsService runs what /stats
runs (overview() and weekly(), through the bot's one aiosqlite connection), and the baseline
runs `SELECT COUNT(*) FROM users` through the same connection. Printed: the median of each,
their ratio, and the same without migration 11's indexes (dropped afterwards), to show what
they buy. Counts only are computed; nothing is drawn.

    python -m bench.stats [--users 10000 100000] [--samples 15]
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
from zoneinfo import ZoneInfo

from bot.services.staff import StaffService
from bot.services.stats import StatsService
from core.clock import FakeClock
from store.db import Database
from store.staff import AuditLog, StaffRepository
from store.stats import StatsRepository
from store.timestamps import to_text

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
RECORDS = 10
REASONS = ("identity_mismatch", "consent_1365_missing", "portal_error", "duplicate")
INDEXES = ("sends_by_time", "status_records_by_outcome")


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


async def measure(users: int, samples: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        clock = FakeClock(NOW)
        db = await Database.open(path, clock=clock)
        await db.close()
        fill(path, users)
        db = await Database.open(path, clock=clock)
        staff = StaffService(StaffRepository(db), AuditLog(db), (9001,))
        stats = StatsService(StatsRepository(db), staff, clock, ZoneInfo("Asia/Seoul"))

        async def stats_run() -> None:
            await stats.overview()
            await stats.weekly()

        async def baseline() -> None:
            await db.fetch_one("SELECT COUNT(*) FROM users")

        overview = await stats.overview()
        base = await median_ms(baseline, samples)
        indexed = await median_ms(stats_run, samples)
        for name in INDEXES:
            await db.write(f"DROP INDEX {name}")
        bare = await median_ms(stats_run, samples)
        await db.close()
    print(
        f"{users:>7,} users: COUNT(*) {base:7.2f} ms | /stats queries {indexed:8.2f} ms "
        f"= {indexed / base:6.1f}x the baseline | without migration 11's indexes "
        f"{bare:8.2f} ms ({bare / indexed:.2f}x) | active {overview.volunteers.active:,}, "
        f"sends 30 d {overview.sends.last_30_days:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    for users in args.users:
        asyncio.run(measure(users, args.samples))


if __name__ == "__main__":
    main()
