"""Telegram's message budget for the whole deployment: one row of the database (migration 24).

Each message takes the next send slot, one `interval` after the last one handed out, by one
upsert that returns how long the caller waits for it; so workers in any number of processes
together never ask for more than 1/interval a second. Slots missed by a late wake-up are
granted again up to `catch_up` seconds back (a burst of a few, within Telegram's one
second's worth). A 429 moves `paused_until`: no slot before it, for every worker. Times are
the database server's, the one clock every worker shares; the row is made on first use.
"""

from __future__ import annotations

from store.db import Database
from store.dialect import greatest, server_seconds


class BudgetRepository:
    """The bot_budget row; SQL only."""

    def __init__(self, db: Database) -> None:
        self._db = db
        now = server_seconds(db.dialect)
        d = db.dialect
        start = greatest(
            d, greatest(d, "bot_budget.next_slot", f"{now} - ?"), "bot_budget.paused_until"
        )
        self._reserve = f"""
            INSERT INTO bot_budget (id, next_slot, paused_until) VALUES (1, {now} + ?, 0)
            ON CONFLICT (id) DO UPDATE SET next_slot = {start} + ?
            RETURNING next_slot - ? - {now} AS wait
            """
        self._pause = f"""
            INSERT INTO bot_budget (id, next_slot, paused_until) VALUES (1, {now}, {now} + ?)
            ON CONFLICT (id) DO UPDATE SET
                paused_until = {greatest(d, "bot_budget.paused_until", f"{now} + ?")}
            """

    async def reserve(self, interval: float, catch_up: float) -> float:
        """Takes the next slot; the seconds to wait for it (0 when it is now)."""
        rows = await self._db.write(self._reserve, (interval, catch_up, interval, interval))
        return max(0.0, float(rows[0]["wait"]))

    async def pause(self, seconds: float) -> None:
        """Telegram said "retry after `seconds`": no worker gets a slot before then."""
        await self._db.write(self._pause, (seconds, seconds))
