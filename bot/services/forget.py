"""The right to be forgotten: everything the bot holds about a user, gone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.services.linking import LinkService
from store.db import Database
from store.users import UserRepository
from store.wal import TRUNCATE_WAL as TRUNCATE_WAL  # the kind, for handlers/privacy.py
from store.wal import WalTruncation


class ForgetService:
    """Revokes the user's link at the gateway and deletes their rows from every table."""

    def __init__(
        self,
        links: LinkService,
        users: UserRepository,
        db: Database,
    ) -> None:
        self._links = links
        self._users = users
        self._wal = WalTruncation(db)

    async def forget(self, telegram_id: int) -> bool:
        """Erases the user; returns False when the gateway revocation is only owed for now.

        The local erase never waits for the gateway: if it is down, only the opaque link id
        is kept (not who it belonged to) as due work that retries the revocation.
        Every table keyed by the user references users(telegram_id) ON DELETE CASCADE, so
        deleting that row removes the link, guide progress and anything added later.
        secure_delete zeroes the rows in the main file; the checkpoint then empties the WAL,
        which still holds the pages as they were before the delete (if a reader holds it, due
        work empties it once the reader is gone).
        """
        link = await self._links.current(telegram_id)
        revoked = True
        if link is not None:
            revoked = await self._links.revoke_or_owe(link.link_id)
        await self._users.delete(telegram_id)
        await self._wal.truncate_or_owe()
        return revoked

    async def truncate_owed(self, key: str, payload: dict[str, Any]) -> None:
        """TRUNCATE_WAL's due work (declared by handlers/privacy.py): raises while a reader
        still holds the WAL, so it is retried."""
        await self._wal.run_owed(key, payload)


# How long a /forget prompt's "yes" erases. The button carries the moment it was offered
# (forget_stamp): pressed later, after a relink, a new staff role or new reminders, it would
# erase things the volunteer never saw in that prompt, so it erases nothing. A time rather
# than the link's hash: it covers everything /forget erases, not only the link, and needs no
# storage (a stored token would be one more thing about the user to erase). A forged stamp
# can only erase the presser's own data, which /forget lets them do anyway.
FORGET_PROMPT_LIFETIME = timedelta(minutes=15)


def forget_stamp(now: datetime) -> str:
    """The moment a /forget prompt is offered, for its buttons (whole seconds)."""
    return str(int(now.timestamp()))


def forget_prompt_fresh(stamp: str, now: datetime) -> bool:
    """Whether a prompt offered at `stamp` may still erase; an unstamped (older) one may not."""
    if not stamp.isdigit() or len(stamp) > 12:
        return False
    age = now.timestamp() - int(stamp)
    return 0 <= age <= FORGET_PROMPT_LIFETIME.total_seconds()
