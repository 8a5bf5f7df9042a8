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

from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

TELEGRAM_RATE = float(FloodLimit.MESSAGES_PER_SECOND)  # 30
JSONDict = dict[str, Any]


class BotBudget:
    """The bot-wide token bucket; `async with budget:` before each message to a chat."""

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
