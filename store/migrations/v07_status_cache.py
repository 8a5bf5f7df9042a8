"""Migration 7: status cache.

/status (issue 9) must still show something when the gateway is down, slow or wrong,
so what it last fetched is kept with the time it was fetched. status_cache holds one
row per user: `summary` is JSON the service computes when it fetches (member, counts,
hours, the commonest failure), so showing /status is one primary-key read; `tried_at`
is the last attempt, for the 30-second refresh limit. status_records keeps the fetched
records in the gateway's own order (`position`), so the list pages from here with any
gateway's page size and order; `ref` is a short hash of the record id that buttons
carry (record ids of other gateways may be long). No resident number, no VMS ID; both
tables go with the user on /forget (ON DELETE CASCADE).
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    7,
    "status cache",
    sql(
        """
        CREATE TABLE status_cache (
            telegram_id INTEGER PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            link_id TEXT NOT NULL,
            summary TEXT NULL CHECK (summary IS NULL OR json_valid(summary)),
            fetched_at TEXT NULL,
            tried_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE status_records (
            telegram_id INTEGER NOT NULL
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            ref TEXT NOT NULL,
            record_id TEXT NOT NULL,
            activity_date TEXT NOT NULL,
            host TEXT NOT NULL,
            activity TEXT NOT NULL,
            minutes INTEGER NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            sent_at TEXT NULL,
            reason_code TEXT NULL,
            reason_message TEXT NULL,
            visible_on_1365_at TEXT NULL,
            PRIMARY KEY (telegram_id, position)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX status_records_by_status ON status_records (telegram_id, status, position)",
        "CREATE INDEX status_records_by_ref ON status_records (telegram_id, ref)",
    ),
)
