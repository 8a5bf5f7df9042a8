"""What /stats ran before migration 14, kept word for word so bench/stats.py can time "before"
and "after" on the same machine in the same run: six queries through the writer's connection
(each holding its lock), no snapshot, no index of its own. Not used by the bot.
"""
# ruff: noqa

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import datetime

from store.db import Database
from store.timestamps import to_text


def _volunteer(col: str, param: str = "?") -> str:
    """A volunteer: not in the staff table, not an admin (`param`: a JSON array of admin ids)."""
    return (
        f"{col} NOT IN (SELECT telegram_id FROM staff)"
        f" AND {col} NOT IN (SELECT value FROM json_each({param}))"
    )


_CURRENT_CACHE = "JOIN links l ON l.telegram_id = c.telegram_id AND l.link_id = c.link_id"


class LegacyStatsRepository:
    """One method per question /stats asks."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def volunteers(self, admins: Collection[int]) -> object:
        row = await self._db.fetch_one(
            "SELECT COALESCE(SUM(blocked_at IS NULL), 0) AS active,"
            " COALESCE(SUM(blocked_at IS NOT NULL), 0) AS blocked"
            f" FROM users WHERE {_volunteer('telegram_id')}",
            (_ids(admins),),
        )
        assert row is not None
        return row

    async def cache_counts(self, admins: Collection[int]) -> object:
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
        return row

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

    async def sends(self, admins: Collection[int], since_7: datetime, since_30: datetime) -> object:
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
        return row

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
