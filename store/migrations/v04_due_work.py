"""Migration 4: due work replaces pending revocations.

Revocation retries, /send result polls, follow-ups, reminders and broadcasts are
all "do this once it is due, retry if it fails, survive a restart". One table serves
them all (bot/background/). UNIQUE (kind, key): scheduling the same work twice is one
row. payload is JSON and never personal (an opaque link id, not a VMS ID or a name).
A claim is a lease: claim_token + claimed_until on the bot's clock; a worker killed
mid-run leaves a lease that expires, and the item is claimed again. revision changes on
every re-schedule so a run that started before it cannot complete the newer work.
pending_revocations (migration 2) becomes 'link.revoke' work; its attempts were never
read under any retry policy, so they restart at 0 rather than being given up unseen.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    4,
    "due work replaces pending revocations",
    sql(
        """
        CREATE TABLE due_work (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
            revision INTEGER NOT NULL DEFAULT 1,
            due_at TEXT NOT NULL,
            next_try_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            claim_token TEXT NULL,
            claimed_until TEXT NULL,
            last_error TEXT NULL,
            given_up_at TEXT NULL,
            UNIQUE (kind, key),
            CHECK ((claim_token IS NULL) = (claimed_until IS NULL))
        )
        """,
        "CREATE INDEX due_work_ready ON due_work (next_try_at) WHERE given_up_at IS NULL",
        """
        INSERT INTO due_work (kind, key, payload, due_at, next_try_at)
        SELECT 'link.revoke', link_id, json_object('link_id', link_id), since, since
        FROM pending_revocations
        """,
        "DROP TABLE pending_revocations",
    ),
)
