"""Migration 25: why a reminder's last skipped run was skipped.

A run missed by over a day was the only skip ('late'). A run whose audience held nobody went
out as a broadcast to no one, which /remind and the desk showed as "sent to 0"; it is skipped
now ('empty'), and /remind says which. Earlier skips were all late. Nothing about a user.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

_STEPS = (
    "ALTER TABLE reminders ADD COLUMN skip_reason TEXT NULL",
    "UPDATE reminders SET skip_reason = 'late' WHERE skipped_run_at IS NOT NULL",
)

MIGRATION = Migration(
    25, "why a reminder's last skipped run was skipped", sql(*_STEPS), postgres=sql(*_STEPS)
)
