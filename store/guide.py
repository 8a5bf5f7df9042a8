"""Where each volunteer stands in the /howto consent guide, so it survives restarts and pauses."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, cast

from core.types import Site
from store.db import Database
from store.timestamps import from_text, to_text

Stage = Literal["1365", "vms", "done"]
# 'self': the volunteer said they did it; 'confirmed': the gateway showed the consent.
Mark = Literal["unknown", "self", "confirmed"]

_COLUMNS = (
    "telegram_id, token, previous_token, message_id, stage, step, consent_1365, agreed_1365_on, "
    "consent_vms, agreed_vms_on, updated_at"
)


@dataclass(frozen=True)
class SiteConsent:
    """What the guide knows about the consent on one site."""

    mark: Mark = "unknown"
    agreed_on: date | None = None


@dataclass(frozen=True)
class GuideProgress:
    """One volunteer's row of guide_progress."""

    telegram_id: int
    token: str
    previous_token: str | None  # the message this one replaced
    message_id: int | None  # the message showing `token`, once it is sent
    stage: Stage
    step: int
    consent_1365: SiteConsent
    consent_vms: SiteConsent
    updated_at: datetime

    def consent(self, site: Site) -> SiteConsent:
        return self.consent_1365 if site == "1365" else self.consent_vms


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def _date_text(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _row(row: sqlite3.Row) -> GuideProgress:
    return GuideProgress(
        telegram_id=row["telegram_id"],
        token=row["token"],
        previous_token=row["previous_token"],
        message_id=row["message_id"],
        stage=cast(Stage, row["stage"]),
        step=row["step"],
        consent_1365=SiteConsent(cast(Mark, row["consent_1365"]), _date(row["agreed_1365_on"])),
        consent_vms=SiteConsent(cast(Mark, row["consent_vms"]), _date(row["agreed_vms_on"])),
        updated_at=from_text(row["updated_at"]),
    )


class GuideRepository:
    """One method per question about guide progress; changes check the token they act for."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _now(self) -> str:
        return to_text(self._db.clock.now())

    async def get(self, telegram_id: int) -> GuideProgress | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM guide_progress WHERE telegram_id = ?", (telegram_id,)
        )
        return _row(row) if row is not None else None

    async def begin(
        self,
        telegram_id: int,
        token: str,
        stage: Stage,
        step: int,
        consent_1365: SiteConsent,
        consent_vms: SiteConsent,
    ) -> int | None:
        """Starts (or restarts) the guide under a new token; returns the message it replaces."""
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    old = await tx.fetch_one(
                        "SELECT token, message_id FROM guide_progress WHERE telegram_id = ?",
                        (telegram_id,),
                    )
                    await tx.execute(
                        f"""
                        INSERT INTO guide_progress ({_COLUMNS})
                        VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (telegram_id) DO UPDATE SET
                            token = excluded.token, previous_token = excluded.previous_token,
                            message_id = NULL, stage = excluded.stage,
                            step = excluded.step, consent_1365 = excluded.consent_1365,
                            agreed_1365_on = excluded.agreed_1365_on,
                            consent_vms = excluded.consent_vms,
                            agreed_vms_on = excluded.agreed_vms_on,
                            updated_at = excluded.updated_at
                        """,
                        (
                            telegram_id,
                            token,
                            old["token"] if old is not None else None,
                            stage,
                            step,
                            consent_1365.mark,
                            _date_text(consent_1365.agreed_on),
                            consent_vms.mark,
                            _date_text(consent_vms.agreed_on),
                            self._now(),
                        ),
                    )
        return old["message_id"] if old is not None else None

    async def shown(self, telegram_id: int, token: str, message_id: int) -> bool:
        """Notes which Telegram message now shows the guide of this token."""
        return await self._update(
            "UPDATE guide_progress SET message_id = ? WHERE telegram_id = ? AND token = ?",
            (message_id, telegram_id, token),
        )

    async def move(self, telegram_id: int, token: str, stage: Stage, step: int) -> bool:
        """Stores the step the volunteer is looking at; False if the token is not current."""
        return await self._update(
            "UPDATE guide_progress SET stage = ?, step = ?, updated_at = ? "
            "WHERE telegram_id = ? AND token = ?",
            (stage, step, self._now(), telegram_id, token),
        )

    async def hand_over(
        self, telegram_id: int, token: str, new_token: str, stage: Stage, step: int
    ) -> bool:
        """Moves the guide to a new message (the next site's, or a fresh copy) at this place."""
        return await self._update(
            "UPDATE guide_progress SET token = ?, previous_token = token, message_id = NULL, "
            "stage = ?, step = ?, updated_at = ? WHERE telegram_id = ? AND token = ?",
            (new_token, stage, step, self._now(), telegram_id, token),
        )

    async def record_consent(
        self, telegram_id: int, token: str, site: Site, consent: SiteConsent
    ) -> bool:
        """Keeps what is known about one site's consent; False if the token is not current."""
        # Column names come from the closed Site type, never from input.
        mark_column, date_column = (
            ("consent_1365", "agreed_1365_on")
            if site == "1365"
            else ("consent_vms", "agreed_vms_on")
        )
        return await self._update(
            f"UPDATE guide_progress SET {mark_column} = ?, {date_column} = ?, updated_at = ? "
            "WHERE telegram_id = ? AND token = ?",
            (consent.mark, _date_text(consent.agreed_on), self._now(), telegram_id, token),
        )

    async def forget(self, telegram_id: int) -> bool:
        """Removes the user's progress; True if there was some."""
        return await self._update(
            "DELETE FROM guide_progress WHERE telegram_id = ?", (telegram_id,)
        )

    async def _update(self, sql: str, params: tuple[object, ...]) -> bool:
        return bool(await self._db.write(sql + " RETURNING telegram_id", params))
