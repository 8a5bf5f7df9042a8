"""The /status cache at scale: status query and list page latency, due-work scan, database
size, peak RSS.

For each size (users, 50 cached records each) a child process builds a migrated database,
fills it in bulk, then times the real repository calls /status makes on a cached view
(the user's link + the cached summary, both primary-key reads) and one page of the record
list, for random users. It then adds one due-work item per user (sends waiting for their
result or their visibility on 1365) of which only DUE_NOW are due, 1% given up, the rest due
over the next week, and times `DueWorkRepository.claim_due` as the poller calls it (batch 5);
the lease is zero so the same few items stay claimable for every sample. The scan should
touch only the due rows through the partial index `due_work_ready` (its plan is printed).
Prints p50/p95, the file size (and the due work's share), the child's peak RSS, and the
ratios between the largest and the smallest size (logarithmic growth would be ~1.2x for 10x
rows).

    python -m bench.status_store [--users 10000 100000] [--samples 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.clock import FakeClock
from store.db import Database
from store.due_work import DueWorkRepository
from store.links import LinkRepository
from store.migrations import migrate
from store.status_cache import StatusCacheRepository
from store.timestamps import to_text

RECORDS_PER_USER = 50
DUE_NOW = 12  # due items runnable at the scan: a few sends whose result is being polled
BATCH = 5  # the poller's claim batch (bot/background/poller.py)
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
STATUSES = ("unsent", "unsent", "pending", "succeeded", "succeeded", "failed")
SUMMARY = json.dumps(
    {
        "member": {
            "id_1365_masked": "kindly****",
            "consent_1365": {"agreed": True, "agreed_on": "2019-09-11"},
            "consent_vms": {"agreed": True, "agreed_on": "2020-03-19"},
            "account_1365": "active",
        },
        "unsent": {"count": 17, "minutes": 2040},
        "pending": {"count": 8, "minutes": 960},
        "succeeded": {"count": 17, "minutes": 2040},
        "failed": {"count": 8, "minutes": 960},
        "top_reason": "portal_error",
        "top_reason_message": "잠시 후 재전송해 주세요.",
        "resendable_failed": 8,
        "visible_from": None,
        "last_sent_at": None,
    },
    ensure_ascii=False,
)


def fill(path: Path, users: int) -> None:
    """Bulk rows in one plain sqlite3 transaction (the bench measures reads, not this)."""
    now = to_text(datetime(2026, 3, 2, 9, tzinfo=UTC))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO users (telegram_id, language, first_seen, last_seen) VALUES (?, 'ko', ?, ?)",
        ((1000 + u, now, now) for u in range(users)),
    )
    conn.executemany(
        "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
        " VALUES (?, ?, ?, 'kindly****', ?)",
        ((1000 + u, f"lnk_{u:012d}", f"member{u}", now) for u in range(users)),
    )
    conn.executemany(
        "INSERT INTO status_cache (telegram_id, link_id, summary, fetched_at, tried_at)"
        " VALUES (?, ?, ?, ?, ?)",
        ((1000 + u, f"lnk_{u:012d}", SUMMARY, now, now) for u in range(users)),
    )
    host = "행복노인복지관"
    activity = "급식 배식 보조와 어르신 말벗"
    conn.executemany(
        "INSERT INTO status_records (telegram_id, position, ref, record_id, activity_date, host,"
        " activity, minutes, kind, status, sent_at, reason_code, reason_message,"
        " visible_on_1365_at) VALUES (?, ?, ?, ?, '2025-09-11', ?, ?, 120, '개인봉사', ?, NULL,"
        " NULL, NULL, NULL)",
        (
            (1000 + u, n, f"{u:08x}{n:08x}", f"rec_{u}_{n}", host, activity, STATUSES[n % 6])
            for u in range(users)
            for n in range(RECORDS_PER_USER)
        ),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def fill_due_work(path: Path, items: int) -> None:
    """`items` due-work rows: DUE_NOW due before NOW, 1% given up, the rest due later."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")

    def rows() -> Iterator[tuple[str, str, str, str, str, str | None]]:
        for n in range(items):
            if n < DUE_NOW:
                due, given_up = NOW - timedelta(minutes=n + 1), None
            elif n % 100 == 0:
                due, given_up = NOW - timedelta(days=2), to_text(NOW - timedelta(days=1))
            else:  # spread over the coming week, as result polls and visibility checks are
                due, given_up = NOW + timedelta(seconds=1 + (n * 7919) % (7 * 86400)), None
            kind = "send.visible" if n % 2 else "send.result"
            yield (kind, str(n), f'{{"send_id": {n}}}', to_text(due), to_text(due), given_up)

    conn.executemany(
        "INSERT INTO due_work (kind, key, payload, due_at, next_try_at, given_up_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows(),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def scan_plan(path: Path) -> str:
    """SQLite's plan for claim_due's inner SELECT (the same WHERE and ORDER BY)."""
    conn = sqlite3.connect(path)
    stamp = to_text(NOW)
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM due_work WHERE given_up_at IS NULL"
        " AND next_try_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)"
        " ORDER BY next_try_at, id LIMIT ?",
        (stamp, stamp, BATCH),
    ).fetchall()
    conn.close()
    return "; ".join(row[-1] for row in plan)


async def measure_due(path: Path, samples: int) -> dict[str, float]:
    db = await Database.open(path, clock=FakeClock(NOW))
    work = DueWorkRepository(db)
    scan: list[float] = []
    try:
        for _ in range(samples):
            started = time.perf_counter()
            claimed = await work.claim_due(NOW, BATCH, timedelta(0))
            scan.append(time.perf_counter() - started)
            assert len(claimed) == BATCH, "the due items must stay claimable"
    finally:
        await db.close()
    d50, d95 = quantiles(scan)
    return {"due_p50": d50, "due_p95": d95}


def quantiles(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=100)
    return q[49] * 1000, q[94] * 1000


async def measure(path: Path, users: int, samples: int) -> dict[str, float]:
    db = await Database.open(path, clock=FakeClock())
    links, cache = LinkRepository(db), StatusCacheRepository(db)
    rng = random.Random(users)
    status: list[float] = []
    page: list[float] = []
    try:
        for _ in range(samples):
            uid = 1000 + rng.randrange(users)
            started = time.perf_counter()
            await links.get(uid)
            await cache.get(uid)
            status.append(time.perf_counter() - started)
            started = time.perf_counter()
            await cache.page(uid, rng.choice((None, "failed", "unsent")), 10 * rng.randrange(2), 10)
            page.append(time.perf_counter() - started)
    finally:
        await db.close()
    s50, s95 = quantiles(status)
    p50, p95 = quantiles(page)
    return {"status_p50": s50, "status_p95": s95, "page_p50": p50, "page_p95": p95}


async def _migrated(path: Path) -> None:
    db = await Database.open(path, clock=FakeClock())
    await migrate(db)
    await db.close()


def child(users: int, samples: int) -> None:
    result: dict[str, Any]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bot.sqlite3"
        asyncio.run(_migrated(path))
        fill(path, users)
        size = sum(f.stat().st_size for f in Path(folder).iterdir()) / 2**20
        result = asyncio.run(measure(path, users, samples))
        fill_due_work(path, users)
        with_due = sum(f.stat().st_size for f in Path(folder).iterdir()) / 2**20
        result.update(asyncio.run(measure_due(path, samples)))
        result["plan"] = scan_plan(path)
    result["db_mib"] = with_due
    result["due_mib"] = with_due - size
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.samples)
        return
    results: dict[int, dict[str, Any]] = {}
    for users in args.users:
        # A fresh process per size, so peak RSS belongs to that size alone.
        out = subprocess.run(
            [sys.executable, "-m", "bench.status_store", "--child", str(users),
             "--samples", str(args.samples)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        results[users] = r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{users:>8} users, {users * RECORDS_PER_USER:>9} records:"
            f" status p50 {r['status_p50']:.3f} ms p95 {r['status_p95']:.3f} ms |"
            f" list page p50 {r['page_p50']:.3f} ms p95 {r['page_p95']:.3f} ms |"
            f" db {r['db_mib']:.0f} MiB | peak RSS {r['peak_rss_mib']:.0f} MiB\n"
            f"{'':>8} {users:>6} due-work items, {DUE_NOW} due:"
            f" claim_due p50 {r['due_p50']:.3f} ms p95 {r['due_p95']:.3f} ms |"
            f" due work {r['due_mib']:.1f} MiB of the db | plan: {r['plan']}",
            flush=True,
        )
    small, large = results[min(results)], results[max(results)]
    if small is not large:
        print(
            f"ratios largest/smallest: status p95 {large['status_p95'] / small['status_p95']:.2f},"
            f" list page p95 {large['page_p95'] / small['page_p95']:.2f},"
            f" claim_due p95 {large['due_p95'] / small['due_p95']:.2f},"
            f" db size {large['db_mib'] / small['db_mib']:.1f},"
            f" peak RSS {large['peak_rss_mib'] / small['peak_rss_mib']:.2f}"
        )


if __name__ == "__main__":
    main()
