"""Migration 6: link attempts per Telegram account.

The gateway limits code requests per member and per center, so one Telegram account
typing made-up IDs could spend the whole center's hourly budget and lock members out.
The bot keeps its own budget per Telegram account (bot/services/linking.py): the times of
its code requests and wrong codes, nothing else (no VMS ID). Old rows are pruned as they
fall out of the window; the rows go with the user on /forget.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    6,
    "link attempts per Telegram account",
    sql(
        """
        CREATE TABLE link_attempts (
            telegram_id INTEGER NOT NULL
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('request', 'wrong_code')),
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX link_attempts_by_user ON link_attempts (telegram_id, kind, at)",
    ),
)
