"""/send: bulk send (봉사실적 일괄전송) to 1365 once an hour, and the results that follow.

The package, by what changes together:
- service.py: SendService, which reads and writes (check, send, settling a claim, polling for
  results, the visibility message); its docstring states the rules they keep.
- checks.py: the check's named steps (cooldown, member, selection, warnings) and Ready.
- problems.py: what stops a send (the shared ones are in bot/services/errors.py).
- gateway_rules.py: how a gateway error reads for a send (surely not accepted, refused
  outright, unknown) and the idempotency key.
- outcomes.py: what the due work tells (a result, a refusal, a result that never came).
The store's side, the claim and its lifecycle: store/sends.py.
"""

from bot.services.errors import NotLinked, ServiceProblem, Unavailable
from bot.services.sending.checks import Ready, SendWarning
from bot.services.sending.gateway_rules import idempotency_key
from bot.services.sending.outcomes import (
    REASONS,
    Failure,
    Refused,
    Report,
    SendResult,
    Sent,
    Stalled,
    Unknowable,
    Visible,
    result_of,
)
from bot.services.sending.problems import (
    NothingUnsent,
    RecordUnknown,
    SendInProgress,
    SendTooSoon,
    VmsConsentMissing,
)
from bot.services.sending.service import (
    FIRST_POLL,
    MAX_POLL_GAP,
    MAX_POLLS,
    SEND_RESULT,
    SEND_VISIBLE,
    SETTLE_AFTER,
    VISIBLE_LISTED,
    SendService,
)

__all__ = [
    "FIRST_POLL",
    "MAX_POLLS",
    "MAX_POLL_GAP",
    "REASONS",
    "SEND_RESULT",
    "SEND_VISIBLE",
    "SETTLE_AFTER",
    "VISIBLE_LISTED",
    "Failure",
    "NotLinked",
    "NothingUnsent",
    "Ready",
    "RecordUnknown",
    "Refused",
    "Report",
    "SendInProgress",
    "SendResult",
    "SendService",
    "SendTooSoon",
    "SendWarning",
    "Sent",
    "ServiceProblem",
    "Stalled",
    "Unavailable",
    "Unknowable",
    "Visible",
    "VmsConsentMissing",
    "idempotency_key",
    "result_of",
]
