"""What /status last fetched from the gateway for each user, with the time it was fetched."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from store.db import Database
from store.timestamps import from_text, to_text

_RECORD_COLUMNS = (
    "position, ref, record_id, activity_date, host, activity, minutes, kind, status, sent_at,"
    " reason_code, reason_message, visible_on_1365_at"
)


# NEIS counts whole hours: a record under one hour does not show there.
NEIS_MINUTES = 60


def _lock(telegram_id: int) -> str:
    """One user's cache is written by one transaction at a time, under an advisory lock on
    PostgreSQL (READ COMMITTED under it): many users' /status on several workers at once made
    SERIALIZABLE fail some of them (index pages shared by different users' rows)."""
    return f"status:{telegram_id}"


@dataclass(frozen=True)
class RecordLine:
    """One record as /status fetched it and views show it: the one type from the store up.

    bot/services/status.py makes it from the gateway's record (`line_of`); this module alone
    turns it into a row and back (`_row`, `_record`).
    """

    ref: str  # a short handle for buttons (bot/services/status.py: ref_of)
    record_id: str  # the gateway's opaque id
    activity_date: date
    host: str
    activity: str
    minutes: int
    kind: str
    status: str
    sent_at: datetime | None
    reason_code: str | None
    reason_message: str | None
    visible_on_1365_at: datetime | None

    @property
    def under_an_hour(self) -> bool:
        return self.minutes < NEIS_MINUTES


@dataclass(frozen=True)
class CachedStatus:
    """A user's cached summary: None when nothing was ever fetched for this link."""

    link_id: str
    summary: str | None
    fetched_at: datetime | None
    tried_at: datetime


def _time(text: str | None) -> datetime | None:
    return None if text is None else from_text(text)


def _record(row: sqlite3.Row) -> RecordLine:
    return RecordLine(
        ref=row["ref"],
        record_id=row["record_id"],
        activity_date=date.fromisoformat(row["activity_date"]),
        host=row["host"],
        activity=row["activity"],
        minutes=row["minutes"],
        kind=row["kind"],
        status=row["status"],
        sent_at=_time(row["sent_at"]),
        reason_code=row["reason_code"],
        reason_message=row["reason_message"],
        visible_on_1365_at=_time(row["visible_on_1365_at"]),
    )


def _row(telegram_id: int, position: int, r: RecordLine) -> tuple[object, ...]:
    """The row of one record, in _RECORD_COLUMNS' order after the telegram_id."""
    return (
        telegram_id,
        position,
        r.ref,
        r.record_id,
        r.activity_date.isoformat(),
        r.host,
        r.activity,
        r.minutes,
        r.kind,
        r.status,
        None if r.sent_at is None else to_text(r.sent_at),
        r.reason_code,
        r.reason_message,
        None if r.visible_on_1365_at is None else to_text(r.visible_on_1365_at),
    )


class StatusCacheRepository:
    """One method per question about the status cache."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, telegram_id: int) -> CachedStatus | None:
        row = await self._db.fetch_one(
            "SELECT link_id, summary, fetched_at, tried_at FROM status_cache WHERE telegram_id = ?",
            (telegram_id,),
        )
        if row is None:
            return None
        return CachedStatus(
            link_id=row["link_id"],
            summary=row["summary"],
            fetched_at=_time(row["fetched_at"]),
            tried_at=from_text(row["tried_at"]),
        )

    async def tried(self, telegram_id: int, link_id: str, at: datetime) -> None:
        """Notes an attempt to fetch (kept even when the gateway fails, for the refresh limit).

        A cache of another link (the user linked another member since) is dropped, so an old
        member's data never shows under the new link.
        """
        async with self._db.transaction(lock=_lock(telegram_id)) as tx:
            await tx.execute(
                "DELETE FROM status_records WHERE telegram_id = ? AND EXISTS (SELECT 1 FROM"
                " status_cache WHERE telegram_id = ? AND link_id != ?)",
                (telegram_id, telegram_id, link_id),
            )
            await tx.execute(
                "INSERT INTO status_cache (telegram_id, link_id, tried_at) VALUES (?, ?, ?)"
                " ON CONFLICT (telegram_id) DO UPDATE SET tried_at = excluded.tried_at,"
                # Qualified: on PostgreSQL a bare link_id could be either row's.
                " summary = CASE WHEN status_cache.link_id = excluded.link_id"
                " THEN status_cache.summary END,"
                " fetched_at = CASE WHEN status_cache.link_id = excluded.link_id"
                " THEN status_cache.fetched_at END,"
                " link_id = excluded.link_id",
                (telegram_id, link_id, to_text(at)),
            )

    async def save(
        self,
        telegram_id: int,
        link_id: str,
        summary: str,
        records: Sequence[RecordLine],
        fetched_at: datetime,
    ) -> None:
        """Replaces the user's cache with what was just fetched, in one transaction."""
        stamp = to_text(fetched_at)
        async with self._db.transaction(lock=_lock(telegram_id)) as tx:
            await tx.execute("DELETE FROM status_records WHERE telegram_id = ?", (telegram_id,))
            await tx.executemany(
                f"INSERT INTO status_records (telegram_id, {_RECORD_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                # Positions keep the gateway's order for the list's pages.
                [_row(telegram_id, n, r) for n, r in enumerate(records)],
            )
            await tx.execute(
                "INSERT INTO status_cache (telegram_id, link_id,"
                " summary, fetched_at, tried_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET"
                " link_id = excluded.link_id, summary = excluded.summary,"
                " fetched_at = excluded.fetched_at, tried_at = excluded.tried_at",
                (telegram_id, link_id, summary, stamp, stamp),
            )

    async def page(
        self, telegram_id: int, status: str | None, offset: int, limit: int
    ) -> tuple[list[RecordLine], int]:
        """One page of cached records in the gateway's order, and how many match in all."""
        where = "telegram_id = ?" + (" AND status = ?" if status else "")
        params: tuple[object, ...] = (telegram_id, status) if status else (telegram_id,)
        total = await self._db.fetch_one(
            f"SELECT COUNT(*) AS n FROM status_records WHERE {where}", params
        )
        rows = await self._db.fetch_all(
            f"SELECT {_RECORD_COLUMNS} FROM status_records WHERE {where}"
            " ORDER BY position LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_record(r) for r in rows], (total["n"] if total else 0)

    async def record(self, telegram_id: int, ref: str) -> RecordLine | None:
        """This user's cached record with this ref; another user's ref finds nothing."""
        row = await self._db.fetch_one(
            f"SELECT {_RECORD_COLUMNS} FROM status_records WHERE telegram_id = ? AND ref = ?",
            (telegram_id, ref),
        )
        return _record(row) if row is not None else None

    async def records_by_id(self, telegram_id: int, record_ids: list[str]) -> list[RecordLine]:
        """This user's cached records with these gateway ids, in the gateway's order."""
        if not record_ids:
            return []
        marks = ", ".join("?" for _ in record_ids)
        rows = await self._db.fetch_all(
            f"SELECT {_RECORD_COLUMNS} FROM status_records"
            f" WHERE telegram_id = ? AND record_id IN ({marks}) ORDER BY position",
            (telegram_id, *record_ids),
        )
        return [_record(r) for r in rows]

    async def drop(self, telegram_id: int) -> None:
        """Forgets the cache (the user unlinked)."""
        async with self._db.transaction(lock=_lock(telegram_id)) as tx:
            await tx.execute("DELETE FROM status_records WHERE telegram_id = ?", (telegram_id,))
            await tx.execute("DELETE FROM status_cache WHERE telegram_id = ?", (telegram_id,))
