"""Who the bot is talking to: first and last seen, language, reminders, blocked."""

from __future__ import annotations

from collections.abc import Sequence

from core.types import LANGUAGES, Lang, language_from_client
from store.users import User, UserRepository, Visit

__all__ = ["UserService", "Visit"]


class UserService:
    """Use-cases about the user record; no Telegram types here."""

    def __init__(self, repository: UserRepository, admins: Sequence[int] = ()) -> None:
        """`admins`: ADMIN_TELEGRAM_IDS, who receive questions like the staff table's members."""
        self._users = repository
        self._admins = tuple(admins)

    async def seen(self, telegram_id: int, client_language: str | None) -> User:
        """Record that the user wrote to us and return their current record."""
        suggested = language_from_client(client_language) if client_language else None
        return await self._users.touch(telegram_id, suggested)

    async def seen_read(self, user: User, client_language: str | None) -> User:
        """seen() for a user just read with something else (the desk's caller): no second
        read of their row."""
        suggested = language_from_client(client_language) if client_language else None
        return await self._users.touch_read(user, suggested)

    @staticmethod
    def language(user: User, client_language: str | None) -> Lang:
        """language_of() for a user already read."""
        if user.language in LANGUAGES:
            return user.language
        return language_from_client(client_language)

    async def visit(self, telegram_id: int, client_language: str | None) -> Visit:
        """seen(), with whether the user is on the staff table, has a flow stored and could
        reach a staff member with a question, read in the same trip to the store (for the
        update that is starting; never kept)."""
        suggested = language_from_client(client_language) if client_language else None
        return await self._users.visit(telegram_id, suggested, self._admins)

    async def flush_seen(self) -> int:
        """Saves the last-seen times kept in memory (at shutdown, and every half minute)."""
        return await self._users.flush_seen()

    async def get(self, telegram_id: int) -> User | None:
        return await self._users.get(telegram_id)

    async def language_of(self, telegram_id: int, client_language: str | None) -> Lang:
        """The user's language, without recording a visit."""
        user = await self._users.get(telegram_id)
        if user is not None and user.language in LANGUAGES:
            return user.language  # type: ignore[return-value]
        return language_from_client(client_language)

    async def choose_language(self, telegram_id: int, language: str) -> Lang:
        """Remember an explicit language choice; unknown codes are refused."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        await self._users.set_language(telegram_id, language)
        return language  # type: ignore[return-value]

    async def set_reminders(self, telegram_id: int, on: bool) -> None:
        await self._users.set_reminders(telegram_id, on)

    async def blocked_us(self, telegram_id: int) -> None:
        """Telegram said this user blocked the bot: stop counting them as reachable."""
        await self._users.mark_blocked(telegram_id)
