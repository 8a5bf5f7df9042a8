"""Migration 5: one open flow per user.

Each user has at most one open flow (/link waiting for an ID or a code, the settings
menu, the guide), like aiogram's FSM state. It used to live in PTB persistence, flushed
every 2 s, so a crash right after "인증번호를 보냈어요" lost it; a row here is written
before the bot answers. `token` is the short random value every button of the flow
carries (a press with another token is stale); `rendered` is a digest of what
`message_id` shows now, so an edit that would change nothing is not sent. `data` holds
only what the next step needs (an opaque request id, never a VMS ID). The row goes with
the user on /forget. The ptb_* tables are now unused: their rows (old conversations,
user_data with typed VMS IDs) are emptied here; the tables stay (append-only schema).
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    5,
    "one open flow per user",
    sql(
        """
        CREATE TABLE flows (
            telegram_id INTEGER PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            step TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            token TEXT NOT NULL,
            message_id INTEGER NULL,
            rendered TEXT NULL,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """,
        "DELETE FROM ptb_conversations",
        "DELETE FROM ptb_user_data",
        "DELETE FROM ptb_chat_data",
        "DELETE FROM ptb_bot_data",
    ),
)
