"""Migration 1: users and PTB persistence.

The bot must remember each person's language and reminder choice, notice when they
block it, and keep PTB conversation state and user_data across restarts, in readable JSON.
Telegram ids exceed 32 bits: a PostgreSQL port needs BIGINT where this says INTEGER.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    1,
    "users and PTB persistence",
    sql(
        """
        CREATE TABLE users (
            telegram_id INTEGER PRIMARY KEY,
            language TEXT NOT NULL CHECK (language IN ('ko', 'en')),
            language_chosen INTEGER NOT NULL DEFAULT 0 CHECK (language_chosen IN (0, 1)),
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            blocked_at TEXT NULL,
            reminders INTEGER NOT NULL DEFAULT 1 CHECK (reminders IN (0, 1))
        )
        """,
        """
        CREATE TABLE ptb_conversations (
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (name, key)
        )
        """,
        "CREATE TABLE ptb_user_data (user_id INTEGER PRIMARY KEY, data TEXT NOT NULL)",
        "CREATE TABLE ptb_chat_data (chat_id INTEGER PRIMARY KEY, data TEXT NOT NULL)",
        """
        CREATE TABLE ptb_bot_data (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            data TEXT NOT NULL
        )
        """,
    ),
)
