"""Guide mode: what a volunteer said about their last send on VMS, and what 1365 showed them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.db import Database
from store.timestamps import from_text, to_text


@dataclass(frozen=True)
class SelfReport:
    """The volunteer's own word: never checked against VMS or 1365."""

    telegram_id: int
    sent_at: datetime
    seen_on_1365: bool | None  # None: not answered yet
    answered_at: datetime | None


class SelfReportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, telegram_id: int) -> SelfReport | None:
        row = await self._db.fetch_one(
            "SELECT telegram_id, sent_at, seen_on_1365, answered_at FROM self_reports"
            " WHERE telegram_id = ?",
            (telegram_id,),
        )
        if row is None:
            return None
        seen = row["seen_on_1365"]
        answered = row["answered_at"]
        return SelfReport(
            telegram_id=row["telegram_id"],
            sent_at=from_text(row["sent_at"]),
            seen_on_1365=None if seen is None else bool(seen),
            answered_at=None if answered is None else from_text(answered),
        )

    async def sent(self, telegram_id: int, at: datetime) -> None:
        """A new send: the earlier answer about 1365 no longer holds."""
        await self._db.write(
            """
            INSERT INTO self_reports (telegram_id, sent_at) VALUES (?, ?)
            ON CONFLICT (telegram_id) DO UPDATE SET
                sent_at = excluded.sent_at, seen_on_1365 = NULL, answered_at = NULL
            """,
            (telegram_id, to_text(at)),
        )

    async def answer(self, telegram_id: int, seen: bool, at: datetime) -> bool:
        """Records whether 1365 shows the send; False when there is no send waiting for an
        answer (none reported, or answered already: a second tap changes nothing)."""
        rows = await self._db.write(
            "UPDATE self_reports SET seen_on_1365 = ?, answered_at = ?"
            " WHERE telegram_id = ? AND seen_on_1365 IS NULL RETURNING telegram_id",
            (int(seen), to_text(at), telegram_id),
        )
        return bool(rows)
