"""The sender's side of a broadcast: one delivery at a time, recorded as it happens.

A delivery moves 'queued' → 'sending' (written before the Bot API call) → 'sent', 'failed',
'blocked' or 'gone' (written after). Every move is one conditional UPDATE, so two senders can
never both take the same delivery, and a crash leaves at most the few deliveries that were
in flight in 'sending'. Those are settled by `settle_interrupted()` under the at-most-once
rule (bot/services/broadcast_sender.py): 'failed' with error UNKNOWN, never sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from store.broadcasts import UNKNOWN, BroadcastState, DeliveryState
from store.db import Database
from store.timestamps import to_text

Outcome = Literal["sent", "failed", "blocked", "gone"]


@dataclass(frozen=True)
class Recipient:
    telegram_id: int
    language: str | None


@dataclass(frozen=True)
class Tally:
    """Where a broadcast stands: deliveries per outcome, and those still to go."""

    sent: int = 0
    failed: int = 0
    unknown: int = 0  # among `failed`: in flight at a crash or an ambiguous call
    blocked: int = 0
    gone: int = 0
    queued: int = 0
    sending: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.blocked + self.gone + self.queued + self.sending

    @property
    def remaining(self) -> int:
        return self.queued + self.sending


_TALLY = """
    SELECT
        COALESCE(SUM(CASE WHEN state = 'sent' THEN 1 ELSE 0 END), 0) AS sent,
        COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
        COALESCE(SUM(CASE WHEN state = 'failed' AND error = ? THEN 1 ELSE 0 END), 0) AS unknown,
        COALESCE(SUM(CASE WHEN state = 'blocked' THEN 1 ELSE 0 END), 0) AS blocked,
        COALESCE(SUM(CASE WHEN state = 'gone' THEN 1 ELSE 0 END), 0) AS gone,
        COALESCE(SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
        COALESCE(SUM(CASE WHEN state = 'sending' THEN 1 ELSE 0 END), 0) AS sending
"""


class DeliveryRepository:
    """Deliveries of running broadcasts; SQL only."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _now(self) -> str:
        return to_text(self._db.clock.now())

    async def state(self, broadcast_id: int) -> BroadcastState | None:
        row = await self._db.fetch_one("SELECT state FROM broadcasts WHERE id = ?", (broadcast_id,))
        return cast(BroadcastState, row["state"]) if row is not None else None

    async def queued(self, broadcast_id: int, after: int, limit: int) -> list[Recipient]:
        """The next queued recipients in telegram_id order (keyset paging: memory stays flat
        whatever the audience size)."""
        rows = await self._db.fetch_all(
            """
            SELECT d.telegram_id, u.language FROM deliveries d
            JOIN users u ON u.telegram_id = d.telegram_id
            WHERE d.broadcast_id = ? AND d.state = 'queued' AND d.telegram_id > ?
            ORDER BY d.telegram_id LIMIT ?
            """,
            (broadcast_id, after, limit),
        )
        return [Recipient(r["telegram_id"], r["language"]) for r in rows]

    async def start(self, broadcast_id: int, telegram_id: int) -> bool:
        """'queued' → 'sending', before the call; False if it was not queued (taken, or gone
        with the user's /forget)."""
        rows = await self._db.write(
            "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?"
            " WHERE broadcast_id = ? AND telegram_id = ? AND state = 'queued'"
            " RETURNING telegram_id",
            (self._now(), broadcast_id, telegram_id),
        )
        return bool(rows)

    async def requeue(self, broadcast_id: int, telegram_id: int) -> bool:
        """'sending' → 'queued': Telegram refused the call without taking the message (a 429,
        or it never got there), so the delivery waits as one not yet tried."""
        rows = await self._db.write(
            "UPDATE deliveries SET state = 'queued', updated_at = ?"
            " WHERE broadcast_id = ? AND telegram_id = ? AND state = 'sending'"
            " RETURNING telegram_id",
            (self._now(), broadcast_id, telegram_id),
        )
        return bool(rows)

    async def finish(
        self, broadcast_id: int, telegram_id: int, outcome: Outcome, error: str | None = None
    ) -> bool:
        """'sending' → the outcome; False if the delivery was settled meanwhile (it stays)."""
        rows = await self._db.write(
            "UPDATE deliveries SET state = ?, error = ?, updated_at = ?"
            " WHERE broadcast_id = ? AND telegram_id = ? AND state = 'sending'"
            " RETURNING telegram_id",
            (outcome, error, self._now(), broadcast_id, telegram_id),
        )
        return bool(rows)

    async def settle_interrupted(self, broadcast_id: int) -> int:
        """Deliveries left in 'sending' by a run that died → 'failed' (UNKNOWN); how many."""
        rows = await self._db.write(
            "UPDATE deliveries SET state = 'failed', error = ?, updated_at = ?"
            " WHERE broadcast_id = ? AND state = 'sending' RETURNING telegram_id",
            (UNKNOWN, self._now(), broadcast_id),
        )
        return len(rows)

    async def tally(self, broadcast_id: int) -> Tally:
        row = await self._db.fetch_one(
            f"{_TALLY} FROM deliveries WHERE broadcast_id = ?", (UNKNOWN, broadcast_id)
        )
        assert row is not None
        return Tally(**{k: int(row[k]) for k in row.keys()})  # noqa: SIM118

    async def running_tally(self) -> Tally:
        """Deliveries of every broadcast still sending, added up (for /metrics)."""
        row = await self._db.fetch_one(
            f"{_TALLY} FROM deliveries WHERE broadcast_id IN"
            " (SELECT id FROM broadcasts WHERE state = 'sending')",
            (UNKNOWN,),
        )
        assert row is not None
        return Tally(**{k: int(row[k]) for k in row.keys()})  # noqa: SIM118

    async def progress_chat(self, broadcast_id: int) -> int | None:
        """Where the progress goes now: NULL once that staff member used /forget."""
        row = await self._db.fetch_one(
            "SELECT progress_chat_id FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return int(row["progress_chat_id"]) if row and row["progress_chat_id"] is not None else None

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        await self._db.write(
            # Only while the chat is still there: a /forget meanwhile cleared both.
            "UPDATE broadcasts SET progress_message_id = ?"
            " WHERE id = ? AND progress_chat_id IS NOT NULL",
            (message_id, broadcast_id),
        )

    async def end(self, broadcast_id: int, state: BroadcastState) -> bool:
        """'sending' → 'done' or 'cancelled'; False if it had already ended."""
        rows = await self._db.write(
            "UPDATE broadcasts SET state = ?, finished_at = ? WHERE id = ? AND state = 'sending'"
            " RETURNING id",
            (state, self._now(), broadcast_id),
        )
        return bool(rows)

    async def latest_sending(self) -> int | None:
        """The newest broadcast still sending (what "/broadcast cancel" stops)."""
        row = await self._db.fetch_one(
            "SELECT id FROM broadcasts WHERE state = 'sending' ORDER BY id DESC LIMIT 1"
        )
        return int(row["id"]) if row is not None else None


__all__ = ["UNKNOWN", "DeliveryRepository", "DeliveryState", "Outcome", "Recipient", "Tally"]
