"""What the due work of a send tells (bot/services/sending/service.py: poll, report, visible):
a result, a refusal found while settling, a result that never came or can no longer come."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from linkage.models import Transmission
from store.sends import FollowUp

# Reason codes of the contract, in the order a result message explains them.
REASONS = (
    "consent_1365_missing",
    "account_1365_not_found",
    "identity_mismatch",
    "portal_error",
    "duplicate",
    "other",
)


@dataclass(frozen=True)
class Sent:
    """The send is out: accepted (results follow), or its outcome is being settled."""

    settled: bool
    repeated: bool = False  # this very confirmation had been sent before


@dataclass(frozen=True)
class Failure:
    code: str
    count: int
    message: str  # the gateway's own words, shown only for reasons this bot does not know


@dataclass(frozen=True)
class SendResult:
    """One completed transmission, as the result message tells it."""

    telegram_id: int
    succeeded: int
    visible_at: datetime | None
    failures: list[Failure] = field(default_factory=list)
    # The gateway's opaque ids of the records that went through (for the visibility message).
    succeeded_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(f.count for f in self.failures)


@dataclass(frozen=True)
class Stalled:
    """A transmission whose result never came (or came in a state this bot does not know)."""

    telegram_id: int


@dataclass(frozen=True)
class Refused:
    """A send whose outcome was unknown turned out refused (nothing went to 1365)."""

    telegram_id: int
    until: datetime | None  # the gateway's next possible send, when it said one


@dataclass(frozen=True)
class Unknowable:
    """A send whose result can no longer be asked for: its link is gone at the gateway.

    `accepted`: the gateway took it (its result is what is missing); otherwise the claim's
    outcome was still unknown, so it may or may not have reached 1365.
    """

    telegram_id: int
    accepted: bool


@dataclass(frozen=True)
class Report:
    """How a told result is recorded (SendService.report, then .reported)."""

    send_id: int
    visible_at: datetime | None
    succeeded: int
    follow_up: FollowUp | None


@dataclass(frozen=True)
class Visible:
    """A visibility message to send: to whom, how many records, which ones by id."""

    send_id: int
    telegram_id: int
    count: int
    record_ids: list[str]


def result_of(telegram_id: int, transmission: Transmission) -> SendResult:
    """A completed transmission as its result message tells it."""
    succeeded = [r for r in transmission.results if r.status == "succeeded"]
    counts: Counter[str] = Counter()
    messages: dict[str, str] = {}
    for record in transmission.results:
        if record.status != "failed":
            continue
        code = record.reason.code if record.reason is not None else "other"
        counts[code] += 1
        if record.reason is not None:
            messages.setdefault(code, record.reason.message)
    failures = [Failure(c, counts[c], messages.get(c, "")) for c in REASONS if counts[c]]
    # The gateway states when 1365 shows them; the latest is when all of them show.
    times = [r.visible_on_1365_at for r in succeeded if r.visible_on_1365_at is not None]
    ids = [r.record_id for r in succeeded]
    return SendResult(telegram_id, len(succeeded), max(times) if times else None, failures, ids)
