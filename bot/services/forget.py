"""The right to be forgotten: everything the bot holds about a user, gone."""

from __future__ import annotations

from bot.services.linking import LinkService
from store.users import UserRepository


class ForgetService:
    """Revokes the user's link at the gateway and deletes their rows from every table."""

    def __init__(self, links: LinkService, users: UserRepository) -> None:
        self._links = links
        self._users = users

    async def forget(self, telegram_id: int) -> bool:
        """Erases the user; returns False when the gateway revocation is only owed for now.

        The local erase never waits for the gateway: if it is down, only the opaque link id
        is kept (not who it belonged to) and a background job retries the revocation.
        Every table keyed by the user references users(telegram_id) ON DELETE CASCADE, so
        deleting that row removes the link, guide progress and anything added later.
        """
        link = await self._links.current(telegram_id)
        revoked = True
        if link is not None:
            revoked = await self._links.revoke_or_owe(link.link_id)
        await self._users.delete(telegram_id)
        return revoked
