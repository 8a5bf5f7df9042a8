"""Flood control on the injectable clock.

Token buckets rather than a sliding window, because rates below one per second (a group's
20 per minute is 0.33/s) then work too: each bucket refills at `rate` tokens per second
and holds at most max(1, rate), so a burst of up to one second's worth is allowed.
A call needs a token from its chat's bucket and from the bot's bucket; if either is empty
nothing is taken and the caller learns how many whole seconds to wait (at least 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable


class _Bucket:
    def __init__(self, rate: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self.updated = now

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = now

    def wait_seconds(self) -> float:
        # The epsilon keeps float drift from turning an exact refill into a 429.
        return 0.0 if self.tokens >= 1.0 - 1e-9 else (1.0 - self.tokens) / self.rate


class FloodControl:
    """Per-chat and per-bot limits; either may be None (unlimited)."""

    def __init__(
        self, per_chat: float | None, per_bot: float | None, clock: Callable[[], float]
    ) -> None:
        for rate in (per_chat, per_bot):
            if rate is not None and rate <= 0:
                raise ValueError("flood rates must be positive")
        self._per_chat = per_chat
        self._per_bot = per_bot
        self._clock = clock
        self._chats: dict[int, _Bucket] = {}
        self._bot: _Bucket | None = None

    def acquire(self, chat_id: int) -> int | None:
        """Take one send from both buckets, or return retry_after seconds and take nothing."""
        now = self._clock()
        buckets = []
        if self._per_chat is not None:
            buckets.append(self._chats.setdefault(chat_id, _Bucket(self._per_chat, now)))
        if self._per_bot is not None:
            if self._bot is None:
                self._bot = _Bucket(self._per_bot, now)
            buckets.append(self._bot)
        for bucket in buckets:
            bucket.refill(now)
        wait = max((bucket.wait_seconds() for bucket in buckets), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.tokens -= 1.0
        return None
