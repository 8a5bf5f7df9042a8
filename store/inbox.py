"""The webhook inbox: updates stored before Telegram is answered, run later by any worker.

Lifecycle of one row (one Telegram update_id):
  add()      → pending (a redelivered update_id changes nothing: stored once)
  claim()    → claimed by one worker until lease_until; attempts += 1. Only the oldest open
               row of a user can be claimed (by update_id, Telegram's order), so one user's
               updates run one at a time and in order, whichever worker runs them (and a
               late, lower update_id waits while a later one of the same user is held)
  complete() → done: body and user key emptied (nothing about the user stays), kept for a
               day so a late redelivery is still recognised, then prune() deletes it
A worker killed mid-update leaves its lease; once lease_until has passed on the injectable
clock, claim() hands the row to another worker, and the first one's complete() is refused.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from store.db import Database
from store.engine import skip_locked
from store.timestamps import from_text, to_text

KEEP_DONE = timedelta(days=1)


@dataclass(frozen=True)
class InboxItem:
    """A claimed update: run `update`, then complete(id, claimed_by)."""

    id: int
    update_id: int
    user_key: str
    update: dict[str, Any]
    received_at: datetime
    attempts: int  # claims so far, this one included: > 1 means a worker died on it before
    claimed_by: str
    lease_until: datetime


@dataclass(frozen=True)
class InboxLag:
    """How far behind the workers are: open rows and the age of the oldest one."""

    open_rows: int
    oldest_received_at: datetime | None

    def seconds(self, now: datetime) -> float:
        if self.oldest_received_at is None:
            return 0.0
        return max(0.0, (now - self.oldest_received_at).total_seconds())


# Marks a held row done, emptied of the update and its user (nothing about them stays).
_COMPLETE = """
    UPDATE inbox SET state = 'done', done_at = ?, last_error = ?, body = NULL,
        user_key = NULL, claimed_by = NULL, lease_until = NULL
    WHERE id = ? AND claimed_by = ? AND state = 'claimed'
"""


def _item(row: sqlite3.Row) -> InboxItem:
    return InboxItem(
        id=row["id"],
        update_id=row["update_id"],
        user_key=row["user_key"],
        update=json.loads(row["body"]),
        received_at=from_text(row["received_at"]),
        attempts=row["attempts"],
        claimed_by=row["claimed_by"],
        lease_until=from_text(row["lease_until"]),
    )


def new_worker_id() -> str:
    """A claim token for one worker process (random: never reused after a restart)."""
    return secrets.token_hex(8)


class InboxRepository:
    """The inbox table; SQL only."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, update_id: int, user_key: str, body: str) -> bool:
        """Stores an update as it arrived; False if that update_id was stored before.

        Returns once the row is committed: the webhook answers 200 only after this.
        """
        rows = await self._db.write(
            "INSERT INTO inbox (update_id, user_key, body, received_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (update_id) DO NOTHING RETURNING id",
            (update_id, user_key, body, to_text(self._db.clock.now())),
        )
        return bool(rows)

    async def add_many(self, updates: list[tuple[int, str, str]]) -> set[int]:
        """add() of several (update_id, user_key, body) in one statement, ahead of other work
        waiting for the store (Database.write_first); returns the update_ids newly stored.

        One statement is atomic on both engines: all are committed when it returns, or none.
        """
        if not updates:
            return set()
        stamp = to_text(self._db.clock.now())
        rows = await self._db.write_first(
            "INSERT INTO inbox (update_id, user_key, body, received_at) VALUES "
            + ", ".join(["(?, ?, ?, ?)"] * len(updates))
            + " ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
            tuple(value for u in updates for value in (*u, stamp)),
        )
        return {int(r["update_id"]) for r in rows}

    async def claim(self, worker: str, lease: timedelta, limit: int = 10) -> list[InboxItem]:
        """Leases up to `limit` rows to `worker`: for each user, only their oldest open row,
        and only if no live lease holds it (an expired one is taken over).

        One UPDATE … RETURNING under SQLite's write lock: two workers, tasks or processes,
        never both hold a row, and never hold two rows of one user. On PostgreSQL the rows
        are picked FOR UPDATE SKIP LOCKED: a row another worker is claiming right now is
        passed over, not waited for; a user's later row still waits behind the earlier one,
        whose state (pending, or claimed under a live lease) keeps it out.
        """
        if limit <= 0:
            return []
        now = self._db.clock.now()
        stamp = to_text(now)
        rows = await self._db.write(
            f"""
            UPDATE inbox
            SET state = 'claimed', claimed_by = ?, lease_until = ?, attempts = attempts + 1
            WHERE id IN (
                SELECT i.id FROM inbox AS i
                WHERE i.state != 'done'
                  AND (i.state = 'pending' OR i.lease_until <= ?)
                  AND NOT EXISTS (
                      SELECT 1 FROM inbox AS o
                      WHERE o.user_key = i.user_key AND o.id != i.id AND (
                          (o.state != 'done' AND o.update_id < i.update_id)
                          -- a late, lower update_id must not run beside a held later one
                          OR (o.state = 'claimed' AND o.lease_until > ?)
                      )
                  )
                ORDER BY i.update_id
                LIMIT ?{skip_locked(self._db)}
            )
            RETURNING id, update_id, user_key, body, received_at, attempts, claimed_by,
                lease_until
            """,
            (worker, to_text(now + lease), stamp, stamp, limit),
        )
        return sorted((_item(r) for r in rows), key=lambda item: item.update_id)

    async def extend(self, item_id: int, worker: str, lease: timedelta) -> bool:
        """Renews a lease still held (a long update); False if it was lost meanwhile."""
        rows = await self._db.write(
            "UPDATE inbox SET lease_until = ? WHERE id = ? AND claimed_by = ?"
            " AND state = 'claimed' RETURNING id",
            (to_text(self._db.clock.now() + lease), item_id, worker),
        )
        return bool(rows)

    async def complete(self, item_id: int, worker: str, error: str | None = None) -> bool:
        """Marks the row done if `worker` still holds it (False: the lease was lost and the
        update is, or was, someone else's). `error` is an exception class name when the
        update failed for good; never a message (messages can quote personal data)."""
        rows = await self._db.write(
            _COMPLETE + " RETURNING id", (to_text(self._db.clock.now()), error, item_id, worker)
        )
        return bool(rows)

    async def complete_and_look(
        self, item: InboxItem, worker: str, error: str | None = None
    ) -> tuple[bool, bool]:
        """complete(), and in the same statement whether another open row of the item's user
        is stored (stored while it ran, by any process): (completed, one waits behind)."""
        rows = await self._db.write(
            _COMPLETE + " RETURNING id, EXISTS (SELECT 1 FROM inbox AS o WHERE o.user_key = ?"
            " AND o.id != ? AND o.state != 'done') AS behind",
            (to_text(self._db.clock.now()), error, item.id, worker, item.user_key, item.id),
        )
        return bool(rows), bool(rows) and bool(rows[0]["behind"])

    async def release(self, item_id: int, worker: str) -> bool:
        """Gives a held row back at once (a worker shutting down cleanly)."""
        rows = await self._db.write(
            "UPDATE inbox SET state = 'pending', claimed_by = NULL, lease_until = NULL"
            " WHERE id = ? AND claimed_by = ? AND state = 'claimed' RETURNING id",
            (item_id, worker),
        )
        return bool(rows)

    async def prune(self, keep: timedelta = KEEP_DONE) -> int:
        """Deletes done rows older than `keep`; returns how many."""
        cutoff = to_text(self._db.clock.now() - keep)
        rows = await self._db.write(
            "DELETE FROM inbox WHERE state = 'done' AND done_at <= ? RETURNING id", (cutoff,)
        )
        return len(rows)

    async def lag(self) -> InboxLag:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM inbox WHERE state != 'done'"
        )
        assert row is not None
        oldest = row["oldest"]
        return InboxLag(row["n"], from_text(oldest) if oldest is not None else None)

    async def states(self) -> dict[int, str]:
        """update_id → state, for operators and tests."""
        rows = await self._db.fetch_all("SELECT update_id, state FROM inbox ORDER BY update_id")
        return {row["update_id"]: row["state"] for row in rows}

    async def body(self, update_id: int) -> dict[str, Any] | None:
        """The stored update (None once done or never stored)."""
        row = await self._db.fetch_one("SELECT body FROM inbox WHERE update_id = ?", (update_id,))
        if row is None or row["body"] is None:
            return None
        parsed: dict[str, Any] = json.loads(row["body"])
        return parsed
