"""Migration 3: consent guide progress.

The /howto consent guide (issue 4) must resume where a volunteer stopped, after a
restart or a week's pause, so its position lives here and not only in memory. `token`
names the one guide message whose buttons still count (older messages are "replaced");
`previous_token` the one it replaced, so a double press racing the switch is recognised.
consent_* keep what the user reported ('self') or the gateway showed ('confirmed'). The
row goes with the user on /forget (ON DELETE CASCADE). Nothing personal is stored.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    3,
    "consent guide progress",
    sql(
        """
        CREATE TABLE guide_progress (
            telegram_id INTEGER PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            token TEXT NOT NULL,
            previous_token TEXT NULL,
            message_id INTEGER NULL,
            stage TEXT NOT NULL CHECK (stage IN ('1365', 'vms', 'done')),
            step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 5),
            consent_1365 TEXT NOT NULL DEFAULT 'unknown'
                CHECK (consent_1365 IN ('unknown', 'self', 'confirmed')),
            agreed_1365_on TEXT NULL,
            consent_vms TEXT NOT NULL DEFAULT 'unknown'
                CHECK (consent_vms IN ('unknown', 'self', 'confirmed')),
            agreed_vms_on TEXT NULL,
            updated_at TEXT NOT NULL
        )
        """,
    ),
)
