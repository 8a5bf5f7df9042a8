"""Migration 9: new-record nudge switch.

The new-record nudge (issue 9) has its own switch in /settings ("새 실적 알림"),
apart from the center-notice `reminders`; on by default like reminders. Its due work
('send.nudge', key = the Telegram id) goes with the user on /forget: the trigger drops
it, so a forgotten user's item never runs again (its payload holds only an opaque link
id and short hashes of record ids, never texts).
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    9,
    "new-record nudge switch",
    sql(
        "ALTER TABLE users ADD COLUMN nudges INTEGER NOT NULL DEFAULT 1 CHECK (nudges IN (0, 1))",
        """
        CREATE TRIGGER users_drop_nudge AFTER DELETE ON users
        BEGIN
            DELETE FROM due_work
            WHERE kind = 'send.nudge' AND key = CAST(OLD.telegram_id AS TEXT);
        END
        """,
    ),
)
