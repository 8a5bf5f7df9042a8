"""A press is answered at most once: Telegram refuses a second answerCallbackQuery for the
same query, or one too late (400 "query is too old and response timeout expired or query ID is
invalid"). The button's spinner is stopped either way; what the press does (edit, send, close
a flow) must still happen, so that refusal is not an error.

It has to be absorbed here, at the Bot API call: a handler's exception ends the handler and
goes to PTB's error handlers inside `Application.process_update`, so nothing that runs
updates (bot/processor.py in polling mode, the inbox workers of app/webhook.py, which call
`process_update` directly) can see it, nor let the rest of the press go on. Where a second
answer comes from is theirs to say: an update run again after its worker died having answered
it (bot/services/inbox.py, a lease taken over; polling after a crash, getUpdates again).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import BadRequest

from handlers.limiter_layer import Call, JSONDict, LimiterLayer

logger = logging.getLogger(__name__)

TOO_OLD = "query is too old"
# rate_limit_args of an answer whose refusal the caller must see: the error handler's
# apology falls back to a chat message when the press was answered already.
MUST_ANSWER = "must-answer"


class PressAnswers(LimiterLayer):
    """A refused answer to a press counts as answered (unless asked with MUST_ANSWER)."""

    async def process_request(
        self,
        callback: Call,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        strict = rate_limit_args == MUST_ANSWER
        passed = None if strict else rate_limit_args
        try:
            return await self.pass_on(callback, args, kwargs, endpoint, data, passed)
        except BadRequest as exc:
            if strict or endpoint != "answerCallbackQuery" or TOO_OLD not in exc.message.lower():
                raise
            logger.info("a press was answered already (or too late); going on without")
            return True
