"""The people who talk to the bot: language, reminders, and whether they blocked it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import cast

from core.types import LANGUAGES
from core.types import Lang as Language
from store.db import Database
from store.dialect import json_ids
from store.engine import Dialect
from store.timestamps import from_text, to_text

_COLUMNS = (
    "telegram_id, language, language_chosen, first_seen, last_seen, blocked_at, reminders, nudges"
)

# New users get the client's language. Existing users follow the client only until they pick
# one with /lang, and only when the client actually told us a language (follow = 1).
_TOUCH = (
    """
INSERT INTO users (telegram_id, language, language_chosen, first_seen, last_seen, blocked_at,
                   reminders)
VALUES (?, ?, 0, ?, ?, NULL, 1)
ON CONFLICT (telegram_id) DO UPDATE SET
    last_seen = excluded.last_seen,
    blocked_at = NULL,
    language = CASE
        WHEN users.language_chosen = 0 AND ? = 1 THEN excluded.language
        ELSE users.language
    END
RETURNING """
    + _COLUMNS
)


@dataclass(frozen=True)
class User:
    """One row of the users table."""

    telegram_id: int
    language: Language
    language_chosen: bool
    first_seen: datetime
    last_seen: datetime
    blocked_at: datetime | None
    reminders: bool
    nudges: bool = True  # the new-record nudge (migration 9), apart from center reminders


def _user(row: sqlite3.Row) -> User:
    return User(
        telegram_id=row["telegram_id"],
        language=cast(Language, row["language"]),
        language_chosen=bool(row["language_chosen"]),
        first_seen=from_text(row["first_seen"]),
        last_seen=from_text(row["last_seen"]),
        blocked_at=from_text(row["blocked_at"]) if row["blocked_at"] is not None else None,
        reminders=bool(row["reminders"]),
        nudges=bool(row["nudges"]),
    )


@dataclass(frozen=True)
class Visit:
    """What an update's handlers read about its sender, as of the update's start: read fresh
    for every update, never kept across updates (another worker may change any of it)."""

    user: User
    staff: bool  # a row in the staff table (admins are the settings', not the store's)
    flow_open: bool  # a row in the flows table (open or expired: the router reads it)
    # Some other staff member (an admin given to visit(), or one on the staff table) who
    # wrote to the bot and did not block it: a question from this user can reach someone.
    staff_reachable: bool


# The user's row (NULLs when new), whether they are staff, whether a flow of theirs is stored,
# and whether a question of theirs could reach a staff member, in one statement: /help, /start
# and the center answers need the last (HelpRequestRepository.reachable_staff says the same),
# and each trip to the store costs more CPU than the query (bench/webhook_cpu.py).
def _visit_sql(dialect: Dialect) -> str:
    return (
        "SELECT "
        + ", ".join(f"u.{c.strip()}" for c in _COLUMNS.split(","))
        + ", EXISTS (SELECT 1 FROM staff AS s WHERE s.telegram_id = ?) AS on_staff"
        + ", EXISTS (SELECT 1 FROM flows AS f WHERE f.telegram_id = ?) AS flow_open"
        + ", (EXISTS (SELECT 1 FROM staff AS s JOIN users AS r ON r.telegram_id = s.telegram_id"
        + " WHERE r.blocked_at IS NULL AND r.telegram_id != ?)"
        + " OR EXISTS (SELECT 1 FROM users AS r WHERE r.blocked_at IS NULL"
        + f" AND r.telegram_id != ? AND r.telegram_id IN ({json_ids(dialect)}))) AS staff_reachable"
        + " FROM (SELECT 1 AS one) AS o LEFT JOIN users AS u ON u.telegram_id = ?"
    )


_VISIT: dict[Dialect, str] = {"sqlite": _visit_sql("sqlite"), "postgres": _visit_sql("postgres")}


# Every update touches its user. Rewriting last_seen each time was the bot's largest store cost
# per update (bench/cpu_per_update.py), and nothing needs it to the second: a known user's row
# is read (never kept: another worker sharing the database may have changed their language,
# settings or blocked state since) and their last_seen is written in one batch at most this
# often (and at close). A crash loses at most this much of last_seen, never a user or a
# setting. The batch only ever moves last_seen forward, so workers' batches never undo each
# other, and a user deleted meanwhile stays deleted (an UPDATE finds no row).
SEEN_FLUSH_EVERY = timedelta(seconds=30)

_FLUSH_SEEN = "UPDATE users SET last_seen = ? WHERE telegram_id = ? AND last_seen < ?"


class UserRepository:
    """Questions and changes about users, one method each.

    One instance per database: it batches the last-seen times of users it has seen. It keeps
    no user in memory: every read goes to the store, which other workers write too.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._unsaved_seen: dict[int, str] = {}
        self._flushed_at = db.clock.now()

    def _now(self) -> str:
        return to_text(self._db.clock.now())

    async def touch(self, telegram_id: int, client_language: Language | None) -> User:
        """Record that the user just wrote: create if new, refresh last_seen, unblock.

        `client_language` is the language their Telegram app suggests (None: it said nothing);
        which app languages map to which bot language is the caller's policy, not the store's.
        """
        _check_language(client_language)
        return await self._touched(await self.get(telegram_id), telegram_id, client_language)

    async def visit(
        self, telegram_id: int, client_language: Language | None, admins: Sequence[int] = ()
    ) -> Visit:
        """touch(), with what every update's handlers read about its sender, in one read
        instead of four trips: whether the staff table holds them, whether a flow is open,
        whether a staff member (or one of `admins`) could receive their question."""
        _check_language(client_language)
        admin_ids = json.dumps(sorted(admins))
        row = await self._db.fetch_one(
            _VISIT[self._db.dialect],
            (telegram_id, telegram_id, telegram_id, telegram_id, admin_ids, telegram_id),
        )
        assert row is not None  # the LEFT JOIN answers one row, the user's columns NULL if new
        known = None if row["telegram_id"] is None else self._with_unsaved(_user(row))
        user = await self._touched(known, telegram_id, client_language)
        return Visit(
            user,
            staff=bool(row["on_staff"]),
            flow_open=bool(row["flow_open"]),
            staff_reachable=bool(row["staff_reachable"]),
        )

    async def _touched(
        self, known: User | None, telegram_id: int, client_language: Language | None
    ) -> User:
        now = self._db.clock.now()
        if known is not None and not _touch_changes(known, client_language):
            # A read, not a write: the visit changes nothing but last_seen, which waits.
            self._unsaved_seen[telegram_id] = to_text(now)
            if now - self._flushed_at >= SEEN_FLUSH_EVERY:
                await self.flush_seen()
            return replace(known, last_seen=max(known.last_seen, now))
        text = to_text(now)
        follow = 1 if client_language else 0
        rows = await self._db.write(
            _TOUCH, (telegram_id, client_language or "ko", text, text, follow)
        )
        self._unsaved_seen.pop(telegram_id, None)
        return _user(rows[0])

    async def touch_read(self, known: User, client_language: Language | None) -> User:
        """touch() for a user the caller has just read in a query of its own (the desk reads
        the row with the caller's role): the same visit without reading them a second time."""
        if client_language is not None and client_language not in LANGUAGES:
            raise ValueError(f"unsupported language {client_language!r}")
        if _touch_changes(known, client_language):
            return await self.touch(known.telegram_id, client_language)  # writes: rare
        now = self._db.clock.now()
        self._unsaved_seen[known.telegram_id] = to_text(now)
        if now - self._flushed_at >= SEEN_FLUSH_EVERY:
            await self.flush_seen()
        return replace(known, last_seen=max(known.last_seen, now))

    async def flush_seen(self) -> int:
        """Writes the last_seen times kept in memory; returns how many users were written."""
        pending, self._unsaved_seen = self._unsaved_seen, {}
        self._flushed_at = self._db.clock.now()
        if not pending:
            return 0
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    # In telegram_id order: two workers flushing the same users lock their
                    # rows in one order, so on PostgreSQL neither waits for the other's
                    # second row while holding its first (a deadlock, 40P01).
                    await tx.executemany(
                        _FLUSH_SEEN, [(at, uid, at) for uid, at in sorted(pending.items())]
                    )
        return len(pending)

    async def get(self, telegram_id: int) -> User | None:
        """The user, or None if they never wrote (or were deleted)."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM users WHERE telegram_id = ?", (telegram_id,)
        )
        return None if row is None else self._with_unsaved(_user(row))

    def _with_unsaved(self, user: User) -> User:
        waiting = self._unsaved_seen.get(user.telegram_id)
        if waiting is not None and from_text(waiting) > user.last_seen:
            # A visit this worker saw and has not written yet.
            return replace(user, last_seen=from_text(waiting))
        return user

    async def set_language(self, telegram_id: int, language: Language) -> bool:
        """Pin the language the user chose with /lang; False if the user is unknown."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
        return await self._update(
            telegram_id,
            "UPDATE users SET language = ?, language_chosen = 1 WHERE telegram_id = ?",
            (language, telegram_id),
        )

    async def set_reminders(self, telegram_id: int, on: bool) -> bool:
        """Turn reminders on or off; False if the user is unknown."""
        return await self._update(
            telegram_id,
            "UPDATE users SET reminders = ? WHERE telegram_id = ?",
            (int(on), telegram_id),
        )

    async def set_nudges(self, telegram_id: int, on: bool) -> bool:
        """Turn the new-record nudge on or off; False if the user is unknown."""
        return await self._update(
            telegram_id,
            "UPDATE users SET nudges = ? WHERE telegram_id = ?",
            (int(on), telegram_id),
        )

    async def mark_blocked(self, telegram_id: int) -> bool:
        """Note that Telegram says the user blocked the bot; False if the user is unknown."""
        # COALESCE keeps the first time we noticed, which is closest to when they blocked.
        return await self._update(
            telegram_id,
            "UPDATE users SET blocked_at = COALESCE(blocked_at, ?) WHERE telegram_id = ?",
            (self._now(), telegram_id),
        )

    async def delete(self, telegram_id: int) -> bool:
        """Forget the user's row; True if there was one."""
        self._unsaved_seen.pop(telegram_id, None)
        return await self._update(
            telegram_id, "DELETE FROM users WHERE telegram_id = ?", (telegram_id,)
        )

    async def count(self) -> int:
        """How many users the bot knows."""
        row = await self._db.fetch_one("SELECT COUNT(*) AS n FROM users")
        return int(row["n"]) if row is not None else 0

    async def _update(self, telegram_id: int, sql: str, params: tuple[object, ...]) -> bool:
        return bool(await self._db.write(sql + " RETURNING telegram_id", params))


def _check_language(client_language: Language | None) -> None:
    if client_language is not None and client_language not in LANGUAGES:
        raise ValueError(f"unsupported language {client_language!r}")


def _touch_changes(known: User, client_language: Language | None) -> bool:
    """True when a visit changes more than last_seen: it unblocks, or the language follows."""
    if known.blocked_at is not None:
        return True
    return (
        not known.language_chosen
        and client_language is not None
        and client_language != known.language
    )
