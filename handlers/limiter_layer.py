"""One concern laid around the application's rate limiter (app/build.py stacks them).

PTB hands its rate limiter every Bot API call with its parameters before it is sent, so a
concern that belongs to every call (the trial line, a press answered twice) is written once
there instead of in each handler. Each layer passes the call on to the limiter inside it, or
sends it itself when the application runs without one.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter

JSONDict = dict[str, Any]
Call = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]


class LimiterLayer(BaseRateLimiter[Any]):
    """A rate limiter that adds one thing around `inner` (None: no limiter, send directly).
    Subclasses write `process_request` and end it with `pass_on`."""

    def __init__(self, inner: BaseRateLimiter[Any] | None) -> None:
        self._inner = inner

    @property
    def inner(self) -> BaseRateLimiter[Any] | None:
        """The limiter this layer hands every call to."""
        return self._inner

    async def initialize(self) -> None:
        if self._inner is not None:
            await self._inner.initialize()

    async def shutdown(self) -> None:
        if self._inner is not None:
            await self._inner.shutdown()

    async def pass_on(
        self,
        callback: Call,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        """The call, through the limiter inside (with these rate_limit_args) or directly."""
        if self._inner is None:
            return await callback(*args, **kwargs)
        return await self._inner.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
