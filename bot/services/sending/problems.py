"""What stops a send and only a send; each is told to the user with what to do next.

The problems other services meet too (NotLinked, Unavailable) are in bot/services/errors.py.
"""

from __future__ import annotations

from datetime import datetime

from bot.services.errors import ServiceProblem


class VmsConsentMissing(ServiceProblem):
    def __init__(self, done_1365: bool = False) -> None:
        super().__init__("VMS consent missing")
        # The 1365 side is in place (consent given, account active): only VMS is left to do.
        self.done_1365 = done_1365


class NothingUnsent(ServiceProblem):
    """No record is unsent or failed (or none of the chosen ones still is)."""


class SendInProgress(ServiceProblem):
    """An earlier send's outcome is still being settled with the gateway."""


class RecordUnknown(ServiceProblem):
    """A record ref that is not among this user's cached records (forged, stale, another's)."""


class SendTooSoon(ServiceProblem):
    """The hourly send is used up: the next one is possible at `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until
