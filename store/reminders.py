"""Scheduled reminders: their schedule, audience and text, and their one due-work item each.

An active reminder has exactly one 'reminder.fire' item (key = the reminder id) due at its next
run; every change of state writes the row and its item in one transaction, so a paused or
deleted reminder has no item left and a resumed one has its item again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast

from core.types import Lang
from store.broadcasts import Segment
from store.db import Database, Transaction
from store.due_work import DueWorkRepository
from store.timestamps import from_text, from_text_or_none, to_text, to_text_or_none

FIRE_REMINDER = "reminder.fire"  # due work, key = the reminder id

Repeat = Literal["monthly", "weekly", "once"]
ReminderState = Literal["active", "paused", "done"]
# Why a run was skipped: missed by over a day (the bot was down), or nobody in its audience.
SkipReason = Literal["late", "empty"]


@dataclass(frozen=True)
class Schedule:
    """When a reminder runs, in the bot's time zone: monthly on `day` (1–31), weekly on `day`
    (0 = Monday … 6 = Sunday), both at hour:minute; or once at `once_at`."""

    repeat: Repeat
    day: int | None = None
    hour: int = 0
    minute: int = 0
    once_at: datetime | None = None


@dataclass(frozen=True)
class ReminderRow:
    id: int
    created_by: int | None
    created_at: datetime
    schedule: Schedule
    segment: Segment
    language: Lang | None
    text_ko: str
    text_en: str | None
    state: ReminderState
    next_run_at: datetime | None
    last_run_at: datetime | None
    skipped_run_at: datetime | None = None  # the last run skipped, due then
    skip_reason: SkipReason | None = None  # why (set with skipped_run_at)


_COLUMNS = (
    "id, created_by, created_at, repeat, day, at_time, once_at, segment, language, text_ko,"
    " text_en, state, next_run_at, last_run_at, skipped_run_at, skip_reason"
)


def _reminder(row: sqlite3.Row) -> ReminderRow:
    hour, minute = (int(p) for p in (row["at_time"] or "00:00").split(":"))
    return ReminderRow(
        id=row["id"],
        created_by=row["created_by"],
        created_at=from_text(row["created_at"]),
        schedule=Schedule(
            cast(Repeat, row["repeat"]), row["day"], hour, minute, from_text_or_none(row["once_at"])
        ),
        segment=cast(Segment, row["segment"]),
        language=cast(Lang | None, row["language"]),
        text_ko=row["text_ko"],
        text_en=row["text_en"],
        state=cast(ReminderState, row["state"]),
        next_run_at=from_text_or_none(row["next_run_at"]),
        last_run_at=from_text_or_none(row["last_run_at"]),
        skipped_run_at=from_text_or_none(row["skipped_run_at"]),
        skip_reason=cast(SkipReason | None, row["skip_reason"]),
    )


async def _schedule_fire(tx: Transaction, reminder_id: int, run_at: datetime) -> None:
    await DueWorkRepository.schedule_in(
        tx, FIRE_REMINDER, str(reminder_id), {"run_at": to_text(run_at)}, run_at
    )


async def _drop_fire(tx: Transaction, reminder_id: int) -> None:
    # The item belongs to this table's row: it goes in the same transaction as the change.
    await DueWorkRepository.cancel_in(tx, FIRE_REMINDER, str(reminder_id))


class ReminderRepository:
    """The reminders table and each reminder's due-work item; SQL only."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        created_by: int | None,
        schedule: Schedule,
        segment: Segment,
        language: Lang | None,
        text_ko: str,
        text_en: str | None,
        next_run_at: datetime,
    ) -> int:
        """Stores an active reminder and its first due-work item, atomically."""
        at_time = f"{schedule.hour:02d}:{schedule.minute:02d}"
        once_at = to_text_or_none(schedule.once_at)
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    row = await tx.fetch_one(
                        "INSERT INTO reminders (created_by, created_at,"
                        " repeat, day, at_time, once_at,"
                        " segment, language, text_ko, text_en, state, next_run_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?) RETURNING id",
                        (
                            created_by,
                            to_text(self._db.clock.now()),
                            schedule.repeat,
                            schedule.day,
                            at_time,
                            once_at,
                            segment,
                            language,
                            text_ko,
                            text_en,
                            to_text(next_run_at),
                        ),
                    )
                    assert row is not None
                    reminder_id = int(row["id"])
                    await _schedule_fire(tx, reminder_id, next_run_at)
        return reminder_id

    async def get(self, reminder_id: int) -> ReminderRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM reminders WHERE id = ?", (reminder_id,)
        )
        return _reminder(row) if row is not None else None

    async def list(self) -> list[ReminderRow]:
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM reminders ORDER BY id")
        return [_reminder(r) for r in rows]

    async def count(self) -> int:
        row = await self._db.fetch_one("SELECT COUNT(*) AS n FROM reminders")
        return int(row["n"]) if row is not None else 0

    async def pause(self, reminder_id: int) -> bool:
        """Active → paused, its item dropped; False if it was not active."""
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    changed = await tx.execute(
                        "UPDATE reminders SET state = 'paused', next_run_at = NULL"
                        " WHERE id = ? AND state = 'active'",
                        (reminder_id,),
                    )
                    if changed:
                        await _drop_fire(tx, reminder_id)
        return bool(changed)

    async def resume(self, reminder_id: int, next_run_at: datetime) -> bool:
        """Paused → active with its item due at `next_run_at`; False if it was not paused."""
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    changed = await tx.execute(
                        "UPDATE reminders SET state = 'active', next_run_at = ?"
                        " WHERE id = ? AND state = 'paused'",
                        (to_text(next_run_at), reminder_id),
                    )
                    if changed:
                        await _schedule_fire(tx, reminder_id, next_run_at)
        return bool(changed)

    async def delete(self, reminder_id: int) -> bool:
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    deleted = await tx.execute("DELETE FROM reminders WHERE id = ?", (reminder_id,))
                    await _drop_fire(tx, reminder_id)
        return bool(deleted)

    async def advance(
        self,
        reminder_id: int,
        *,
        ran_at: datetime | None,
        next_run_at: datetime | None,
        skipped_at: datetime | None = None,
        skip_reason: SkipReason = "late",
    ) -> None:
        """After a run (or a skipped one, due at `skipped_at`, for `skip_reason`): the next
        run and its item, or done when none."""
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    changed = await tx.execute(
                        "UPDATE reminders SET next_run_at = ?,"
                        " last_run_at = COALESCE(?, last_run_at),"
                        " skipped_run_at = COALESCE(?, skipped_run_at),"
                        " skip_reason = CASE WHEN CAST(? AS TEXT) IS NULL"
                        " THEN skip_reason ELSE ? END,"
                        # CAST: a bare parameter tested only for NULL has no type on PostgreSQL.
                        " state = CASE WHEN CAST(? AS TEXT) IS NULL THEN 'done' ELSE state END"
                        " WHERE id = ? AND state = 'active'",
                        (
                            to_text_or_none(next_run_at),
                            to_text_or_none(ran_at),
                            to_text_or_none(skipped_at),
                            to_text_or_none(skipped_at),
                            skip_reason,
                            to_text_or_none(next_run_at),
                            reminder_id,
                        ),
                    )
                    # Paused or deleted while it ran: no item comes back.
                    if changed and next_run_at is not None:
                        await _schedule_fire(tx, reminder_id, next_run_at)

    async def launched_since(self, reminder_id: int, since: datetime) -> bool:
        """True if this reminder already started a broadcast at or after `since` (a run that
        launched, then was killed before it could schedule the next one)."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM broadcasts WHERE reminder_id = ? AND created_at >= ? LIMIT 1",
            (reminder_id, to_text(since)),
        )
        return row is not None
