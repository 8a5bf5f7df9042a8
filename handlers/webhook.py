"""Webhook mode's inbox as a feature: its daily pruning of done rows (bot/services/inbox.py).

The HTTP side (bot/web/webhook.py) is served by the composition root in webhook mode; what is
declared here runs in every mode, so an inbox left by an earlier webhook deployment is still
pruned after a switch back to polling.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot

from bot.services.container import Services
from bot.services.inbox import PRUNE
from handlers.feature import Due, Feature


async def _prune(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await services.inbox.prune(key, payload)


async def _keep_pruning(bot: Bot, services: Services) -> None:
    # The daily pruning exists: scheduling it again at each start is one row.
    await services.inbox.keep_pruning()


FEATURE = Feature("webhook", due_work={PRUNE: Due(_prune)}, on_start=(_keep_pruning,))
