"""Migration 10: staff, staff invites and the audit log.

Center staff (issue 11). Admins are named in ADMIN_TELEGRAM_IDS and never stored;
the people they make staff are, with who added them. An invite is a single-use deep
link: only the SHA-256 of its token is kept, so a copy of the database cannot be turned
into a working invite. audit_log records every staff action (`action` a short code,
`detail` JSON without personal data: counts, ids of broadcasts, never a text someone
wrote). A staff member who uses /forget leaves the staff (CASCADE); their audit rows
stay with the actor set to NULL, so what was done is kept and who did it is not.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    10,
    "staff, staff invites and the audit log",
    sql(
        """
        CREATE TABLE staff (
            telegram_id INTEGER PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            added_by INTEGER NULL,
            added_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE staff_invites (
            token_hash TEXT PRIMARY KEY,
            created_by INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_by INTEGER NULL,
            used_at TEXT NULL,
            CHECK ((used_by IS NULL) = (used_at IS NULL))
        )
        """,
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor INTEGER NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
        )
        """,
        "CREATE INDEX audit_log_by_time ON audit_log (at)",
        """
        CREATE TRIGGER users_leave_audit AFTER DELETE ON users
        BEGIN
            UPDATE audit_log SET actor = NULL WHERE actor = OLD.telegram_id;
            UPDATE staff_invites SET used_by = -1 WHERE used_by = OLD.telegram_id;
            UPDATE staff SET added_by = NULL WHERE added_by = OLD.telegram_id;
        END
        """,
    ),
)
