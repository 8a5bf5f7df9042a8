"""Work that is due at a time: scheduled once, claimed under a lease, retried, or given up.

Lifecycle of one row (kind, key):
  schedule()  → pending, runnable from next_try_at (= due_at)
  claim_due() → leased to one worker until claimed_until; attempts += 1
  complete()  → row deleted
  fail()      → lease released, runnable again from the next_try the caller chose
  give_up()   → kept with given_up_at set, never claimed again (until scheduled anew)
A worker killed between claim and complete leaves a lease that simply expires, and the item
is claimed again: handlers must be idempotent. Every time is the caller's injectable clock.

Work about one user is scheduled with schedule_for_user(): keyed by their Telegram id and
naming them in `telegram_id`, which references users ON DELETE CASCADE, so /forget takes
every such item with the user row, whatever its kind; and it is inserted only while the user
exists, in the same statement, so a run still in flight when /forget came cannot bring it
back. Work about anything else is keyed by that thing's own id and names no user.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from store.db import Database, Transaction
from store.engine import skip_locked
from store.timestamps import from_text, to_text

_COLUMNS = (
    "id, kind, key, payload, revision, due_at, next_try_at, attempts, "
    "claim_token, claimed_until, last_error, given_up_at"
)


@dataclass(frozen=True)
class Claim:
    """Proof that a worker holds an item: its lease token and the revision it claimed."""

    token: str
    revision: int


@dataclass(frozen=True)
class DueItem:
    """One row of due work as the store holds it."""

    id: int
    kind: str
    key: str
    payload: dict[str, Any]
    due_at: datetime
    next_try_at: datetime
    # Claims so far, the current one included: a run killed mid-way still counts.
    attempts: int
    claim: Claim | None
    claimed_until: datetime | None
    last_error: str | None
    given_up_at: datetime | None


@dataclass(frozen=True)
class DueBacklog:
    """Work due and not yet done: how many items, and since when the oldest has waited."""

    due: int
    oldest_due_at: datetime | None

    def seconds(self, now: datetime) -> float:
        if self.oldest_due_at is None:
            return 0.0
        return max(0.0, (now - self.oldest_due_at).total_seconds())


def _cancel(kind: str, key: str) -> tuple[str, tuple[str, str]]:
    return "DELETE FROM due_work WHERE kind = ? AND key = ? RETURNING id", (kind, key)


def _optional_time(text: str | None) -> datetime | None:
    return from_text(text) if text is not None else None


def _item(row: sqlite3.Row) -> DueItem:
    # By the columns' exact names: a sqlite3.Row would answer to any spelling of them.
    fields = dict(row)
    token = fields["claim_token"]
    return DueItem(
        id=fields["id"],
        kind=fields["kind"],
        key=fields["key"],
        payload=json.loads(fields["payload"]),
        due_at=from_text(fields["due_at"]),
        next_try_at=from_text(fields["next_try_at"]),
        attempts=fields["attempts"],
        claim=Claim(token, fields["revision"]) if token is not None else None,
        claimed_until=_optional_time(fields["claimed_until"]),
        last_error=fields["last_error"],
        given_up_at=_optional_time(fields["given_up_at"]),
    )


_SCHEDULE = """
INSERT INTO due_work (kind, key, payload, due_at, next_try_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (kind, key) DO UPDATE SET
    payload = excluded.payload,
    due_at = excluded.due_at,
    next_try_at = excluded.next_try_at,
    revision = due_work.revision + 1,
    attempts = 0,
    last_error = NULL,
    given_up_at = NULL
"""


# The same upsert, for one user's work: the SELECT yields no row once the user is gone.
# (Its WHERE also keeps SQLite from reading ON CONFLICT as part of the SELECT.)
_SCHEDULE_FOR_USER = """
INSERT INTO due_work (kind, key, payload, due_at, next_try_at, telegram_id)
SELECT ?, ?, ?, ?, ?, ?
WHERE EXISTS (SELECT 1 FROM users WHERE telegram_id = ?)
ON CONFLICT (kind, key) DO UPDATE SET
    payload = excluded.payload,
    due_at = excluded.due_at,
    next_try_at = excluded.next_try_at,
    telegram_id = excluded.telegram_id,
    revision = due_work.revision + 1,
    attempts = 0,
    last_error = NULL,
    given_up_at = NULL
RETURNING id
"""


def _body(payload: Mapping[str, Any] | None) -> str:
    """A payload as stored: the same payload is always the same text, Korean left readable."""
    return json.dumps(dict(payload or {}), sort_keys=True, ensure_ascii=False)


def _schedule(
    kind: str, key: str, payload: Mapping[str, Any] | None, due_at: datetime
) -> tuple[str, tuple[object, ...]]:
    when = to_text(due_at)
    return _SCHEDULE, (kind, key, _body(payload), when, when)


class DueWorkRepository:
    """The due_work table; SQL only, no retry policy (that is the poller's)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def schedule(
        self,
        kind: str,
        key: str,
        payload: Mapping[str, Any] | None = None,
        *,
        due_at: datetime | None = None,
    ) -> None:
        """Upsert: the same (kind, key) again is the same row, now due at `due_at` (default:
        now) with this payload and fresh attempts; a given-up item comes back to life.

        A run holding the old revision keeps its lease but can no longer complete the row,
        so work re-scheduled while it runs is not lost.
        """
        await self._db.write(*_schedule(kind, key, payload, due_at or self._db.clock.now()))

    async def schedule_for_user(
        self,
        kind: str,
        telegram_id: int,
        payload: Mapping[str, Any] | None = None,
        *,
        due_at: datetime,
    ) -> bool:
        """schedule() for work about one user (key = their Telegram id), only while the user
        exists; False (nothing written) once they are gone."""
        when = to_text(due_at)
        rows = await self._db.write(
            _SCHEDULE_FOR_USER,
            (kind, str(telegram_id), _body(payload), when, when, telegram_id, telegram_id),
        )
        return bool(rows)

    @staticmethod
    async def schedule_in(
        tx: Transaction, kind: str, key: str, payload: Mapping[str, Any], due_at: datetime
    ) -> None:
        """schedule() inside a caller's transaction: the work exists iff the rest committed."""
        await tx.execute(*_schedule(kind, key, payload, due_at))

    async def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[DueItem]:
        """Leases up to `limit` items runnable at `now` (expired leases included) to one new
        claim token, oldest first.

        One UPDATE … RETURNING: SQLite runs it under its write lock, so two workers (tasks or
        processes) can never both claim an item while its lease lasts. On PostgreSQL the rows
        are picked FOR UPDATE SKIP LOCKED: a worker passes over rows another is claiming
        instead of waiting for it and then finding them taken.
        """
        if limit < 1:  # also never a negative LIMIT, which SQLite reads as "no limit"
            return []
        stamp = to_text(now)
        rows = await self._db.write(
            f"""
            UPDATE due_work
            SET claim_token = ?, claimed_until = ?, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM due_work
                WHERE given_up_at IS NULL
                  AND next_try_at <= ?
                  AND (claimed_until IS NULL OR claimed_until <= ?)
                ORDER BY next_try_at, id
                LIMIT ?{skip_locked(self._db)}
            )
            RETURNING {_COLUMNS}
            """,
            (secrets.token_hex(16), to_text(now + lease), stamp, stamp, limit),
        )
        return sorted((_item(r) for r in rows), key=lambda i: (i.next_try_at, i.id))

    async def complete(self, item_id: int, claim: Claim) -> bool:
        """Deletes the item if this claim still holds it; False if the lease was lost or the
        work was re-scheduled meanwhile (then only the lease is released).

        Each statement's WHERE names the claim and revision, so READ COMMITTED suffices: a
        concurrent re-schedule makes the DELETE match nothing, and the lease is released.
        """
        async with self._db.transaction(isolation="read_committed") as tx:
            done = await tx.fetch_all(
                "DELETE FROM due_work WHERE id = ? AND claim_token = ? AND revision = ? "
                "RETURNING id",
                (item_id, claim.token, claim.revision),
            )
            if not done:
                await tx.execute(_RELEASE, (item_id, claim.token))
        return bool(done)

    async def fail(self, item_id: int, claim: Claim, next_try: datetime, error: str) -> bool:
        """Releases the lease and makes the item runnable again from `next_try`; `error` is an
        exception class name (never a message: messages can quote personal data)."""
        rows = await self._db.write(
            """
            UPDATE due_work SET
                next_try_at = CASE WHEN revision = ? THEN ? ELSE next_try_at END,
                last_error = CASE WHEN revision = ? THEN ? ELSE last_error END,
                claim_token = NULL,
                claimed_until = NULL
            WHERE id = ? AND claim_token = ?
            RETURNING revision
            """,
            (claim.revision, to_text(next_try), claim.revision, error, item_id, claim.token),
        )
        return bool(rows) and rows[0][0] == claim.revision  # RETURNING revision

    async def give_up(self, item_id: int, claim: Claim, error: str | None) -> bool:
        """Marks the item given up (kept for the operator to see); only the lease is released
        if the work was re-scheduled meanwhile."""
        now = to_text(self._db.clock.now())
        rows = await self._db.write(
            """
            UPDATE due_work SET
                given_up_at = CASE WHEN revision = ? THEN ? ELSE NULL END,
                last_error = CASE WHEN revision = ? THEN ? ELSE last_error END,
                claim_token = NULL,
                claimed_until = NULL
            WHERE id = ? AND claim_token = ?
            RETURNING revision
            """,
            (claim.revision, now, claim.revision, error, item_id, claim.token),
        )
        return bool(rows) and rows[0][0] == claim.revision  # RETURNING revision

    async def cancel(self, kind: str, key: str) -> bool:
        """Drops the item, whatever its state; True if there was one. A run holding it can no
        longer complete it (nothing is left to complete), so its work must be idempotent."""
        rows = await self._db.write(*_cancel(kind, key))
        return bool(rows)

    @staticmethod
    async def cancel_in(tx: Transaction, kind: str, key: str) -> None:
        """cancel() inside a caller's transaction: the item goes iff the rest committed."""
        await tx.execute(*_cancel(kind, key))

    async def get(self, kind: str, key: str) -> DueItem | None:
        """The item for (kind, key), whatever its state."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM due_work WHERE kind = ? AND key = ?", (kind, key)
        )
        return _item(row) if row is not None else None

    async def backlog(self, now: datetime) -> DueBacklog:
        """Items due by `now` and not yet done (running ones included), for /metrics."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*), MIN(next_try_at) FROM due_work"
            " WHERE given_up_at IS NULL AND next_try_at <= ?",
            (to_text(now),),
        )
        assert row is not None
        n, oldest = row[0], row[1]
        return DueBacklog(n, from_text(oldest) if oldest is not None else None)

    async def all(self, kind: str | None = None) -> list[DueItem]:
        """Every item (of one kind), soonest first: for operators and tests."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM due_work WHERE CAST(? AS TEXT) IS NULL OR kind = ?"
            " ORDER BY next_try_at, id",
            (kind, kind),
        )
        return [_item(r) for r in rows]


_RELEASE = (
    "UPDATE due_work SET claim_token = NULL, claimed_until = NULL WHERE id = ? AND claim_token = ?"
)
