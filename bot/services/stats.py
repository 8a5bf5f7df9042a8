"""/stats: counts for the center's staff, and the weekly chart of sends and failures.

Counts only: no Telegram id, no VMS ID, no name ever leaves this service. Open help requests
and recent broadcasts belong to other features; they plug in through the two small protocols
below (wired in bot/services/container.py) and read as 0 and [] until then.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Protocol

from bot.services import charts
from bot.services.charts import ChartTexts, WeeklyChart
from bot.services.staff import StaffService
from core.clock import Clock
from store.stats import CacheCounts, Counts, SendCounts, StatsRepository, Volunteers, Windows

logger = logging.getLogger(__name__)

TOP_REASONS = 3
CHART_WEEKS = 12
RECENT_BROADCASTS = 3
# Every /stats counts afresh, and its chart draws from that same count. A count kept for a
# while was one more copy per worker to go stale: staff asking on another worker right after a
# send saw the old numbers (issue 16). The count runs in one snapshot that holds up no
# volunteer's reply (store/stats.py; bench/stats.py times it at 100,000 users).


@dataclass(frozen=True)
class BroadcastTotals:
    """One broadcast's delivery totals, as the broadcast feature reports them."""

    started_at: datetime
    recipients: int
    sent: int
    failed: int
    blocked: int
    finished: bool
    stopped: bool = False  # cancelled by staff: the queued rest was never sent


class HelpRequestCounts(Protocol):
    """The help-request feature: how many requests no staff member has answered yet."""

    async def open_help_requests(self) -> int: ...


class BroadcastHistory(Protocol):
    """The broadcast feature: the newest broadcasts first, at most `limit`."""

    async def recent_broadcasts(self, limit: int) -> list[BroadcastTotals]: ...


@dataclass(frozen=True)
class Stats:
    at: datetime
    volunteers: Volunteers
    cache: CacheCounts
    sends: SendCounts
    top_reasons: list[tuple[str, int]]
    open_help_requests: int
    broadcasts: list[BroadcastTotals]
    weekly: WeeklyChart

    @property
    def unknown(self) -> int:
        """Linked volunteers whose status was never checked under their current link."""
        return self.cache.linked - self.cache.checked

    @property
    def success_rate(self) -> float | None:
        """Records that reached 1365 among those with a result; None before any result."""
        done = self.cache.succeeded + self.cache.failed
        return self.cache.succeeded / done if done else None


Renderer = Callable[[WeeklyChart, ChartTexts], bytes]


@dataclass(frozen=True)
class _Counted:
    at: datetime
    windows: Windows
    counts: Counts


class StatsService:
    """Use-cases of /stats; no Telegram types here."""

    def __init__(
        self,
        repository: StatsRepository,
        staff: StaffService,
        clock: Clock,
        tz: tzinfo,
        *,
        help_requests: HelpRequestCounts | None = None,
        broadcasts: BroadcastHistory | None = None,
        renderer: Renderer = charts.render_weekly,
    ) -> None:
        self._repo = repository
        self._staff = staff
        self._clock = clock
        self._tz = tz
        self.help_requests = help_requests
        self.broadcasts = broadcasts
        self.renderer = renderer

    async def overview(self) -> Stats:
        """The counts as of now, with the weekly chart's data from the same count."""
        counted = await self._counts()
        counts = counted.counts
        return Stats(
            at=counted.at,
            volunteers=counts.volunteers,
            cache=counts.cache,
            sends=counts.sends,
            top_reasons=counts.failure_reasons[:TOP_REASONS],
            open_help_requests=(
                await self.help_requests.open_help_requests() if self.help_requests else 0
            ),
            broadcasts=(
                await self.broadcasts.recent_broadcasts(RECENT_BROADCASTS)
                if self.broadcasts
                else []
            ),
            weekly=self._weekly(counted),
        )

    async def week(self) -> tuple[WeeklyChart, datetime]:
        """The weekly chart and when it was counted (the desk's 오늘 page and its "as of"):
        only the chart's counts, once, without the rest of /stats."""
        now = self._clock.now()
        windows = self._windows(now)
        sends, failures = await self._repo.weekly(self._staff.admins, windows)
        chart = WeeklyChart(
            weeks=[windows.weeks_start + timedelta(weeks=n) for n in range(CHART_WEEKS)],
            sends=sends,
            failures=failures,
        )
        return chart, now

    async def weekly(self) -> WeeklyChart:
        """Sends and failed records in each of the last 12 weeks, the current one last."""
        return self._weekly(await self._counts())

    @staticmethod
    def _weekly(counted: _Counted) -> WeeklyChart:
        first = counted.windows.weeks_start
        return WeeklyChart(
            weeks=[first + timedelta(weeks=n) for n in range(CHART_WEEKS)],
            sends=counted.counts.weekly_sends,
            failures=counted.counts.weekly_failures,
        )

    async def _counts(self) -> _Counted:
        now = self._clock.now()
        windows = self._windows(now)
        return _Counted(now, windows, await self._repo.counts(self._staff.admins, windows))

    def _windows(self, now: datetime) -> Windows:
        # The chart's weeks start on Monday 00:00 local time; the current week is the last.
        local = now.astimezone(self._tz)
        monday = datetime.combine(local.date() - timedelta(days=local.weekday()), time(), self._tz)
        return Windows(
            since_7=now - timedelta(days=7),
            since_30=now - timedelta(days=30),
            weeks_start=monday - timedelta(weeks=CHART_WEEKS - 1),
            weeks=CHART_WEEKS,
        )

    async def chart(self, texts: ChartTexts, weekly: WeeklyChart | None = None) -> bytes | None:
        """The weekly chart (`weekly`, else counted now) as PNG bytes, drawn in a worker
        thread; None if drawing failed.

        A chart is a nicety: whatever goes wrong is logged (the error's type only: the
        counts are not personal, but an exception text could quote anything) and the
        caller still has the text.
        """
        try:
            data = weekly if weekly is not None else await self.weekly()
            return await asyncio.to_thread(self.renderer, data, texts)
        except Exception as exc:
            logger.warning("stats chart could not be drawn: %s", type(exc).__name__)
            return None
