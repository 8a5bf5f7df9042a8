"""Migration 12: help requests and their staff copies.

Help requests (issue 11, "센터에 문의"). A request is open until a staff member
answers it (answered_at); the question's text is never stored: it lives only in the
copies the bot sent to staff chats, whose message ids are kept so a staff member's
reply (reply_to_message) finds its request, and so the others can be told who answered.
The volunteer's /forget deletes their requests and copies (CASCADE); a staff member's
/forget leaves the requests they answered with answered_by NULL and drops their copies.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    12,
    "help requests and their staff copies",
    sql(
        """
        CREATE TABLE help_requests (
            id INTEGER PRIMARY KEY,
            telegram_id INTEGER NOT NULL
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            answered_at TEXT NULL,
            answered_by INTEGER NULL
        )
        """,
        "CREATE INDEX help_requests_by_user ON help_requests (telegram_id, created_at)",
        "CREATE INDEX help_requests_open ON help_requests (id) WHERE answered_at IS NULL",
        """
        CREATE TABLE help_request_copies (
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            request_id INTEGER NOT NULL
                REFERENCES help_requests (id) ON DELETE CASCADE,
            PRIMARY KEY (chat_id, message_id)
        )
        """,
        "CREATE INDEX help_request_copies_by_request ON help_request_copies (request_id)",
        """
        CREATE TRIGGER users_leave_help AFTER DELETE ON users
        BEGIN
            UPDATE help_requests SET answered_by = NULL WHERE answered_by = OLD.telegram_id;
            DELETE FROM help_request_copies WHERE chat_id = OLD.telegram_id;
        END
        """,
    ),
)
