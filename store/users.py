"""The people who talk to the bot: language, reminders, and whether they blocked it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from core.types import LANGUAGES
from core.types import Lang as Language
from store.db import Database
from store.timestamps import from_text, to_text

_COLUMNS = "telegram_id, language, language_chosen, first_seen, last_seen, blocked_at, reminders"

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


def _user(row: sqlite3.Row) -> User:
    return User(
        telegram_id=row["telegram_id"],
        language=cast(Language, row["language"]),
        language_chosen=bool(row["language_chosen"]),
        first_seen=from_text(row["first_seen"]),
        last_seen=from_text(row["last_seen"]),
        blocked_at=from_text(row["blocked_at"]) if row["blocked_at"] is not None else None,
        reminders=bool(row["reminders"]),
    )


class UserRepository:
    """Questions and changes about users, one method each."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _now(self) -> str:
        return to_text(self._db.clock.now())

    async def touch(self, telegram_id: int, client_language: Language | None) -> User:
        """Record that the user just wrote: create if new, refresh last_seen, unblock.

        `client_language` is the language their Telegram app suggests (None: it said nothing);
        which app languages map to which bot language is the caller's policy, not the store's.
        """
        if client_language is not None and client_language not in LANGUAGES:
            raise ValueError(f"unsupported language {client_language!r}")
        now = self._now()
        follow = 1 if client_language else 0
        rows = await self._db.write(
            _TOUCH, (telegram_id, client_language or "ko", now, now, follow)
        )
        return _user(rows[0])

    async def get(self, telegram_id: int) -> User | None:
        """The user, or None if they never wrote (or were deleted)."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM users WHERE telegram_id = ?", (telegram_id,)
        )
        return _user(row) if row is not None else None

    async def set_language(self, telegram_id: int, language: Language) -> bool:
        """Pin the language the user chose with /lang; False if the user is unknown."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
        return await self._update(
            "UPDATE users SET language = ?, language_chosen = 1 WHERE telegram_id = ?",
            (language, telegram_id),
        )

    async def set_reminders(self, telegram_id: int, on: bool) -> bool:
        """Turn reminders on or off; False if the user is unknown."""
        return await self._update(
            "UPDATE users SET reminders = ? WHERE telegram_id = ?", (int(on), telegram_id)
        )

    async def mark_blocked(self, telegram_id: int) -> bool:
        """Note that Telegram says the user blocked the bot; False if the user is unknown."""
        # COALESCE keeps the first time we noticed, which is closest to when they blocked.
        return await self._update(
            "UPDATE users SET blocked_at = COALESCE(blocked_at, ?) WHERE telegram_id = ?",
            (self._now(), telegram_id),
        )

    async def delete(self, telegram_id: int) -> bool:
        """Forget the user's row; True if there was one."""
        return await self._update("DELETE FROM users WHERE telegram_id = ?", (telegram_id,))

    async def count(self) -> int:
        """How many users the bot knows."""
        row = await self._db.fetch_one("SELECT COUNT(*) AS n FROM users")
        return int(row["n"]) if row is not None else 0

    async def _update(self, sql: str, params: tuple[object, ...]) -> bool:
        return bool(await self._db.write(sql + " RETURNING telegram_id", params))
