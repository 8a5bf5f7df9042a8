"""The features' start-up work once per deployment start, not once per worker.

Several workers starting together (a deploy) would each publish the command menus, schedule
the standing due items, retire the sandbox's links and backfill nudges: the same work N
times, and some of it racing. So it runs under the "start_up" lease (store/leases.py):

- each worker notes, when it opens the store, the database server's time (`opened`);
- at start-up it takes the lease, unless a run that began after its own `opened` has
  finished: that run was done for it too, and it skips the work;
- while another worker holds the lease, it waits for that run to end (then usually skips);
- a later restart opened the store after every earlier run began, so it does the work again.

The database server's clock, not the injectable one, because "which came first" must be
read on one clock by every worker. A holder that dies mid-way leaves a lease that lapses
after LEASE (injectable clock); its run counts as never finished. A run that fails lets go
at once, and the next worker does the work.

SQLite is one process: there the work simply runs at each start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from core.clock import Clock
from store.leases import LeaseRepository

logger = logging.getLogger(__name__)

START_UP = "start_up"
LEASE = timedelta(minutes=5)  # the start-up work is short: a dead holder's lease lapses
LOOK_EVERY_SECONDS = 0.2  # wall clock, while another worker runs the start-up work


class StartUpOnce:
    def __init__(self, leases: LeaseRepository, clock: Clock, holder: str, *, shared: bool):
        """`shared`: other workers may share the store (PostgreSQL)."""
        self._leases = leases
        self._clock = clock
        self._holder = holder
        self._shared = shared
        self._opened: float | None = None

    async def opened(self) -> None:
        """The moment this worker opened the store, on the database server's clock."""
        if self._shared:
            self._opened = await self._leases.server_time()

    async def run(self, work: Callable[[], Awaitable[None]]) -> bool:
        """Runs `work` unless another worker ran it since this one opened the store; True if
        it ran here."""
        if not self._shared:
            await work()
            return True
        if self._opened is None:
            await self.opened()
        since = self._opened
        assert since is not None
        while True:
            until = self._clock.now() + LEASE
            if await self._leases.take(START_UP, self._holder, until, began_before=since):
                break
            lease = await self._leases.get(START_UP)
            if lease is not None and lease.holder is None and (lease.began or 0.0) >= since:
                logger.info("start-up work already done by another worker")
                return False
            await asyncio.sleep(LOOK_EVERY_SECONDS)
        try:
            await work()
        except BaseException:
            await self._leases.forget_began(START_UP, self._holder)
            raise
        await self._leases.release(START_UP, self._holder)
        return True
