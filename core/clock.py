"""Time as a dependency, so "an hour later" and "24 hours later" are testable without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, when: datetime) -> None:
        self._now = when


class OffsetClock:
    """The real clock shifted forward, so "an hour later" can be tried without waiting.

    Only the console demo and a standalone sandbox gateway use it; real mode runs on
    SystemClock, embedded sandbox gateway included.
    """

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        """System time plus the offset."""
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Move forward only: results and cooldowns assume time never runs backwards."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        self.offset += delta
