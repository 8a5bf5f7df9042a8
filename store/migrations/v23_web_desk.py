"""Migration 23: staff desk Mini App: idempotency keys and menu buttons.

Issue 19: the staff desk Mini App. `web_actions` holds the idempotency keys the server issues
(bot/services/desk.py): a POST with a key does its work once and stores its answer, so a
replay returns that answer and does nothing; a broadcast draft waits under its confirm key.
`about` names the volunteer a stored answer is about, so it goes with them on /forget; the
keys go with their staff member. `web_menus` lists the chats whose menu button opens the
desk, so every start can give the default menu back to whoever is no longer staff. Rows
expire with their keys (pruned when issuing).
"""

from __future__ import annotations

from store.migrations.base import Migration, sql


def _web_desk(id_type: str) -> tuple[str, ...]:
    return (
        f"""
        CREATE TABLE web_actions (
            key TEXT PRIMARY KEY,
            telegram_id {id_type} NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
            about {id_type} NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
            issued_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('issued', 'running', 'done')),
            path TEXT NULL,
            status {id_type} NULL,
            response TEXT NULL,
            draft TEXT NULL
        )
        """,
        "CREATE INDEX web_actions_by_expiry ON web_actions (expires_at)",
        "CREATE INDEX web_actions_by_user ON web_actions (telegram_id)",
        "CREATE INDEX web_actions_about ON web_actions (about) WHERE about IS NOT NULL",
        f"""
        CREATE TABLE web_menus (
            telegram_id {id_type} PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            set_at TEXT NOT NULL
        )
        """,
    )


MIGRATION = Migration(
    23,
    "staff desk Mini App: idempotency keys and menu buttons",
    sql(*_web_desk("INTEGER")),
    postgres=sql(*_web_desk("BIGINT")),
)
