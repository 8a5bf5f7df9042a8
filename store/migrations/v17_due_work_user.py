"""Migration 17: due work about one user goes with the user.

Due work about one user (the daily nudge, key = the Telegram id) could outlive
/forget: a run in flight rescheduled itself after the users trigger of migration 9 had
removed it, leaving the id in the file. Such work now names its user in `telegram_id`,
so deleting the user deletes it (CASCADE) whatever its kind, and scheduling it inserts
only while the user exists (store/due_work.py, schedule_for_user). Existing nudges get
the column; a nudge of a user already gone (left by that race) is dropped.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    17,
    "due work about one user goes with the user",
    sql(
        "ALTER TABLE due_work ADD COLUMN telegram_id INTEGER NULL"
        " REFERENCES users (telegram_id) ON DELETE CASCADE",
        "CREATE INDEX due_work_by_user ON due_work (telegram_id) WHERE telegram_id IS NOT NULL",
        """
        UPDATE due_work SET telegram_id = CAST(key AS INTEGER)
        WHERE kind = 'send.nudge'
            AND CAST(key AS INTEGER) IN (SELECT telegram_id FROM users)
        """,
        "DELETE FROM due_work WHERE kind = 'send.nudge' AND telegram_id IS NULL",
    ),
)
