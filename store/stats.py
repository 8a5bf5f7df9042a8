"""Counts for the center's /stats: every answer is one aggregate query, never a loop per user.

Volunteers are the people who use the bot, less the staff: the staff table and the admin ids
the caller passes (admins live in the settings, not here). The consent and record counts come
from the /status cache (store/status_cache.py), so they hold "as of each volunteer's last
status check"; a cache kept for another link than the current one is not counted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from store.db import Database
from store.timestamps import to_text


def _volunteer(col: str, param: str = "?") -> str:
    """A volunteer: not in the staff table, not an admin (`param`: a JSON array of admin ids)."""
    return (
        f"{col} NOT IN (SELECT telegram_id FROM staff)"
        f" AND {col} NOT IN (SELECT value FROM json_each({param}))"
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


class StatsRepository:
    """One method per question /stats asks."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def volunteers(self, admins: Collection[int]) -> Volunteers:
        row = await self._db.fetch_one(
            "SELECT COALESCE(SUM(blocked_at IS NULL), 0) AS active,"
            " COALESCE(SUM(blocked_at IS NOT NULL), 0) AS blocked"
            f" FROM users WHERE {_volunteer('telegram_id')}",
            (_ids(admins),),
        )
        assert row is not None
        return Volunteers(row["active"], row["blocked"])

    async def cache_counts(self, admins: Collection[int]) -> CacheCounts:
        # json_extract of a JSON true is 1; TOTAL() of no rows is 0.0, hence the int().
        row = await self._db.fetch_one(
            f"""
            SELECT
                (SELECT COUNT(*) FROM links WHERE {_volunteer("telegram_id")})
                    AS linked,
                COUNT(c.summary) AS checked,
                TOTAL(json_extract(c.summary, '$.member.consent_1365.agreed')) AS consent_1365,
                TOTAL(json_extract(c.summary, '$.member.consent_vms.agreed')) AS consent_vms,
                TOTAL(json_extract(c.summary, '$.unsent.count')) AS unsent,
                TOTAL(json_extract(c.summary, '$.pending.count')) AS pending,
                TOTAL(json_extract(c.summary, '$.succeeded.count')) AS succeeded,
                TOTAL(json_extract(c.summary, '$.failed.count')) AS failed
            FROM status_cache c {_CURRENT_CACHE}
            WHERE c.summary IS NOT NULL AND {_volunteer("c.telegram_id")}
            """,
            (_ids(admins), _ids(admins)),
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

    async def failure_reasons(self, admins: Collection[int], limit: int) -> list[tuple[str, int]]:
        """The commonest reason codes of failed records, most first (ties by code)."""
        rows = await self._db.fetch_all(
            f"""
            SELECT COALESCE(r.reason_code, 'other') AS code, COUNT(*) AS n
            FROM status_records r
            JOIN status_cache c ON c.telegram_id = r.telegram_id {_CURRENT_CACHE}
            WHERE r.status = 'failed' AND {_volunteer("r.telegram_id")}
            GROUP BY code ORDER BY n DESC, code LIMIT ?
            """,
            (_ids(admins), limit),
        )
        return [(r["code"], r["n"]) for r in rows]

    async def sends(
        self, admins: Collection[int], since_7: datetime, since_30: datetime
    ) -> SendCounts:
        row = await self._db.fetch_one(
            f"""
            SELECT COALESCE(SUM(accepted_at >= ?), 0) AS week, COUNT(*) AS month,
                   TOTAL(succeeded) AS succeeded
            FROM sends
            WHERE accepted_at >= ? AND {_volunteer("telegram_id")}
            """,
            (to_text(since_7), to_text(since_30), _ids(admins)),
        )
        assert row is not None
        return SendCounts(row["week"], row["month"], int(row["succeeded"]))

    async def weekly_sends(self, admins: Collection[int], start: datetime, weeks: int) -> list[int]:
        """Accepted transmissions in each of `weeks` weeks from `start` (oldest first)."""
        rows = await self._db.fetch_all(
            f"""
            SELECT CAST((julianday(accepted_at) - julianday(?1)) / 7 AS INTEGER) AS week,
                   COUNT(*) AS n
            FROM sends
            WHERE accepted_at >= ?1 AND {_volunteer("telegram_id", "?2")}
            GROUP BY week
            """,
            (to_text(start), _ids(admins)),
        )
        return _spread(rows, weeks)

    async def weekly_failures(
        self, admins: Collection[int], start: datetime, weeks: int
    ) -> list[int]:
        """Failed records by the week they were sent in, as of each last status check."""
        rows = await self._db.fetch_all(
            f"""
            SELECT CAST((julianday(r.sent_at) - julianday(?1)) / 7 AS INTEGER) AS week,
                   COUNT(*) AS n
            FROM status_records r
            JOIN status_cache c ON c.telegram_id = r.telegram_id {_CURRENT_CACHE}
            WHERE r.status = 'failed' AND r.sent_at >= ?1
              AND {_volunteer("r.telegram_id", "?2")}
            GROUP BY week
            """,
            (to_text(start), _ids(admins)),
        )
        return _spread(rows, weeks)


def _ids(admins: Collection[int]) -> str:
    return json.dumps(sorted(admins))


def _spread(rows: list[sqlite3.Row], weeks: int) -> list[int]:
    counts = [0] * weeks
    for row in rows:
        if 0 <= row["week"] < weeks:
            counts[row["week"]] = row["n"]
    return counts
