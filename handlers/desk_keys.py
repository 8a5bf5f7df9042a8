"""The staff desk's idempotency keys as a feature: expired ones are deleted hourly as due work
(bot/services/desk.py), not on every key issued. Declared in every mode: keys left by a run
with WEB_URL set are pruned after it is unset too."""

from __future__ import annotations

from typing import Any

from telegram import Bot

from bot.services.container import Services
from bot.services.desk import PRUNE_KEYS
from handlers.feature import Due, Feature


async def _prune(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await services.desk.prune_keys(key)


async def _keep_pruning(bot: Bot, services: Services) -> None:
    # The hourly pruning exists: scheduling it again at each start is one row.
    await services.desk.keep_pruning()


FEATURE = Feature("desk keys", due_work={PRUNE_KEYS: Due(_prune)}, on_start=(_keep_pruning,))
