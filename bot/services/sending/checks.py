"""/send's check as named steps, each a small function of what was read: cooldown, member,
selection, warnings (then `ready` sums it up). SendService.check reads, these decide.

The records are the gateway's own (linkage.models.Record): this layer adds nothing to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.services.errors import NotLinked
from bot.services.members import MemberStatus
from bot.services.sending.problems import NothingUnsent, SendTooSoon, VmsConsentMissing
from bot.services.status_summary import NOT_RESENDABLE
from linkage.models import SEND_COOLDOWN as COOLDOWN
from linkage.models import Record, Transmission
from store.links import LinkRow

# A send the gateway accepts but whose records would all fail: no 1365 consent, a 1365 account
# that is gone (or in a state unknown to this bot), or a resident-number change not yet reset
# (the latest failures say identity_mismatch; only the volunteer knows whether they reset since).
SendWarning = Literal["consent_1365", "account_1365", "identity"]


@dataclass(frozen=True)
class Ready:
    """What a send would carry now."""

    unsent: int
    failed: int
    minutes: int
    consent_1365: bool
    # Set for a resend from the /status list (scope 'selected'): the gateway's ids, resolved
    # here from the user's own cache and the gateway's current list, never from button data.
    record_ids: tuple[str, ...] | None = None
    # Why every record would surely fail (asked "그래도 보내기?" first), or None.
    warning: SendWarning | None = None


def cooldown(local_until: datetime | None, recent: Sequence[Transmission], now: datetime) -> None:
    """Raises SendTooSoon while the hourly send is used up.

    Two clocks count: the store's (our accepted sends, the gateway's 429) and the gateway's
    newest transmission plus the contract's cooldown; the later one wins. The contract lists
    newest first; the max does not rely on it.
    """
    until = local_until
    if recent:
        gateway_until = max(t.created_at for t in recent) + COOLDOWN
        until = gateway_until if until is None else max(until, gateway_until)
    if until is not None and until > now:
        raise SendTooSoon(until)


def member(status: MemberStatus | None, link: LinkRow | None) -> tuple[MemberStatus, LinkRow]:
    """The member and link a send goes through; NotLinked or VmsConsentMissing otherwise.

    `link` is read after `status`: asking the gateway may have found the link revoked.
    """
    if status is None or link is None:
        raise NotLinked
    if not status.consent_vms.agreed:
        raise VmsConsentMissing(status.consent_1365.agreed and status.account_1365 == "active")
    return status, link


def reason(record: Record) -> str | None:
    return None if record.reason is None else record.reason.code


def resendable(record: Record) -> bool:
    """Unsent, or failed for a reason sending again can fix (a duplicate is already there)."""
    if record.status == "failed":
        return reason(record) not in NOT_RESENDABLE
    return record.status == "unsent"


def counts(records: Sequence[Record]) -> tuple[int, int]:
    """How many are unsent, and how many failed that sending again can fix."""
    unsent = sum(1 for r in records if r.status == "unsent")
    return unsent, sum(1 for r in records if r.status == "failed" and resendable(r))


def selection(records: list[Record], chosen: set[str] | None, failed_only: bool) -> list[Record]:
    """The records a send carries: all unsent and failed ones, or the chosen (`chosen`, from
    the /status list) or failed ones (`failed_only`), then without unfixable failures."""
    if chosen is None and not failed_only:
        return records
    return [
        r
        for r in records
        if (chosen is None or r.record_id in chosen)
        and (r.status == "failed" or not failed_only)
        and resendable(r)
    ]


def top_reason(records: Sequence[Record]) -> str | None:
    """The commonest reason among the failed records, as /status names it."""
    reasons = Counter(reason(r) for r in records if r.status == "failed" and reason(r))
    return reasons.most_common(1)[0][0] if reasons else None


def warning(status: MemberStatus, records: Sequence[Record]) -> SendWarning | None:
    """Why every record would surely fail at 1365 (the account first, then the consent, then an
    identity change), or None."""
    if status.account_1365 != "active":
        return "account_1365"
    if not status.consent_1365.agreed:
        return "consent_1365"
    if top_reason(records) == "identity_mismatch":
        return "identity"
    return None


def ready(status: MemberStatus, records: Sequence[Record], *, narrowed: bool) -> Ready:
    """What a send of these records would carry; NothingUnsent when there are none.

    `narrowed`: the records were chosen, so the send names them by id."""
    if not records:
        raise NothingUnsent
    unsent = sum(1 for r in records if r.status == "unsent")
    ids = tuple(r.record_id for r in records) if narrowed else None
    return Ready(
        unsent=unsent,
        failed=len(records) - unsent,
        minutes=sum(r.minutes for r in records),
        consent_1365=status.consent_1365.agreed,
        record_ids=ids,
        warning=warning(status, records),
    )
