"""Trial mode's Telegram side: the trial line in each user's language, and the farewell that
tells a volunteer once that what they saw came from the embedded sandbox gateway."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot
from telegram.error import Forbidden

from bot.i18n import raw, t
from bot.services.container import Services
from bot.services.trial import FAREWELL

logger = logging.getLogger(__name__)

__all__ = ["FAREWELL", "farewell_handler", "line_for"]


def line_for(services: Services) -> Callable[[int], Awaitable[str]]:
    """The trial line for a chat, in its user's language (bot/trial.py adds it)."""

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


def farewell_handler(
    bot: Bot, services: Services
) -> Callable[[str, dict[str, Any]], Awaitable[None]]:
    """FAREWELL's due-work handler; registered in bot/app.py with a single attempt."""
    return functools.partial(_farewell, bot, services)
