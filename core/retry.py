"""How often one kind of due work is tried: a value the features declare beside their work
(handlers/feature.py) and the poller (bot/background) applies."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

# Retries never come back sooner than this, so a failing item is not re-run in the same pass.
_MIN_RETRY = timedelta(seconds=1)


@dataclass(frozen=True)
class RetryPolicy:
    """How often one kind of work is tried: exponential backoff with full jitter.

    Attempt n failing waits a random time between 0 and min(cap, base · 2^(n-1))
    (AWS's "full jitter": retries of many items spread out instead of arriving together).
    After `max_attempts` runs the item is given up.
    """

    max_attempts: int = 8
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=6)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def ceiling(self, attempts: int) -> timedelta:
        """The longest wait after the `attempts`-th failure."""
        return min(self.cap, self.base * 2 ** max(0, attempts - 1))

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        return max(_MIN_RETRY, self.ceiling(attempts) * rng.random())
