"""The daily new-record notice ("새 봉사 실적 n건이 VMS에 들어왔어요"): its due work and its
start-up backfill. The use-cases are bot/services/nudges.py; the message is send_views.nudge.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot

from bot.services.container import Services
from bot.services.nudges import NUDGE
from handlers import send_views
from handlers.feature import Due, Feature
from handlers.send import SEND_RETRIES, tell


async def deliver_nudge(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    """NUDGE: new unsent records since the last nudge → "send them?" (bot/services/nudges.py)."""
    nudge = await services.nudges.check(key, payload)
    if nudge is None:
        return
    lang = await services.users.language_of(nudge.telegram_id, None)
    text, markup = send_views.nudge(lang, nudge.count)
    await tell(bot, services, nudge.telegram_id, text, markup)


async def _backfill(bot: Bot, services: Services) -> None:
    await services.nudges.backfill()


FEATURE = Feature("nudges", due_work={NUDGE: Due(deliver_nudge, SEND_RETRIES)})

# Links made before the daily notice existed, or users back from blocking the bot, get their
# item (at their own daily time). Not in guide mode: with no gateway there are no new records
# to tell of (the items themselves still run there, as they always did).
BACKFILL = Feature("nudges backfill", when="gateway", on_start=(_backfill,))
