"""What the bot last learned from the gateway about each linked volunteer (migration 21).

Staff segments count from here (store/broadcasts.py). Every gateway read that learns a
volunteer's consents or unsent and failed records writes it, with the time, so the counts are
as fresh as the bot's last contact with VMS for that volunteer, not its last /status. A row
belongs to one link: facts of an earlier link are replaced, never mixed in.
"""

from __future__ import annotations

from datetime import datetime

from store.db import Database
from store.dialect import greatest
from store.timestamps import to_text

# A row for another link is started afresh: none of its facts are about this member.
_FRESH_LINK = (
    "INSERT INTO volunteer_facts (telegram_id, link_id) SELECT ?, ?"
    " WHERE EXISTS (SELECT 1 FROM users WHERE telegram_id = ?)"
    " ON CONFLICT (telegram_id) DO UPDATE SET link_id = excluded.link_id,"
    " consent_1365 = NULL, consent_vms = NULL, consents_at = NULL,"
    " unsent = NULL, resendable_failed = NULL, records_at = NULL"
    " WHERE volunteer_facts.link_id <> excluded.link_id"
)


class VolunteerFactsRepository:
    """One method per thing the bot learns about a linked volunteer."""

    def __init__(self, db: Database) -> None:
        # Read-then-write blocks hold a per-user advisory lock on PostgreSQL (READ COMMITTED
        # under it): many users at once on several workers made SERIALIZABLE fail some.
        self._db = db

    async def consents(
        self, telegram_id: int, link_id: str, agreed_1365: bool, agreed_vms: bool, at: datetime
    ) -> None:
        """Both consents as the gateway stated them at `at`."""
        async with self._db.transaction(lock=f"facts:{telegram_id}") as tx:
            await tx.execute(_FRESH_LINK, (telegram_id, link_id, telegram_id))
            await tx.execute(
                "UPDATE volunteer_facts SET consent_1365 = ?, consent_vms = ?, consents_at = ?"
                " WHERE telegram_id = ? AND link_id = ?",
                (int(agreed_1365), int(agreed_vms), to_text(at), telegram_id, link_id),
            )

    async def records(
        self,
        telegram_id: int,
        link_id: str,
        at: datetime,
        *,
        unsent: int,
        resendable_failed: int | None,
    ) -> None:
        """Unsent records (and failed ones sending again can help, when that was read too)."""
        async with self._db.transaction(lock=f"facts:{telegram_id}") as tx:
            await tx.execute(_FRESH_LINK, (telegram_id, link_id, telegram_id))
            await tx.execute(
                "UPDATE volunteer_facts SET unsent = ?,"
                " resendable_failed = COALESCE(?, resendable_failed), records_at = ?"
                " WHERE telegram_id = ? AND link_id = ?",
                (unsent, resendable_failed, to_text(at), telegram_id, link_id),
            )

    async def sent(
        self, telegram_id: int, link_id: str, at: datetime, *, unsent: int, failed: int
    ) -> None:
        """A send the gateway accepted took this many unsent and failed records off."""
        d = self._db.dialect
        await self._db.write(
            f"UPDATE volunteer_facts SET unsent = {greatest(d, '0', 'unsent - ?')},"
            f" resendable_failed = {greatest(d, '0', 'resendable_failed - ?')}, records_at = ?"
            " WHERE telegram_id = ? AND link_id = ?",
            (unsent, failed, to_text(at), telegram_id, link_id),
        )

    async def failed_again(
        self, telegram_id: int, link_id: str, at: datetime, *, at_least: int
    ) -> None:
        """A send's results: at least this many records failed and may be sent again.
        (At least: a result told twice after a crash must not count its failures twice.)"""
        await self._db.write(
            "UPDATE volunteer_facts SET resendable_failed ="
            f" {greatest(self._db.dialect, 'COALESCE(resendable_failed, 0)', '?')},"
            " records_at = ? WHERE telegram_id = ? AND link_id = ?",
            (at_least, to_text(at), telegram_id, link_id),
        )
