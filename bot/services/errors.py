"""What stops a use-case, when more than one service can meet it: one class per meaning.

A problem met by one feature only lives with that feature (bot/services/sending/problems.py,
bot/services/linking.py, bot/services/status.py); a name is never reused for another meaning
(tests/unit/test_service_names.py).
"""

from __future__ import annotations


class ServiceProblem(Exception):
    """Base of what stops a use-case; each is told to the user with what to do next."""


class NotLinked(ServiceProblem):
    """No VMS member is linked to this Telegram user (or the gateway revoked it meanwhile)."""


class Unavailable(ServiceProblem):
    """The gateway is down, slow, misconfigured or answered nonsense: nothing was used up,
    try again later."""
