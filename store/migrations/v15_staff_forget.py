"""Migration 15: a staff member's /forget clears their id from broadcasts and the audit log.

A staff member's /forget left their Telegram id behind (review of issue 11): a
broadcast they sent kept their chat as `progress_chat_id` (with its message id), and
the audit log kept them in `detail` as the member an admin added or removed, or as
the admin whose invite someone used. The trigger clears those with the user; the first
statements do the same for users forgotten before this migration (an id in those places
always belonged to someone who wrote to the bot, so a missing user row means /forget).
An invite's `created_by` cannot be NULL: it becomes -1, as `used_by` does since 10.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    15,
    "a staff member's /forget clears their id from broadcasts and the audit log",
    sql(
        """
        UPDATE broadcasts SET progress_chat_id = NULL, progress_message_id = NULL
        WHERE progress_chat_id IS NOT NULL
            AND progress_chat_id NOT IN (SELECT telegram_id FROM users)
        """,
        """
        UPDATE audit_log SET detail = json_set(detail, '$.member', json('null'))
        WHERE json_type(detail, '$.member') = 'integer'
            AND json_extract(detail, '$.member') NOT IN (SELECT telegram_id FROM users)
        """,
        """
        UPDATE audit_log SET detail = json_set(detail, '$.invited_by', json('null'))
        WHERE json_type(detail, '$.invited_by') = 'integer'
            AND json_extract(detail, '$.invited_by') NOT IN (SELECT telegram_id FROM users)
        """,
        """
        CREATE TRIGGER users_leave_staff_traces AFTER DELETE ON users
        BEGIN
            UPDATE broadcasts SET progress_chat_id = NULL, progress_message_id = NULL
                WHERE progress_chat_id = OLD.telegram_id;
            UPDATE audit_log SET detail = json_set(detail, '$.member', json('null'))
                WHERE json_extract(detail, '$.member') = OLD.telegram_id;
            UPDATE audit_log SET detail = json_set(detail, '$.invited_by', json('null'))
                WHERE json_extract(detail, '$.invited_by') = OLD.telegram_id;
            UPDATE staff_invites SET created_by = -1 WHERE created_by = OLD.telegram_id;
        END
        """,
    ),
)
