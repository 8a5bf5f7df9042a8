"""Which VMS member each Telegram user proved to be (owed revocations are due work)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from store.db import Database
from store.timestamps import from_text, to_text

_COLUMNS = "telegram_id, link_id, vms_id, id_1365_masked, linked_at"


@dataclass(frozen=True)
class LinkRow:
    """One Telegram user's link to one VMS member."""

    telegram_id: int
    link_id: str
    vms_id: str
    id_1365_masked: str | None
    linked_at: datetime


def _row(row: sqlite3.Row) -> LinkRow:
    return LinkRow(
        telegram_id=row["telegram_id"],
        link_id=row["link_id"],
        vms_id=row["vms_id"],
        id_1365_masked=row["id_1365_masked"],
        linked_at=from_text(row["linked_at"]),
    )


@dataclass(frozen=True)
class SavedLink:
    """The new link and whatever links it replaced (this user's old one, another user's)."""

    link: LinkRow
    replaced: list[LinkRow]


class LinkRepository:
    """One method per question about links."""

    def __init__(self, db: Database, gateway: str | None = None) -> None:
        self._db = db
        # Stamped on every link saved: which gateway made it ('sandbox' or a URL's origin).
        self._gateway = gateway

    async def get(self, telegram_id: int) -> LinkRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM links WHERE telegram_id = ?", (telegram_id,)
        )
        return _row(row) if row is not None else None

    async def save(
        self, telegram_id: int, link_id: str, vms_id: str, id_1365_masked: str | None
    ) -> SavedLink:
        """Stores the link, replacing this user's previous one and any other user's link to
        the same member, in one transaction (one member, one Telegram account).

        Under one advisory lock on PostgreSQL: the read of either user's or member's link
        then the replace would otherwise fail with SerializationError when volunteers link at
        the same moment on several workers; a link is saved once per /link, so one at a time
        costs nothing."""
        now = to_text(self._db.clock.now())
        async with self._db.transaction(lock="links") as tx:
            old = await tx.fetch_all(
                f"SELECT {_COLUMNS} FROM links WHERE telegram_id = ? OR vms_id = ?",
                (telegram_id, vms_id),
            )
            await tx.execute(
                "DELETE FROM links WHERE telegram_id = ? OR vms_id = ?", (telegram_id, vms_id)
            )
            rows = await tx.fetch_all(
                f"INSERT INTO links ({_COLUMNS}, gateway) VALUES (?, ?, ?, ?, ?, ?)"
                f" RETURNING {_COLUMNS}",
                (telegram_id, link_id, vms_id, id_1365_masked, now, self._gateway),
            )
        return SavedLink(_row(rows[0]), [_row(r) for r in old if r["link_id"] != link_id])

    async def reachable_without_work(self, kind: str) -> list[tuple[int, str]]:
        """(telegram id, link id) of linked users who want new-record notices, have not blocked
        the bot, and have no due work of this kind (keyed by their Telegram id)."""
        rows = await self._db.fetch_all(
            """
            SELECT l.telegram_id, l.link_id FROM links AS l
            JOIN users AS u ON u.telegram_id = l.telegram_id
            WHERE u.nudges = 1 AND u.blocked_at IS NULL
              AND NOT EXISTS (
                SELECT 1 FROM due_work AS w
                WHERE w.kind = ? AND w.key = CAST(l.telegram_id AS TEXT)
              )
            """,
            (kind,),
        )
        return [(int(r["telegram_id"]), str(r["link_id"])) for r in rows]

    async def update_masked_1365(self, telegram_id: int, id_1365_masked: str | None) -> None:
        await self._db.write(
            "UPDATE links SET id_1365_masked = ? WHERE telegram_id = ?",
            (id_1365_masked, telegram_id),
        )

    async def delete(self, telegram_id: int) -> LinkRow | None:
        """Removes the user's link; returns what was removed."""
        rows = await self._db.write(
            f"DELETE FROM links WHERE telegram_id = ? RETURNING {_COLUMNS}", (telegram_id,)
        )
        return _row(rows[0]) if rows else None

    async def delete_if_current(self, telegram_id: int, link_id: str) -> bool:
        """Removes the link only if it is still this one (the gateway said it is gone)."""
        rows = await self._db.write(
            "DELETE FROM links WHERE telegram_id = ? AND link_id = ? RETURNING link_id",
            (telegram_id, link_id),
        )
        return bool(rows)
