"""One budget of Telegram's ~30 messages a second for everything the bot sends.

Replies, edits and help-request copies go through the application's rate limiter; broadcast
messages go through the sender's own Bot, paced at BROADCAST_RATE (bot/services/
broadcast_sender.py), so a broadcast never queues ahead of a volunteer's reply. Both also take
a token from the one `BotBudget` before each message, so together they never ask Telegram for
more than 30 a second — and when no broadcast runs, replies have all 30 (a fixed split would
hold replies to 30 − BROADCAST_RATE all day for a broadcast that runs a few minutes a month).

PTB's AIORateLimiter takes no outside limiter, so `SharedBudgetLimiter` wraps one (public API
only: `BaseRateLimiter`) for what it does well — per-group limits and retrying after a 429 —
with its own overall limit off, and adds the shared budget in front of each call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from types import TracebackType
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

from store.budget import BudgetRepository

logger = logging.getLogger(__name__)

TELEGRAM_RATE = float(FloodLimit.MESSAGES_PER_SECOND)  # 30
JSONDict = dict[str, Any]


def _seconds(retry_after: float | timedelta) -> float:
    # PTB gives an int, or a timedelta under PTB_TIMEDELTA (run_bot.py sets it).
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


class BotBudget:
    """The bot-wide token bucket; `async with budget:` before each message to a chat.

    This one lives in the process: enough for SQLite, which is one process. A deployment of
    several workers shares `SharedBotBudget` instead, behind the same calls.
    """

    def __init__(self, rate: float = TELEGRAM_RATE) -> None:
        # A one-second period: no burst of more than `rate` within any second.
        self._limiter = AsyncLimiter(rate, 1)
        self.rate = rate
        self.taken = 0  # tokens handed out so far (for tests and the bench)
        # Telegram's 429 answers to messages sent under this budget, replies and broadcasts
        # alike (/metrics): seen here because every message is sent inside `async with`.
        self.flood_answers = 0

    async def __aenter__(self) -> None:
        await self._limiter.acquire()
        self.taken += 1

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, RetryAfter):
            self.flood_answers += 1
            await self._pause(_seconds(exc.retry_after))

    async def _pause(self, seconds: float) -> None:
        """One process: AIORateLimiter and the broadcast sender's pacer each wait out a 429
        for their own calls already."""


# Slots missed by a late wake-up are granted again up to this far back (a burst of a few
# messages at 30/s, within Telegram's one second's worth), so the round trip to the database
# before each message does not cost a share of the rate.
CATCH_UP_SECONDS = 0.1


class SharedBotBudget(BotBudget):
    """The same budget for every worker of a deployment: each message takes the next slot
    of one row in the database (store/budget.py), and a 429 pauses them all.

    Within a process, one task at a time asks for a slot and waits for it before the next
    asks: the database then holds at most one slot ahead per worker, so a 429 pauses what
    follows instead of finding seconds of slots already handed out. Should the database
    fail, the process falls back to its own bucket (the inherited one) for that message.
    """

    def __init__(self, store: BudgetRepository, rate: float = TELEGRAM_RATE) -> None:
        super().__init__(rate)
        self._store = store
        self._turn = asyncio.Lock()
        self._paused_until = 0.0  # loop time: this worker's own 429s, before the row says so

    async def _wait_out_pause(self) -> None:
        # Once: a pause that grows meanwhile holds the next message instead.
        wait = self._paused_until - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)

    async def __aenter__(self) -> None:
        async with self._turn:
            try:
                wait = await self._store.reserve(1.0 / self.rate, CATCH_UP_SECONDS)
            except Exception as exc:
                logger.warning("shared message budget unavailable (%s)", type(exc).__name__)
                await self._limiter.acquire()
                wait = 0.0
            if wait > 0:
                await asyncio.sleep(wait)
            await self._wait_out_pause()
        self.taken += 1

    async def _pause(self, seconds: float) -> None:
        # A 429 holds every message of every worker, not only the call it answered: those
        # sent meanwhile would only be refused too.
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)
        try:
            await self._store.pause(seconds)
        except Exception as exc:
            logger.warning("shared pause not recorded (%s)", type(exc).__name__)


class SharedBudgetLimiter(BaseRateLimiter[int]):
    """AIORateLimiter (per-group limits, 429 retries) plus the shared `BotBudget`."""

    def __init__(self, budget: BotBudget, max_retries: int = 3) -> None:
        self.budget = budget
        self._inner = AIORateLimiter(overall_max_rate=0, max_retries=max_retries)

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if "chat_id" not in data:
            # getUpdates, answerCallbackQuery, setMyCommands…: not messages to a chat, as in
            # AIORateLimiter, which applies its overall limit only to calls with a chat.
            return await self._inner.process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def within_budget(*a: Any, **k: Any) -> bool | JSONDict | list[JSONDict]:
            # Inside the retry loop: a retried call takes a new token, as a new call would.
            async with self.budget:
                return await callback(*a, **k)

        return await self._inner.process_request(
            within_budget, args, kwargs, endpoint, data, rate_limit_args
        )
