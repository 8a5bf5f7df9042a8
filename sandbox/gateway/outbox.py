"""Link codes leave off the response path: a request queues them, one task delivers them.

A known ID then answers as fast as an unknown one (whose "delivery" is queued and dropped the
same way), and a slow SMS or mail provider could never hold an HTTP answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger("sandbox.gateway")
T = TypeVar("T")


class Outbox(Generic[T]):
    """A queue and its one worker; `settled()` waits until everything queued was handled."""

    def __init__(self, deliver: Callable[[T], None]) -> None:
        self._deliver = deliver
        self._queue: asyncio.Queue[T | None] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None

    def post(self, item: T | None) -> None:
        """Queue a delivery; None is a decoy's, taking the same path and delivering nothing."""
        if self._worker is None:  # not serving (a Python-only caller): deliver right away
            if item is not None:
                self._deliver(item)
            return
        self._queue.put_nowait(item)

    async def start(self) -> None:
        """Start the worker on the running loop."""
        if self._worker is None:
            self._worker = asyncio.create_task(self._run(), name="sandbox-gateway-outbox")

    async def settled(self) -> None:
        """Return once every delivery queued so far has been made."""
        if self._worker is not None:
            await self._queue.join()

    async def stop(self) -> None:
        """Deliver what is queued, then stop the worker."""
        worker, self._worker = self._worker, None
        if worker is None:
            return
        await self._queue.join()
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker

    async def _run(self) -> None:
        while True:
            item = await self._queue.get()
            try:
                if item is not None:
                    self._deliver(item)
            except Exception:
                # A lost code is a lost SMS: the member asks again. The worker must live on.
                log.exception("sandbox gateway could not deliver a link code")
            finally:
                self._queue.task_done()
