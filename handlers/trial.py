"""Trial mode's Telegram side: the trial line in each user's language, and the farewell that
tells a volunteer once that what they saw came from the embedded sandbox gateway."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot
from telegram.error import Forbidden

from bot.i18n import raw, t
from bot.services.container import Services
from bot.services.trial import FAREWELL
from core.retry import RetryPolicy
from handlers.feature import Due, Feature

logger = logging.getLogger(__name__)

__all__ = ["FAREWELL", "FEATURE", "line_for"]


def line_for(services: Services) -> Callable[[int], Awaitable[str]]:
    """The trial line for a chat, in its user's language (handlers/trial_notice.py adds it)."""

    async def line(chat_id: int) -> str:
        return raw(await services.users.language_of(chat_id, None), "trial.line")

    return line


async def _farewell(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    telegram_id = int(key)
    lang = await services.users.language_of(telegram_id, None)
    try:
        await bot.send_message(telegram_id, t(lang, "trial.farewell"))
    except Forbidden:
        # They blocked the bot: nothing to tell, and no retry would reach them.
        await services.users.blocked_us(telegram_id)


async def _retire_sandbox(bot: Bot, services: Services) -> None:
    # Before anything reads a link: what the embedded sandbox made goes unless it runs.
    await services.trial.retire_sandbox()


FEATURE = Feature(
    "trial",
    # Told at most once: a run killed mid-way is given up, never repeated (bot/background).
    due_work={FAREWELL: Due(_farewell, RetryPolicy(1))},
    on_start=(_retire_sandbox,),
)
