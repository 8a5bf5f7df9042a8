"""A token bucket for the broadcast sender: a steady rate, and pauses exactly as long as told."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Sleep = Callable[[float], Awaitable[None]]
# Slots missed by a late wake-up are granted at once, up to this far back: asyncio.sleep
# overshoots by about a millisecond, which at 100/s would cost a tenth of the rate if every
# slot were counted from the wake-up. Small enough that the catch-up is a burst of a few
# messages, well inside Telegram's one second's worth.
_CATCH_UP_SECONDS = 0.1


class Pacer:
    """Hands out send slots at `rate` per second in the order asked (FIFO), on its own time
    source (monotonic wall time; tests and the bench may give a virtual one)."""

    def __init__(
        self,
        rate: float,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._interval = 1.0 / rate
        self._now = now
        self._sleep = sleep
        self._next = now()  # the catch-up below is for late wake-ups, not a burst at the start
        self._paused_until = 0.0
        self.rate = rate

    async def take(self) -> None:
        """Waits for the next slot: every caller gets its own, one interval apart."""
        now = self._now()
        slot = max(self._next, now - _CATCH_UP_SECONDS)
        self._next = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)
        # A pause that began while this caller slept holds it too (slots handed out before
        # the 429 would otherwise all run into it).
        while (wait := self._paused_until - self._now()) > 0:
            await self._sleep(wait)

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after `seconds`": no slot before then, and none held longer."""
        until = self._now() + seconds
        self._paused_until = max(self._paused_until, until)
        self._next = max(self._next, until)
