"""Trial mode (VMS_GATEWAY_URL=sandbox in real mode): every message says its data are simulated.

One place for the line, below every handler: a layer around the application's rate limiter
(handlers/limiter_layer.py, stacked by the composition root, app/build.py). Every text
message and edit to a private chat gets the line, not only those that quote VMS or 1365: in
trial mode a code "sent to 010-****-1234", a consent the guide calls confirmed or the help
screen's promises all come from the simulated gateway too, and a line too many is cheap where
one too few would let a real volunteer take simulated data for real.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import BaseRateLimiter

from handlers.common import plain_text
from handlers.limiter_layer import Call, JSONDict, LimiterLayer
from handlers.view_helpers import TELEGRAM_LIMIT, utf16

logger = logging.getLogger(__name__)

_MARKED = ("sendMessage", "editMessageText")
LineFor = Callable[[int], Awaitable[str]]  # the line in the language of this chat's user


class TrialNotice(LimiterLayer):
    """Adds the trial line to texts for private chats, then passes the call on."""

    def __init__(self, inner: BaseRateLimiter[Any] | None, line_for: LineFor) -> None:
        super().__init__(inner)
        self._line_for = line_for

    async def process_request(
        self,
        callback: Call,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        await self._mark(endpoint, data)
        return await self.pass_on(callback, args, kwargs, endpoint, data, rate_limit_args)

    async def _mark(self, endpoint: str, data: dict[str, Any]) -> None:
        chat_id, text = data.get("chat_id"), data.get("text")
        # Private chats only (positive ids): a group gets an invitation, never data.
        if endpoint not in _MARKED or not isinstance(chat_id, int) or chat_id <= 0:
            return
        if not isinstance(text, str):
            return
        line = await self._line_for(chat_id)
        if text.endswith(line):
            return
        marked = f"{text}\n\n{line}"
        # The line is plain text without markup, so it reads the same with or without HTML.
        if utf16(plain_text(marked)) > TELEGRAM_LIMIT:
            # Views keep their texts within one message; one at the very edge stays unmarked
            # rather than being refused by Telegram (and a warning says it happened).
            logger.warning("a %s was too long for the trial line", endpoint)
            return
        data["text"] = marked
