"""Work that runs when it is due, not when a user writes: see poller.DuePoller."""

from bot.background.poller import DueHandler, DuePoller, RunReport
from core.retry import RetryPolicy

__all__ = ["DueHandler", "DuePoller", "RetryPolicy", "RunReport"]
