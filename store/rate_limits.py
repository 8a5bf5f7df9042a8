"""Abuse counters that survive /forget: when an account (or an account asking about one VMS
ID) asked for a code, typed a wrong one or asked the center a question.

Rows hold a keyed hash (store/keyed.py), an event kind and a time: no Telegram id, no VMS ID,
no foreign key to `users`, so deleting a user does not reset them. Every write first drops
rows older than KEEP (what /privacy promises); no window counts back further than that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from store import keyed
from store.db import Database, Snapshot, Transaction
from store.timestamps import from_text, to_text

KEEP = timedelta(days=1)
# Every write of the counters holds one advisory lock on PostgreSQL (READ COMMITTED under it):
# a take counts the bot-wide cap across all accounts, so two takes by any two volunteers
# read what the other writes, and SERIALIZABLE would fail one of them instead of waiting.
# SQLite's BEGIN IMMEDIATE already runs them one at a time.
_LOCK = "rate_events"

EventKind = Literal[
    "link.request",  # a code request, per account (all of them together: the bot-wide cap)
    "link.request.id",  # the same request, per account and VMS ID
    "link.wrong",  # a wrong code, per account
    "link.wrong.id",  # the same wrong code, per account and VMS ID
    "help.request",  # a question to the center, per account
]


@dataclass(frozen=True)
class Limit:
    """At most `most` events of `kind` by `subject` in any `window`; subject None: by anyone."""

    kind: EventKind
    subject: bytes | None
    most: int
    window: timedelta


@dataclass(frozen=True)
class Standing:
    left: int  # events still allowed now (0 or less: refused)
    free_at: datetime | None  # when one more is allowed again, if none is now


@dataclass(frozen=True)
class Refused:
    limit: Limit
    free_at: datetime


async def standing_in(view: Snapshot, limit: Limit, now: datetime) -> Standing:
    """How much of `limit` is left at `now`, read in an open transaction or snapshot."""
    where = "kind = ? AND at > ?" + ("" if limit.subject is None else " AND subject = ?")
    params: tuple[object, ...] = (limit.kind, to_text(now - limit.window))
    if limit.subject is not None:
        params += (limit.subject,)
    # Newest first, only as many as the limit allows: the last one read is the one whose
    # leaving the window frees a place.
    rows = await view.fetch_all(
        f"SELECT at FROM rate_events WHERE {where} ORDER BY at DESC LIMIT ?",
        (*params, limit.most),
    )
    left = limit.most - len(rows)
    free_at = from_text(rows[-1]["at"]) + limit.window if left <= 0 else None
    return Standing(left, free_at)


async def latest_in(view: Snapshot, kind: EventKind, subject: bytes) -> datetime | None:
    row = await view.fetch_one(
        "SELECT MAX(at) AS at FROM rate_events WHERE kind = ? AND subject = ?", (kind, subject)
    )
    return from_text(row["at"]) if row is not None and row["at"] is not None else None


async def record_in(
    tx: Transaction, events: Sequence[tuple[EventKind, bytes]], now: datetime
) -> list[int]:
    """Stores the events at `now` after dropping every row older than KEEP; their row ids."""
    await tx.execute("DELETE FROM rate_events WHERE at < ?", (to_text(now - KEEP),))
    ids: list[int] = []
    for kind, subject in events:
        row = await tx.fetch_one(
            "INSERT INTO rate_events (subject, kind, at) VALUES (?, ?, ?) RETURNING id",
            (subject, kind, to_text(now)),
        )
        assert row is not None
        ids.append(int(row["id"]))
    return ids


class RateLimits:
    """The counters, and the installation secret their keys are made with."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._secret: bytes | None = None

    async def _key(self) -> bytes:
        if self._secret is None:
            row = await self._db.fetch_one(
                "SELECT value FROM installation WHERE name = ?", (keyed.SECRET_NAME,)
            )
            if row is None:  # migration 16 made it; a missing one is a damaged database
                raise RuntimeError("the installation secret is missing from the database")
            self._secret = bytes(row["value"])
        return self._secret

    async def account(self, telegram_id: int) -> bytes:
        return keyed.account_key(await self._key(), telegram_id)

    async def account_and_id(self, telegram_id: int, vms_id: str) -> bytes:
        return keyed.account_and_id_key(await self._key(), telegram_id, vms_id)

    async def take(
        self, limits: Sequence[Limit], events: Sequence[tuple[EventKind, bytes]]
    ) -> Refused | list[int]:
        """Records the events if every limit has room, all in one transaction (two taps at
        once cannot both pass); else the first limit without room. Ids are for `release`."""
        now = self._db.clock.now()
        async with self._db.transaction(lock=_LOCK) as tx:
            for limit in limits:
                standing = await standing_in(tx, limit, now)
                if standing.free_at is not None:
                    return Refused(limit, standing.free_at)
            return await record_in(tx, events, now)

    async def release(self, ids: Sequence[int]) -> None:
        """Gives back what `take` recorded for something that did not happen after all."""
        async with self._db.transaction(lock=_LOCK) as tx:
            await tx.executemany("DELETE FROM rate_events WHERE id = ?", [(i,) for i in ids])

    async def record(self, events: Sequence[tuple[EventKind, bytes]]) -> None:
        async with self._db.transaction(lock=_LOCK) as tx:
            await record_in(tx, events, self._db.clock.now())

    async def standing(self, limit: Limit) -> Standing:
        async with self._db.snapshot() as snap:
            return await standing_in(snap, limit, self._db.clock.now())
