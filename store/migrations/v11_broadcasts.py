"""Migration 11: broadcasts and their deliveries.

Staff broadcasts (issue 11) must survive a crash without sending anyone the same
message twice. At confirm, the audience is snapshotted into `deliveries`, one row per
recipient, in the same transaction as the broadcast and its 'broadcast.run' due work;
the sender records each delivery as it happens ('queued' → 'sending' → 'sent' or
'failed' / 'blocked' / 'gone'; 'sending' rows found after a crash follow the documented
at-most-once rule in bot/services/broadcasts.py). The texts are what staff wrote for
everyone (HTML), not personal data. Deliveries go with the recipient on /forget; a
broadcast outlives the staff member who sent it (created_by becomes NULL).
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    11,
    "broadcasts and their deliveries",
    sql(
        """
        CREATE TABLE broadcasts (
            id INTEGER PRIMARY KEY,
            created_by INTEGER NULL,
            reminder_id INTEGER NULL,
            segment TEXT NOT NULL,
            language TEXT NULL CHECK (language IS NULL OR language IN ('ko', 'en')),
            is_reminder INTEGER NOT NULL DEFAULT 0 CHECK (is_reminder IN (0, 1)),
            text_ko TEXT NOT NULL,
            text_en TEXT NULL,
            state TEXT NOT NULL DEFAULT 'sending'
                CHECK (state IN ('sending', 'done', 'cancelled')),
            created_at TEXT NOT NULL,
            finished_at TEXT NULL,
            progress_chat_id INTEGER NULL,
            progress_message_id INTEGER NULL
        )
        """,
        """
        CREATE TABLE deliveries (
            broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
            telegram_id INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'blocked', 'gone')),
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT NULL,
            updated_at TEXT NULL,
            PRIMARY KEY (broadcast_id, telegram_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX deliveries_by_state ON deliveries (broadcast_id, state)",
        """
        CREATE TRIGGER users_leave_broadcasts AFTER DELETE ON users
        BEGIN
            UPDATE broadcasts SET created_by = NULL WHERE created_by = OLD.telegram_id;
        END
        """,
    ),
)
