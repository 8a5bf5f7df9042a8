"""OffsetClock: system time plus an offset the operator can advance (standalone runs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class OffsetClock:
    """The real clock shifted forward, so "an hour later" can be tried without waiting."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        """System time plus the offset."""
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Move forward only: results and cooldowns assume time never runs backwards."""
        if delta < timedelta(0):
            raise ValueError("the sandbox clock only moves forward")
        self.offset += delta
