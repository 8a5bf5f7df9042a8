"""What an operator watches (/metrics): the inbox's lag, the due-work backlog, broadcasts'
progress. Read from the store at each scrape, so every worker of a deployment reports the
same shared numbers; counters of this process (updates in and done, 429s) are kept by the
web side (bot/web/metrics.py)."""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock
from store.broadcast_deliveries import DeliveryRepository, Tally
from store.due_work import DueWorkRepository
from store.inbox import InboxRepository


@dataclass(frozen=True)
class Readings:
    inbox_open: int
    inbox_lag_seconds: float
    due_backlog: int  # due now and not done (running ones included)
    due_oldest_seconds: float  # how long the oldest of them has been due
    deliveries: Tally  # of the broadcasts still sending, added up


class ReadingsService:
    def __init__(
        self,
        inbox: InboxRepository,
        work: DueWorkRepository,
        deliveries: DeliveryRepository,
        clock: Clock,
    ) -> None:
        self._inbox = inbox
        self._work = work
        self._deliveries = deliveries
        self._clock = clock

    async def read(self) -> Readings:
        now = self._clock.now()
        lag = await self._inbox.lag()
        backlog = await self._work.backlog(now)
        return Readings(
            inbox_open=lag.open_rows,
            inbox_lag_seconds=lag.seconds(now),
            due_backlog=backlog.due,
            due_oldest_seconds=backlog.seconds(now),
            deliveries=await self._deliveries.running_tally(),
        )
