"""Counts for the center's /stats: every answer is one aggregate query, never a loop per user.

Volunteers are the people who use the bot, less the staff: the staff table and the admin ids
the caller passes (admins live in the settings, not here). The consent and record counts come
from the /status cache (store/status_cache.py), so they hold "as of each volunteer's last
status check"; a cache kept for another link than the current one is not counted.

`counts()` asks every question inside one snapshot on the read-only connection
(Database.snapshot): the answers agree with each other, and volunteers' replies, which need
the writer's lock, never wait for them. Migration 14's indexes keep each question to one pass
over a compact index (bench/stats.py measures it).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from store.db import Database, Snapshot
from store.dialect import indexed_by, json_ids, json_total, least, weeks_between
from store.engine import Dialect
from store.timestamps import to_text


def _volunteer(dialect: Dialect, col: str, param: str = "?") -> str:
    """A volunteer: not in the staff table, not an admin (`param`: a JSON array of admin ids)."""
    return (
        f"{col} NOT IN (SELECT telegram_id FROM staff)"
        f" AND {col} NOT IN ({json_ids(dialect, param)})"
    )


# The current link's cache only: links.link_id must match what the cache was fetched for.
_CURRENT_CACHE = "JOIN links l ON l.telegram_id = c.telegram_id AND l.link_id = c.link_id"


@dataclass(frozen=True)
class Volunteers:
    active: int  # started the bot and did not block it
    blocked: int


@dataclass(frozen=True)
class CacheCounts:
    """Linked volunteers and what their last status check showed."""

    linked: int
    checked: int  # linked volunteers with a status check under their current link
    consent_1365: int  # of `checked`: agreed on 1365
    consent_vms: int
    unsent: int  # records, summed over `checked`
    pending: int
    succeeded: int
    failed: int


@dataclass(frozen=True)
class SendCounts:
    """Transmissions the gateway accepted since each moment, and records they put on 1365."""

    last_7_days: int
    last_30_days: int
    records_succeeded_30_days: int


@dataclass(frozen=True)
class Windows:
    """The moments /stats counts from: sends since 7 and 30 days ago, and `weeks` weeks from
    `weeks_start` for the chart."""

    since_7: datetime
    since_30: datetime
    weeks_start: datetime
    weeks: int


@dataclass(frozen=True)
class Counts:
    volunteers: Volunteers
    cache: CacheCounts
    sends: SendCounts
    failure_reasons: list[tuple[str, int]]  # every reason code of failed records, most first
    weekly_sends: list[int]  # accepted transmissions in each week, oldest first
    weekly_failures: list[int]  # failed records by the week they were sent in


class StatsRepository:
    """Everything /stats asks, as aggregate queries over one snapshot."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def counts(self, admins: Collection[int], windows: Windows) -> Counts:
        ids = _ids(admins)
        async with self._db.snapshot() as snap:
            volunteers = await _volunteers(snap, ids)
            cache = await _cache_counts(snap, ids)
            sends, weekly_sends = await _sends(snap, ids, windows)
            reasons, weekly_failures = await _failures(snap, ids, windows)
        return Counts(volunteers, cache, sends, reasons, weekly_sends, weekly_failures)

    async def weekly(
        self, admins: Collection[int], windows: Windows
    ) -> tuple[list[int], list[int]]:
        """Only the chart's weekly sends and failures (the desk's 오늘 page, at every open):
        the two series of counts() in one statement, so one trip to the store and one moment
        seen (Database.fetch_all_aside), where a snapshot of two reads took four trips."""
        d = self._db.dialect
        rows = await self._db.fetch_all_aside(
            f"""
            SELECT 0 AS failed, {weeks_between(d, "?1", "accepted_at")} AS week, COUNT(*) AS n
            FROM sends
            WHERE accepted_at >= ?1 AND {_volunteer(d, "telegram_id", "?2")}
            GROUP BY week
            UNION ALL
            SELECT 1 AS failed, {weeks_between(d, "?1", "r.sent_at")} AS week, COUNT(*) AS n
            FROM status_cache c {_CURRENT_CACHE}
            JOIN status_records r ON r.telegram_id = c.telegram_id AND r.status = 'failed'
            WHERE r.sent_at >= ?1 AND {_volunteer(d, "c.telegram_id", "?2")}
            GROUP BY week
            """,
            (to_text(windows.weeks_start), _ids(admins)),
        )
        series = [[(r["week"], r["n"]) for r in rows if r["failed"] == flag] for flag in (0, 1)]
        return _spread(series[0], windows.weeks), _spread(series[1], windows.weeks)


async def _volunteers(snap: Snapshot, ids: str) -> Volunteers:
    row = await snap.fetch_one(
        "SELECT COALESCE(SUM(CASE WHEN blocked_at IS NULL THEN 1 ELSE 0 END), 0) AS active,"
        " COALESCE(SUM(CASE WHEN blocked_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS blocked"
        f" FROM users WHERE {_volunteer(snap.dialect, 'telegram_id')}",
        (ids,),
    )
    assert row is not None
    return Volunteers(row["active"], row["blocked"])


async def _cache_counts(snap: Snapshot, ids: str) -> CacheCounts:
    # The expressions are those of the index status_cache_counts (migration 14; on
    # PostgreSQL store/pg_baseline.py), word for word, so each engine reads them from it
    # instead of parsing each summary; SQLite's INDEXED BY makes a missing index an error
    # rather than a silent full parse. A JSON true counts 1; the sums come back as floats
    # (SQLite's TOTAL) or decimals (PostgreSQL's NUMERIC), hence the int().
    d = snap.dialect

    def total(*path: str) -> str:
        return json_total(d, "c.summary", *path)

    row = await snap.fetch_one(
        f"""
        SELECT
            (SELECT COUNT(*) FROM links WHERE {_volunteer(d, "telegram_id")}) AS linked,
            COUNT(*) AS checked,
            {total("member", "consent_1365", "agreed")} AS consent_1365,
            {total("member", "consent_vms", "agreed")} AS consent_vms,
            {total("unsent", "count")} AS unsent,
            {total("pending", "count")} AS pending,
            {total("succeeded", "count")} AS succeeded,
            {total("failed", "count")} AS failed
        FROM status_cache c {indexed_by(d, "status_cache_counts")} {_CURRENT_CACHE}
        WHERE c.summary IS NOT NULL AND {_volunteer(d, "c.telegram_id")}
        """,
        (ids, ids),
    )
    assert row is not None
    return CacheCounts(
        linked=row["linked"],
        checked=row["checked"],
        consent_1365=int(row["consent_1365"]),
        consent_vms=int(row["consent_vms"]),
        unsent=int(row["unsent"]),
        pending=int(row["pending"]),
        succeeded=int(row["succeeded"]),
        failed=int(row["failed"]),
    )


async def _sends(snap: Snapshot, ids: str, windows: Windows) -> tuple[SendCounts, list[int]]:
    """The 7- and 30-day counts and the weekly ones in one range of sends_by_time.

    Grouped by (week, within 30 days, within 7 days): a few dozen rows, summed here. The
    week is worked out only for sends inside the chart's weeks (date arithmetic is the costly
    part).
    """
    d = snap.dialect
    rows = await snap.fetch_all(
        f"""
        SELECT CASE WHEN accepted_at >= ?1 THEN {weeks_between(d, "?1", "accepted_at")} END
                   AS week,
               accepted_at >= ?2 AS month, accepted_at >= ?3 AS days_7,
               COUNT(*) AS n, COALESCE(SUM(succeeded), 0) AS succeeded
        FROM sends
        WHERE accepted_at >= {least(d, "?1", "?2")} AND {_volunteer(d, "telegram_id", "?4")}
        GROUP BY week, month, days_7
        """,
        (
            to_text(windows.weeks_start),
            to_text(windows.since_30),
            to_text(windows.since_7),
            ids,
        ),
    )
    month = [r for r in rows if r["month"]]
    counts = SendCounts(
        last_7_days=sum(r["n"] for r in month if r["days_7"]),
        last_30_days=sum(r["n"] for r in month),
        records_succeeded_30_days=int(sum(r["succeeded"] for r in month)),
    )
    return counts, _spread(((r["week"], r["n"]) for r in rows), windows.weeks)


async def _failures(
    snap: Snapshot, ids: str, windows: Windows
) -> tuple[list[tuple[str, int]], list[int]]:
    """Failed records of current caches: by reason code (most first, ties by code) and by
    the week they were sent in, from one pass over status_records_failed."""
    rows = await snap.fetch_all(
        f"""
        SELECT COALESCE(r.reason_code, 'other') AS code,
               CASE WHEN r.sent_at >= ?1 THEN {weeks_between(snap.dialect, "?1", "r.sent_at")} END
                   AS week,
               COUNT(*) AS n
        FROM status_cache c {_CURRENT_CACHE}
        JOIN status_records r ON r.telegram_id = c.telegram_id AND r.status = 'failed'
        WHERE {_volunteer(snap.dialect, "c.telegram_id", "?2")}
        GROUP BY code, week
        """,
        (to_text(windows.weeks_start), ids),
    )
    by_code: dict[str, int] = {}
    for row in rows:
        by_code[row["code"]] = by_code.get(row["code"], 0) + row["n"]
    reasons = sorted(by_code.items(), key=lambda item: (-item[1], item[0]))
    return reasons, _spread(((r["week"], r["n"]) for r in rows), windows.weeks)


def _ids(admins: Collection[int]) -> str:
    return json.dumps(sorted(admins))


def _spread(weeks_and_counts: Iterable[tuple[int | None, int]], weeks: int) -> list[int]:
    """Counts per week index, summed, as a list of `weeks` (weeks outside it are dropped)."""
    counts = [0] * weeks
    for week, n in weeks_and_counts:
        if week is not None and 0 <= week < weeks:
            counts[week] += n
    return counts
