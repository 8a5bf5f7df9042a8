"""Migration 23: leases and the deployment-wide Telegram budget.

Issue 16, part 4: several workers share one database and must act as one bot. `leases`
names what only one worker may do at a time: a broadcast's sending ("broadcast:<id>",
renewed while it runs, taken over when it lapses) and the start-up work ("start_up":
`holder` while it runs, `began` on the database server's clock when the last one began, so
workers starting together do it once). `until` is on the injectable clock, as every lease.
`bot_budget` is Telegram's ~30 messages/s for the whole deployment: one row, the next free
send slot and a 429's pause, in seconds of the database server's clock (the one clock every
worker shares). Nothing about a user.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql


def _leases_and_budget(real: str) -> tuple[str, str]:
    """The two tables; `real` is each engine's floating-point type."""
    leases = f"""
        CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NULL,
            until TEXT NOT NULL,
            began {real} NULL
        )
        """
    budget = f"""
        CREATE TABLE bot_budget (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            next_slot {real} NOT NULL,
            paused_until {real} NOT NULL
        )
        """
    return leases, budget


MIGRATION = Migration(
    23,
    "leases and the deployment-wide Telegram budget",
    sql(*_leases_and_budget("REAL")),
    postgres=sql(*_leases_and_budget("DOUBLE PRECISION")),
)
