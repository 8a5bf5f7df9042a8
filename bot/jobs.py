"""Background work, read from the store each run so a restart loses nothing."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application

from bot.context import BotContext

logger = logging.getLogger(__name__)

REVOCATION_INTERVAL = 600  # seconds; the gateway being down for longer is an operator matter


async def settle_revocations(context: BotContext) -> None:
    """Retries link revocations the gateway missed (during /forget while it was down)."""
    done = await context.services.links.settle_owed_revocations()
    if done:
        logger.info("settled %d owed link revocation(s)", done)


def schedule_jobs(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Registers the repeating jobs."""
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    app.job_queue.run_repeating(
        settle_revocations, interval=REVOCATION_INTERVAL, first=30, name="settle_revocations"
    )
