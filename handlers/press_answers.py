"""A press is answered at most once: Telegram refuses a second answerCallbackQuery for the
same query (400 "query is too old and response timeout expired or query ID is invalid").

That second answer is normal with several workers: a worker answers a press, dies before it
records the update done, and another worker runs the update again once the lease runs out
(bot/processor.py). The button's spinner was stopped by the first answer; what the press
does (edit, send, close a flow) must still happen, so the refusal is not an error. One place
for every handler, as the trial line is: a wrapper around the application's rate limiter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

JSONDict = dict[str, Any]
TOO_OLD = "query is too old"
# rate_limit_args of an answer whose refusal the caller must see: the error handler's
# apology falls back to a chat message when the press was answered already.
MUST_ANSWER = "must-answer"


class PressAnswers(BaseRateLimiter[Any]):
    """Hands every call to `inner` (or sends it when there is no rate limiter); a refused
    answer to a press counts as answered."""

    def __init__(self, inner: BaseRateLimiter[Any] | None) -> None:
        self._inner = inner

    @property
    def inner(self) -> BaseRateLimiter[Any] | None:
        """The application's own rate limiter, which every call goes through."""
        return self._inner

    async def initialize(self) -> None:
        if self._inner is not None:
            await self._inner.initialize()

    async def shutdown(self) -> None:
        if self._inner is not None:
            await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        strict = rate_limit_args == MUST_ANSWER
        passed = None if strict else rate_limit_args
        try:
            if self._inner is None:
                return await callback(*args, **kwargs)
            return await self._inner.process_request(callback, args, kwargs, endpoint, data, passed)
        except BadRequest as exc:
            if strict or endpoint != "answerCallbackQuery" or TOO_OLD not in exc.message.lower():
                raise
            logger.info("a press was answered already (or too late); going on without")
            return True
