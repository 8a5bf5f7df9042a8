"""Volunteers' questions to the center and the staff messages that carry them (migrations 12, 21).

Who asked, when, whether and when it was answered or expired, and the (chat, message) of
every copy the bot sent to staff. The question's text is kept only while the request waits:
it is cleared once the answer reached the volunteer, or at expiry.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from store.db import Database, Snapshot
from store.dialect import json_ids
from store.rate_limits import latest_in, record_in
from store.timestamps import from_text, to_text


@dataclass(frozen=True)
class HelpRequest:
    id: int
    telegram_id: int  # the volunteer who asked
    created_at: datetime
    answered_at: datetime | None
    answered_by: int | None
    question: str | None = None  # kept while the request waits (None in older rows)
    expires_at: datetime | None = None
    expired_at: datetime | None = None


@dataclass(frozen=True)
class Copy:
    chat_id: int
    message_id: int


_COLUMNS = "id, telegram_id, created_at, answered_at, answered_by, question, expires_at, expired_at"
# Open means unanswered and delivered to staff: a request whose copies never went out (a crash
# between the insert and the sends) can never be answered, so it counts for nothing but the
# time of the user's latest request.
_OPEN = (
    "answered_at IS NULL AND expired_at IS NULL"
    " AND EXISTS (SELECT 1 FROM help_request_copies c WHERE c.request_id = help_requests.id)"
)
# Requests staff could still answer (open_count(); the desk reads it inside its lists' query).
OPEN_COUNT = (
    f"SELECT COUNT(*) AS n FROM help_requests WHERE {_OPEN}"
    " AND telegram_id NOT IN (SELECT telegram_id FROM users WHERE blocked_at IS NOT NULL)"
)
_STANDING = (
    f"SELECT COALESCE(SUM(CASE WHEN {_OPEN} THEN 1 ELSE 0 END), 0) AS open,"
    " MAX(created_at) AS latest"
    " FROM help_requests WHERE telegram_id = ?"
)


def _time(text: str | None) -> datetime | None:
    return from_text(text) if text is not None else None


def _request(r: sqlite3.Row) -> HelpRequest:
    return HelpRequest(
        id=r["id"],
        telegram_id=r["telegram_id"],
        created_at=from_text(r["created_at"]),
        answered_at=_time(r["answered_at"]),
        answered_by=r["answered_by"],
        question=r["question"],
        expires_at=_time(r["expires_at"]),
        expired_at=_time(r["expired_at"]),
    )


async def _standing(
    view: Snapshot, telegram_id: int, subject: bytes
) -> tuple[int, datetime | None]:
    """(open requests, time of the latest request): the latest also from the abuse counters,
    which /forget does not delete (store/rate_limits.py), so forgetting does not reset it."""
    row = await view.fetch_one(_STANDING, (telegram_id,))
    assert row is not None
    open_count = int(row["open"] or 0)
    latest = from_text(row["latest"]) if row["latest"] is not None else None
    counted = await latest_in(view, "help.request", subject)
    if counted is not None and (latest is None or counted > latest):
        latest = counted
    return open_count, latest


class HelpRequestRepository:
    """Help requests and their staff copies, one method per question or change."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def open_if_allowed(
        self,
        telegram_id: int,
        subject: bytes,
        now: datetime,
        *,
        question: str,
        expires_at: datetime,
        max_open: int,
        not_since: datetime,
    ) -> tuple[HelpRequest | None, int, datetime | None]:
        """Creates a request unless the user has `max_open` open ones or asked after `not_since`.

        `subject` is the user's keyed hash (store/keyed.py): the request is also counted there.
        Returns (the new request or None, the user's open count before, their latest request
        time). Checked and written in one transaction, so two quick taps cannot both pass.
        """
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    open_count, latest = await _standing(tx, telegram_id, subject)
                    if open_count >= max_open or (latest is not None and latest > not_since):
                        return None, open_count, latest
                    await record_in(tx, [("help.request", subject)], now)
                    created = await tx.fetch_one(
                        "INSERT INTO help_requests (telegram_id, created_at, question, expires_at)"
                        f" VALUES (?, ?, ?, ?) RETURNING {_COLUMNS}",
                        (telegram_id, to_text(now), question, to_text(expires_at)),
                    )
                    assert created is not None
                    return _request(created), open_count, latest
        raise AssertionError("attempts() raises once it stops trying")

    async def standing(self, telegram_id: int, subject: bytes) -> tuple[int, datetime | None]:
        """(open requests, time of the latest request) of this volunteer."""
        async with self._db.snapshot() as snap:
            return await _standing(snap, telegram_id, subject)

    async def add_copies(self, request_id: int, copies: list[Copy]) -> None:
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    await tx.executemany(
                        "INSERT INTO help_request_copies (chat_id, message_id, request_id)"
                        " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        [(c.chat_id, c.message_id, request_id) for c in copies],
                    )

    async def by_copy(self, chat_id: int, message_id: int) -> HelpRequest | None:
        """The request a staff message carries, if it is one of the copies."""
        row = await self._db.fetch_one(
            f"SELECT {', '.join('r.' + c for c in _COLUMNS.split(', '))}"
            " FROM help_request_copies c JOIN help_requests r ON r.id = c.request_id"
            " WHERE c.chat_id = ? AND c.message_id = ?",
            (chat_id, message_id),
        )
        return _request(row) if row is not None else None

    async def close(self, request_id: int, answered_by: int, now: datetime) -> bool:
        """Marks the request answered; False if someone answered it first, or it expired."""
        rows = await self._db.write(
            "UPDATE help_requests SET answered_at = ?, answered_by = ?"
            " WHERE id = ? AND answered_at IS NULL AND expired_at IS NULL RETURNING id",
            (to_text(now), answered_by, request_id),
        )
        return bool(rows)

    async def reopen(self, request_id: int, answered_by: int) -> None:
        """Undoes `close` when the answer could not be delivered."""
        await self._db.write(
            "UPDATE help_requests SET answered_at = NULL, answered_by = NULL"
            " WHERE id = ? AND answered_by = ?",
            (request_id, answered_by),
        )

    async def copies(self, request_id: int) -> list[Copy]:
        rows = await self._db.fetch_all(
            "SELECT chat_id, message_id FROM help_request_copies WHERE request_id = ?"
            " ORDER BY chat_id",
            (request_id,),
        )
        return [Copy(r["chat_id"], r["message_id"]) for r in rows]

    async def open_count(self) -> int:
        """Requests staff could still answer: not those of a volunteer who blocked the bot
        (an answer cannot reach them; they count again once they write again)."""
        row = await self._db.fetch_one(OPEN_COUNT)
        return int(row["n"]) if row is not None else 0

    async def drop_question(self, request_id: int) -> None:
        """The answer reached the volunteer: the question's text is no longer needed."""
        await self._db.write(
            "UPDATE help_requests SET question = NULL WHERE id = ? AND answered_at IS NOT NULL",
            (request_id,),
        )

    async def expire(self, telegram_id: int, now: datetime) -> list[HelpRequest]:
        """Closes this volunteer's unanswered requests whose time is up, clearing their text
        (and any answered one's left by a crash); returns those expired now, each once."""
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    await tx.execute(
                        "UPDATE help_requests SET question = NULL"
                        " WHERE telegram_id = ? AND answered_at IS NOT"
                        " NULL AND question IS NOT NULL",
                        (telegram_id,),
                    )
                    rows = await tx.fetch_all(
                        "UPDATE help_requests SET expired_at = ?, question = NULL"
                        " WHERE telegram_id = ? AND answered_at IS NULL AND expired_at IS NULL"
                        f" AND expires_at IS NOT NULL AND expires_at <= ? RETURNING {_COLUMNS}",
                        (to_text(now), telegram_id, to_text(now)),
                    )
        return sorted((_request(r) for r in rows), key=lambda r: r.id)

    async def next_expiry(self, telegram_id: int) -> datetime | None:
        """When this volunteer's next waiting request expires, if one waits."""
        row = await self._db.fetch_one(
            "SELECT MIN(expires_at) AS at FROM help_requests WHERE telegram_id = ?"
            " AND answered_at IS NULL AND expired_at IS NULL AND expires_at IS NOT NULL",
            (telegram_id,),
        )
        return _time(row["at"]) if row is not None else None

    async def undelivered(self, telegram_id: int) -> list[HelpRequest]:
        """This volunteer's waiting questions that no staff member has a copy of yet."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM help_requests WHERE telegram_id = ?"
            " AND answered_at IS NULL AND expired_at IS NULL AND question IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM help_request_copies c"
            " WHERE c.request_id = help_requests.id) ORDER BY id",
            (telegram_id,),
        )
        return [_request(r) for r in rows]

    async def reachable_staff(self, admins: list[int]) -> list[int]:
        """reachable() of the admins and everyone on the staff table, in one statement (the
        /help of every volunteer asks it)."""
        rows = await self._db.fetch_all(
            "SELECT telegram_id FROM users WHERE blocked_at IS NULL AND (telegram_id IN"
            f" ({json_ids(self._db.dialect)}) OR telegram_id IN (SELECT telegram_id FROM staff))"
            " ORDER BY telegram_id",
            (json.dumps(admins),),
        )
        return [int(r["telegram_id"]) for r in rows]

    async def reachable(self, candidates: list[int]) -> list[int]:
        """Those of these chats a message can reach: they wrote to the bot and did not block it
        (Telegram refuses a first message to a chat, and one to a user who blocked the bot)."""
        rows = await self._db.fetch_all(
            "SELECT telegram_id FROM users WHERE blocked_at IS NULL"
            f" AND telegram_id IN ({json_ids(self._db.dialect)}) ORDER BY telegram_id",
            (json.dumps(candidates),),
        )
        return [int(r["telegram_id"]) for r in rows]
