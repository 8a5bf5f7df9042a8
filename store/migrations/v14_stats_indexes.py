"""Migration 14: indexes for /stats.

/stats counts over every volunteer (issue 11); at 100,000 users its reads took
over a second, almost all of it in three places. (1) Parsing every cached summary:
`status_cache_counts` keeps the six numbers /stats takes from each summary, so the
count reads them from this index (store/stats.py names it with INDEXED BY, as SQLite
3.40 does not see on its own that an index on expressions covers the query).
(2) Failed records: with `status` in the index (a partial index alone makes SQLite
fetch each row to re-check it) and the reason and time beside it, the count never
opens status_records. `status_cache_by_link` answers "is this cache of the current
link" without reading the summary's pages. (3) Sends by time: the last 12 weeks are
one range of `sends_by_time` instead of a scan of every send.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    14,
    "indexes for /stats",
    sql(
        """
        CREATE INDEX status_cache_counts ON status_cache (
            telegram_id, link_id,
            json_extract(summary, '$.member.consent_1365.agreed'),
            json_extract(summary, '$.member.consent_vms.agreed'),
            json_extract(summary, '$.unsent.count'),
            json_extract(summary, '$.pending.count'),
            json_extract(summary, '$.succeeded.count'),
            json_extract(summary, '$.failed.count')
        ) WHERE summary IS NOT NULL
        """,
        "CREATE INDEX status_cache_by_link ON status_cache (link_id)",
        "CREATE INDEX status_records_failed"
        " ON status_records (status, telegram_id, reason_code, sent_at)"
        " WHERE status = 'failed'",
        "CREATE INDEX sends_by_time ON sends (accepted_at, telegram_id, succeeded)"
        " WHERE accepted_at IS NOT NULL",
    ),
)
