"""Migration 2: links and pending revocations.

A Telegram user proves which VMS member they are (issue: linkage gateway). One VMS
member is linked to one Telegram account at a time (UNIQUE vms_id). A link whose
revocation could not reach the gateway (e.g. during /forget) waits in
pending_revocations, which holds only the opaque link id, never who it belonged to.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    2,
    "links and pending revocations",
    sql(
        """
        CREATE TABLE links (
            telegram_id INTEGER PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            link_id TEXT NOT NULL UNIQUE,
            vms_id TEXT NOT NULL UNIQUE,
            id_1365_masked TEXT NULL,
            linked_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE pending_revocations (
            link_id TEXT PRIMARY KEY,
            since TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0
        )
        """,
    ),
)
