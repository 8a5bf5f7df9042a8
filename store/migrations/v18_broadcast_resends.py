"""Migration 18: resends of a broadcast's unknown deliveries.

A delivery left 'unknown' by a crash may never have arrived (review of issue 15).
Staff may resend a finished broadcast to exactly those people, once: `resend_of` names
the broadcast a resend repeats, and the unique index makes a second resend of the same
broadcast impossible however the button is pressed (twice, forged, on two devices).
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    18,
    "resends of a broadcast's unknown deliveries",
    sql(
        "ALTER TABLE broadcasts ADD COLUMN resend_of INTEGER NULL"
        " REFERENCES broadcasts (id) ON DELETE SET NULL",
        "CREATE UNIQUE INDEX broadcasts_one_resend ON broadcasts (resend_of)"
        " WHERE resend_of IS NOT NULL",
    ),
)
