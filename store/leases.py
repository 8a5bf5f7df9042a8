"""Leases on named work only one worker of a deployment may do at a time (migration 24).

A lease is one row: its `holder` (a worker id) and `until` on the injectable clock. It is
taken with one conditional upsert, so of workers asking at once exactly one gets it (SQLite
runs the statement under its write lock; PostgreSQL locks the row for the ON CONFLICT
update and re-checks the WHERE on the latest version). The holder renews it with the same
call; once it lapses, because its worker died or stalled, the next to ask takes it.

`began` serves the start-up work (bot/services/start_up.py): the database server's time
when the last run began, kept after the holder lets go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.db import Database
from store.dialect import server_seconds
from store.timestamps import from_text, to_text

# Later than any server time: the mark of a past run never stands in the way.
_NO_MARK = 1e18


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str | None  # None: nobody holds it (a finished start-up keeps its `began`)
    until: datetime
    began: float | None  # seconds of the database server's clock


class LeaseRepository:
    """The leases table; SQL only."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def take(
        self, name: str, holder: str, until: datetime, *, began_before: float | None = None
    ) -> bool:
        """Takes or renews `name` for `holder` until `until`: True if it is now theirs (it
        was free, had lapsed, or was theirs already).

        `began_before` (the start-up's mark): a free lease only if no finished run began at
        or after that time (server seconds), and then this run's `began` is the server's time
        now. A lapsed holder's run never finished: its mark does not count.
        """
        now = to_text(self._db.clock.now())
        if began_before is None:
            stamp, keep, since = "NULL", "leases.began", _NO_MARK
        else:
            stamp = keep = server_seconds(self._db.dialect)
            since = began_before
        rows = await self._db.write(
            f"""
            INSERT INTO leases (name, holder, until, began) VALUES (?, ?, ?, {stamp})
            ON CONFLICT (name) DO UPDATE SET
                holder = excluded.holder, until = excluded.until, began = {keep}
            WHERE leases.holder = excluded.holder
                OR (leases.holder IS NULL AND (leases.began IS NULL OR leases.began < ?))
                OR (leases.holder IS NOT NULL AND leases.until <= ?)
            RETURNING holder
            """,
            (name, holder, to_text(until), since, now),
        )
        return bool(rows)

    async def release_all(self, prefix: str) -> int:
        """Lets go of every lease whose name starts with `prefix`; how many were held."""
        rows = await self._db.write(
            "UPDATE leases SET holder = NULL, until = ? WHERE holder IS NOT NULL"
            " AND substr(name, 1, ?) = ? RETURNING name",
            (to_text(self._db.clock.now()), len(prefix), prefix),
        )
        return len(rows)

    async def release(self, name: str, holder: str) -> bool:
        """Lets go of `name` if `holder` still has it (the row and its `began` stay)."""
        rows = await self._db.write(
            "UPDATE leases SET holder = NULL, until = ? WHERE name = ? AND holder = ?"
            " RETURNING name",
            (to_text(self._db.clock.now()), name, holder),
        )
        return bool(rows)

    async def forget_began(self, name: str, holder: str) -> None:
        """Lets go of `name` and clears its `began`: the run failed, so it counts as undone."""
        await self._db.write(
            "UPDATE leases SET holder = NULL, until = ?, began = NULL"
            " WHERE name = ? AND holder = ?",
            (to_text(self._db.clock.now()), name, holder),
        )

    async def get(self, name: str) -> Lease | None:
        row = await self._db.fetch_one(
            "SELECT name, holder, until, began FROM leases WHERE name = ?", (name,)
        )
        if row is None:
            return None
        began = row["began"]
        return Lease(
            row["name"],
            row["holder"],
            from_text(row["until"]),
            float(began) if began is not None else None,
        )

    async def server_time(self) -> float:
        """The database server's clock now, in seconds (what `began` is measured in)."""
        row = await self._db.fetch_one(f"SELECT {server_seconds(self._db.dialect)} AS t")
        assert row is not None
        return float(row["t"])
