"""Migration 13: scheduled reminders.

Scheduled reminders (issue 11). A reminder is a schedule (monthly on a day, weekly
on a weekday, both at a local time; or once at a moment), an audience (segment and
optional language; always a reminder, so notices-off users are left out) and the text
staff wrote. While active it has one 'reminder.fire' due-work item at `next_run_at`;
each run launches an ordinary broadcast (broadcasts.reminder_id). A creator who uses
/forget leaves their reminders running, without a creator.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    13,
    "scheduled reminders",
    sql(
        """
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            created_by INTEGER NULL,
            created_at TEXT NOT NULL,
            repeat TEXT NOT NULL CHECK (repeat IN ('monthly', 'weekly', 'once')),
            day INTEGER NULL,
            at_time TEXT NOT NULL,
            once_at TEXT NULL,
            segment TEXT NOT NULL,
            language TEXT NULL CHECK (language IS NULL OR language IN ('ko', 'en')),
            text_ko TEXT NOT NULL,
            text_en TEXT NULL,
            state TEXT NOT NULL DEFAULT 'active'
                CHECK (state IN ('active', 'paused', 'done')),
            next_run_at TEXT NULL,
            last_run_at TEXT NULL,
            CHECK ((repeat = 'once') = (once_at IS NOT NULL)),
            CHECK (repeat = 'once' OR day IS NOT NULL)
        )
        """,
        """
        CREATE TRIGGER users_leave_reminders AFTER DELETE ON users
        BEGIN
            UPDATE reminders SET created_by = NULL WHERE created_by = OLD.telegram_id;
        END
        """,
    ),
)
