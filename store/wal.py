"""Emptying the WAL after an erase: now if no reader holds it, else as due work until one does.

Until the WAL is checkpointed and truncated it keeps the pages as they were before a delete,
so an erased user's ids would stay on disk for as long as a reader (a backup, a sqlite3 shell)
holds it, and then until the bot closes. One due item retries the truncation instead.
On PostgreSQL the same is the VACUUM that reclaims the deleted rows' dead tuples
(Database.checkpoint): owed in the same way when it cannot run now.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from store.db import Database
from store.due_work import DueWorkRepository

logger = logging.getLogger(__name__)

TRUNCATE_WAL = "store.truncate_wal"
# One item for the whole file: a single truncation serves every erase waiting on it, and a
# later erase re-schedules the same row instead of adding one.
_KEY = "wal"
# A backup of a small database takes seconds; trying again at once would find it still there.
FIRST_RETRY = timedelta(seconds=30)


class WalStillHeld(Exception):
    """A reader still keeps part of the WAL (on PostgreSQL: VACUUM could not run yet); the
    poller tries again later."""


class WalTruncation:
    """Truncates the WAL, or owes it as due work (kind TRUNCATE_WAL) until it succeeds."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._work = DueWorkRepository(db)

    async def truncate_or_owe(self) -> bool:
        """True if the WAL is empty now; else schedules the retry and returns False."""
        if await self._db.checkpoint():
            return True
        logger.info("the WAL could not be truncated yet (a reader holds it); retrying later")
        await self._work.schedule(TRUNCATE_WAL, _KEY, due_at=self._db.clock.now() + FIRST_RETRY)
        return False

    async def run_owed(self, key: str, payload: dict[str, Any]) -> None:
        """The due-work handler: raises while a reader still holds the WAL, so it is retried."""
        if not await self._db.checkpoint():
            raise WalStillHeld
