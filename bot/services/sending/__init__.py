"""/send: bulk send (봉사실적 일괄전송) to 1365 once an hour, and the results that follow.

The package, by what changes together: checks.py (the check's named steps and Ready),
problems.py (what stops a send), gateway_rules.py (how a gateway error reads for a send),
outcomes.py (what the due work tells), service.py (SendService, which reads and writes).

The hourly rule is kept twice: the store claims the user's send before the gateway is called
(store/sends.py), and the gateway stays the authority (its 429 sets our time; its newest
transmission's `created_at` plus the contract's cooldown is checked before asking).

What counts as "surely not accepted" (the claim is released, the hour not used up) on the
first try: an answer the client knows no attempt of the call was processed by (a refusal, a
3xx, 401, the gateway's own 503), and a connection that could not be opened. Anything else
(a timeout after the request left, a proxy's 502/504, a broken 2xx body) leaves the outcome
unknown: the claim stays and a due item settles it by repeating the request with the same
Idempotency-Key, which the gateway answers with the transmission it made, or (if it never got
the first) by making it now, or with a refusal. While settling, only the contract's refusals
that come after its replay check (409, 429, 422: see gateway_rules.py) release the claim;
everything else stays unknown and is asked again. `link_not_found` comes before the replay
check: the link is gone, so the outcome can never be learned; the claim is closed as lost and
the volunteer is told it may have reached 1365, never that nothing was sent. /unlink settles
an open claim first (settle_first) so its own revocation cannot cause that.

Results: each accepted transmission is a due-work item (SEND_RESULT, key = the opaque send id)
that polls the gateway with backoff until it is completed; the handler (handlers/send.py)
then sends one result message and marks the send reported. Delivery rule (README: delivery
rules): at least once. Everything is worked out before sendMessage and one commit follows it
(the mark and the visibility item together), so only a crash between Telegram's answer and
that commit repeats the message; it is never lost. The one exception is the rare message that a
send whose outcome was unknown was refused after all: the claim is released before it is told,
so a crash in between loses that message (at-most-once), never the user's hourly send. The
visibility message (SEND_VISIBLE) is due at the gateway's `visible_on_1365_at` and follows the
at-least-once rule.
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
