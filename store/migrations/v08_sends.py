"""Migration 8: sends and their hourly claim.

/send claims the member's one send per hour in the store before calling the
gateway, so a double tap, a redelivered update or two devices make one transmission, and
remembers each accepted transmission until its result and visibility messages went out.
`idempotency_key` is derived from the confirmation's flow token; `record_ids` (opaque
gateway ids, JSON) is set only for a send of chosen records. At most one claim per user
is open (state 'claimed': sent or about to be, outcome not yet known). `send_waits`
keeps the gateway's own 429 Retry-After, which may come from a send made on the VMS
website. Both go with the user on /forget; the trigger then drops the due work of
their sends (result polls, visibility messages), whose key is the opaque send id.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    8,
    "sends and their hourly claim",
    sql(
        """
        CREATE TABLE sends (
            id INTEGER PRIMARY KEY,
            telegram_id INTEGER NOT NULL
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            idempotency_key TEXT NOT NULL UNIQUE,
            link_id TEXT NOT NULL,
            record_ids TEXT NULL CHECK (record_ids IS NULL OR json_valid(record_ids)),
            state TEXT NOT NULL
                CHECK (state IN ('claimed', 'accepted', 'reported', 'done')),
            claimed_at TEXT NOT NULL,
            transmission_id TEXT NULL,
            accepted_at TEXT NULL,
            visible_at TEXT NULL,
            succeeded INTEGER NULL CHECK (succeeded IS NULL OR succeeded >= 0),
            CHECK ((state = 'claimed') = (transmission_id IS NULL))
        )
        """,
        "CREATE UNIQUE INDEX sends_one_claim ON sends (telegram_id) WHERE state = 'claimed'",
        "CREATE INDEX sends_by_user ON sends (telegram_id, accepted_at)",
        """
        CREATE TABLE send_waits (
            telegram_id INTEGER PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            not_before TEXT NOT NULL
        )
        """,
        """
        CREATE TRIGGER sends_drop_due_work AFTER DELETE ON sends
        BEGIN
            DELETE FROM due_work
            WHERE kind IN ('send.result', 'send.visible') AND key = CAST(OLD.id AS TEXT);
        END
        """,
    ),
)
