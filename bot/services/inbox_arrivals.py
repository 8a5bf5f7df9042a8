"""The webhook's inserts, committed together: every POST that arrives while one INSERT is on
its way to the store goes into the next one, which lets them in ahead of the workers' reads
and writes (Database.write_first). Each POST still hears 200 only once its own row is
committed. At 200 updates/s, 40 POSTs in flight each waited for a trip to the store of its
own, behind the workers' (bench/webhook_ack.py); now they share one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from store.inbox import InboxRepository

# Rows in one INSERT at most (SQLite allows 32,766 parameters: four a row).
MOST = 500


@dataclass
class _Arrival:
    update_id: int
    user_key: str
    body: str
    stored: asyncio.Future[bool] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Arrivals:
    """Stores updates in batches; `add` returns once the update's row is committed."""

    def __init__(self, inbox: InboxRepository) -> None:
        self._inbox = inbox
        self._waiting: list[_Arrival] = []
        self._flushing: asyncio.Task[None] | None = None

    async def add(self, update_id: int, user_key: str, body: str) -> bool:
        """True when stored now, False when that update_id was stored before."""
        arrival = _Arrival(update_id, user_key, body)
        self._waiting.append(arrival)
        if self._flushing is None:
            # The first POST needs no company: it goes at once. Those arriving meanwhile wait
            # for this INSERT to end and go together in the next.
            self._flushing = asyncio.create_task(self._flush(), name="inbox arrivals")
        # Shielded: a POST whose client hung up leaves its row to be stored all the same.
        return await asyncio.shield(arrival.stored)

    async def _flush(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:MOST], self._waiting[MOST:]
                await self._store(batch)
        finally:
            self._flushing = None

    async def _store(self, batch: list[_Arrival]) -> None:
        # Telegram redelivering an update while the first copy waits: one row, one STORED.
        first: dict[int, _Arrival] = {}
        for arrival in batch:
            first.setdefault(arrival.update_id, arrival)
        try:
            stored = await self._inbox.add_many(
                [(a.update_id, a.user_key, a.body) for a in first.values()]
            )
        except Exception as exc:
            for arrival in batch:
                if not arrival.stored.done():
                    arrival.stored.set_exception(exc)
            return
        for arrival in batch:
            if not arrival.stored.done():
                ours = first[arrival.update_id] is arrival
                arrival.stored.set_result(ours and arrival.update_id in stored)
