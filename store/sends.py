"""Sends to 1365: the hourly claim taken before the gateway call, and each transmission after it.

Lifecycle of one row:
  claim()    → 'claimed': the user's one open send; nothing else may start for them
  release()  → row deleted: the gateway surely did not accept it (the hour is not used up)
  accepted() → 'accepted' with the gateway's transmission id and `created_at`
  reported() → 'reported': the result message went out (visible_at: when 1365 shows it)
  done()     → 'done': the "look on 1365 now" message went out too
  lost()     → 'done' with an empty transmission id: a claim whose link is gone, so whether
               the gateway took it can never be asked (kept, never released: it may have)
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from store.db import Database
from store.due_work import DueWorkRepository
from store.timestamps import from_text, to_text

_COLUMNS = (
    "id, telegram_id, idempotency_key, link_id, record_ids, state, claimed_at, "
    "transmission_id, accepted_at, visible_at, succeeded"
)


@dataclass(frozen=True)
class SendRow:
    id: int
    telegram_id: int
    idempotency_key: str
    link_id: str
    record_ids: list[str] | None
    state: str
    claimed_at: datetime
    transmission_id: str | None
    accepted_at: datetime | None
    visible_at: datetime | None
    succeeded: int | None  # records that reached 1365, once the result is told


@dataclass(frozen=True)
class FollowUp:
    """A due item to schedule in the same commit as a state change."""

    kind: str
    key: str
    payload: dict[str, Any]
    due_at: datetime


@dataclass(frozen=True)
class Claimed:
    """The claim is ours: call the gateway now."""

    send: SendRow


@dataclass(frozen=True)
class Existing:
    """This very confirmation was claimed before (a double tap, a redelivered update)."""

    send: SendRow


@dataclass(frozen=True)
class Busy:
    """Another send of this user is under way or its outcome is still being settled."""


@dataclass(frozen=True)
class Waiting:
    """The hour is not over: the next send is possible from `until`."""

    until: datetime


ClaimResult = Claimed | Existing | Busy | Waiting


def _time(text: str | None) -> datetime | None:
    return from_text(text) if text is not None else None


def _row(row: sqlite3.Row) -> SendRow:
    ids = row["record_ids"]
    return SendRow(
        id=row["id"],
        telegram_id=row["telegram_id"],
        idempotency_key=row["idempotency_key"],
        link_id=row["link_id"],
        record_ids=json.loads(ids) if ids is not None else None,
        state=row["state"],
        claimed_at=from_text(row["claimed_at"]),
        transmission_id=row["transmission_id"],
        accepted_at=_time(row["accepted_at"]),
        visible_at=_time(row["visible_at"]),
        succeeded=row["succeeded"],
    )


class SendRepository:
    """The sends and send_waits tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(
        self,
        telegram_id: int,
        idempotency_key: str,
        link_id: str,
        record_ids: list[str] | None,
        *,
        now: datetime,
        cooldown: timedelta,
    ) -> ClaimResult:
        """Takes the user's send for this hour, in one IMMEDIATE transaction.

        The write lock is held from the first read, so two presses (two devices, two bot
        processes) can never both see "free" and both insert. On PostgreSQL the lock is this
        user's alone: other users' claims go on meanwhile.
        """
        async with self._db.transaction(lock=f"send:{telegram_id}") as tx:
            same = await tx.fetch_one(
                f"SELECT {_COLUMNS} FROM sends WHERE idempotency_key = ?", (idempotency_key,)
            )
            if same is not None:
                return Existing(_row(same))
            open_claim = await tx.fetch_one(
                "SELECT 1 FROM sends WHERE telegram_id = ? AND state = 'claimed'", (telegram_id,)
            )
            if open_claim is not None:
                return Busy()
            last = await tx.fetch_one(
                "SELECT MAX(accepted_at) AS last FROM sends WHERE telegram_id = ?",
                (telegram_id,),
            )
            until = _time(last["last"]) if last is not None else None
            until = until + cooldown if until is not None else None
            wait = await tx.fetch_one(
                "SELECT not_before FROM send_waits WHERE telegram_id = ?", (telegram_id,)
            )
            if wait is not None:
                not_before = from_text(wait["not_before"])
                until = max(until, not_before) if until is not None else not_before
            if until is not None and until > now:
                return Waiting(until)
            rows = await tx.fetch_all(
                f"""
                INSERT INTO sends (telegram_id, idempotency_key, link_id, record_ids, state,
                                   claimed_at)
                VALUES (?, ?, ?, ?, 'claimed', ?)
                RETURNING {_COLUMNS}
                """,
                (
                    telegram_id,
                    idempotency_key,
                    link_id,
                    json.dumps(record_ids) if record_ids is not None else None,
                    to_text(now),
                ),
            )
            return Claimed(_row(rows[0]))

    async def release(self, send_id: int) -> bool:
        """Drops a claim the gateway surely did not accept; False if it was no claim."""
        rows = await self._db.write(
            "DELETE FROM sends WHERE id = ? AND state = 'claimed' RETURNING id", (send_id,)
        )
        return bool(rows)

    async def accepted(self, send_id: int, transmission_id: str, created_at: datetime) -> None:
        """The gateway accepted the send (its id and its own time); a repeat changes nothing."""
        await self._db.write(
            "UPDATE sends SET state = 'accepted', transmission_id = ?, accepted_at = ? "
            "WHERE id = ? AND state = 'claimed'",
            (transmission_id, to_text(created_at), send_id),
        )

    async def reported(
        self,
        send_id: int,
        visible_at: datetime | None,
        succeeded: int,
        follow_up: FollowUp | None = None,
    ) -> None:
        """The result is told: the state and its follow-up item in one commit.

        Called right after Telegram's answer, so the mark is the first statement and the only
        commit there (README: delivery rules); the follow-up is scheduled only by the run that
        marked it, never by a late repeat.
        """
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    marked = await tx.execute(
                        "UPDATE sends SET state = 'reported', visible_at = ?, succeeded = ? "
                        "WHERE id = ? AND state = 'accepted'",
                        (
                            to_text(visible_at) if visible_at is not None else None,
                            succeeded,
                            send_id,
                        ),
                    )
                    if marked and follow_up is not None:
                        await DueWorkRepository.schedule_in(
                            tx, follow_up.kind, follow_up.key, follow_up.payload, follow_up.due_at
                        )

    async def lost(self, send_id: int) -> bool:
        """Closes a claim whose outcome can no longer be learned; False if it was no claim.

        Not released: releasing means "surely not accepted". No accepted_at either, so /stats
        does not count it and the hour rests on the gateway's own word (its 429).
        """
        rows = await self._db.write(
            "UPDATE sends SET state = 'done', transmission_id = '' "
            "WHERE id = ? AND state = 'claimed' RETURNING id",
            (send_id,),
        )
        return bool(rows)

    async def done(self, send_id: int) -> None:
        await self._db.write(
            "UPDATE sends SET state = 'done' WHERE id = ? AND state = 'reported'", (send_id,)
        )

    async def get(self, send_id: int) -> SendRow | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM sends WHERE id = ?", (send_id,))
        return _row(row) if row is not None else None

    async def open_claim(self, telegram_id: int) -> SendRow | None:
        """The user's send whose outcome is not known yet, if any."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM sends WHERE telegram_id = ? AND state = 'claimed'",
            (telegram_id,),
        )
        return _row(row) if row is not None else None

    async def in_flight(self, telegram_id: int) -> bool:
        """Whether a send of this user may still reach 1365 without its result told yet."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM sends WHERE telegram_id = ? AND state IN ('claimed', 'accepted')",
            (telegram_id,),
        )
        return row is not None

    async def open_claims(self) -> list[SendRow]:
        """Every send whose outcome is not known yet (at start-up, to settle them)."""
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM sends WHERE state = 'claimed'")
        return [_row(r) for r in rows]

    async def wait_until(self, telegram_id: int, not_before: datetime) -> None:
        """Keeps the gateway's word (429 Retry-After) on when this user may send next."""
        await self._db.write(
            """
            INSERT INTO send_waits (telegram_id, not_before) VALUES (?, ?)
            ON CONFLICT (telegram_id) DO UPDATE SET
                not_before = CASE WHEN excluded.not_before > send_waits.not_before
                    THEN excluded.not_before ELSE send_waits.not_before END
            """,
            (telegram_id, to_text(not_before)),
        )

    async def next_allowed(
        self, telegram_id: int, cooldown: timedelta
    ) -> tuple[bool, datetime | None]:
        """(a claim is open, the earliest time of the next send as far as the store knows)."""
        row = await self._db.fetch_one(
            """
            SELECT
                EXISTS (SELECT 1 FROM sends WHERE telegram_id = ? AND state = 'claimed') AS busy,
                (SELECT MAX(accepted_at) FROM sends WHERE telegram_id = ?) AS last,
                (SELECT not_before FROM send_waits WHERE telegram_id = ?) AS wait
            """,
            (telegram_id, telegram_id, telegram_id),
        )
        assert row is not None
        times = []
        if row["last"] is not None:
            times.append(from_text(row["last"]) + cooldown)
        if row["wait"] is not None:
            times.append(from_text(row["wait"]))
        return bool(row["busy"]), max(times) if times else None
