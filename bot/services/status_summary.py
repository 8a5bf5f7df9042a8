"""What /status shows, summed up when it is fetched, and its JSON form in the store.

bot/services/status.py fetches and caches; this module only computes and encodes.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from bot.services.members import ConsentStatus, MemberStatus
from linkage.models import Record
from store.timestamps import from_text, to_text

# Failures the volunteer can do nothing about by sending again.
NOT_RESENDABLE = ("duplicate",)


@dataclass(frozen=True)
class Tally:
    """Records in one state and their time."""

    count: int
    minutes: int


@dataclass(frozen=True)
class Summary:
    """What /status shows, as computed when it was fetched."""

    member: MemberStatus
    unsent: Tally
    pending: Tally
    succeeded: Tally
    failed: Tally
    # The commonest failure among failed records: its code and the gateway's own words.
    top_reason: str | None
    top_reason_message: str
    resendable_failed: int
    # The earliest moment a succeeded record becomes visible on 1365 still to come, if any.
    visible_from: datetime | None
    # The most recent accepted transmission's created_at, as the gateway gave it.
    last_sent_at: datetime | None
    # Succeeded records not yet visible on 1365 when fetched: (visible_on_1365_at, count), by
    # time. Views compare with their own now: a record visible since then is said visible.
    waiting: tuple[tuple[datetime, int], ...] = ()
    # Failed records 1365 refused as already there: they count for nothing anywhere.
    duplicate: Tally = Tally(0, 0)

    def waiting_at(self, now: datetime) -> list[tuple[datetime, int]]:
        """The succeeded records still not visible on 1365 at `now`, by when they will be."""
        return [(at, count) for at, count in self.waiting if at > now]


def summarise(
    member: MemberStatus,
    records: list[Record],
    counts: dict[str, int],
    last_sent_at: datetime | None,
    now: datetime,
) -> Summary:
    minutes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    messages: dict[str, str] = {}
    resendable = 0
    visible: Counter[datetime] = Counter()
    duplicate = Tally(0, 0)
    for r in records:
        minutes[r.status] += r.minutes
        if r.status == "failed" and r.reason is not None:
            reasons[r.reason.code] += 1
            messages.setdefault(r.reason.code, r.reason.message)
        if r.status == "failed" and (r.reason is None or r.reason.code not in NOT_RESENDABLE):
            resendable += 1
        if r.status == "succeeded" and r.visible_on_1365_at and r.visible_on_1365_at > now:
            visible[r.visible_on_1365_at] += 1
        if r.status == "failed" and r.reason is not None and r.reason.code == "duplicate":
            duplicate = Tally(duplicate.count + 1, duplicate.minutes + r.minutes)
    top = reasons.most_common(1)[0][0] if reasons else None

    def tally(state: str) -> Tally:
        return Tally(counts.get(state, 0), minutes[state])

    return Summary(
        member=member,
        unsent=tally("unsent"),
        pending=tally("pending"),
        succeeded=tally("succeeded"),
        failed=tally("failed"),
        top_reason=top,
        top_reason_message=messages.get(top, "") if top else "",
        resendable_failed=resendable,
        visible_from=min(visible, default=None),
        last_sent_at=last_sent_at,
        waiting=tuple(sorted(visible.items())),
        duplicate=duplicate,
    )


# --- the summary as JSON in the store ----------------------------------------------------------

# Raised when the summary gains what views need: an older one is never shown, only replaced.
SHAPE = 2


def dump(summary: Summary) -> str:
    data = asdict(summary)
    data["shape"] = SHAPE
    del data["member"]["vms_id"]  # the link row has it; one copy of an ID is enough
    data["waiting"] = [[to_text(at), count] for at, count in summary.waiting]
    for key in ("visible_from", "last_sent_at"):
        value = getattr(summary, key)
        data[key] = None if value is None else to_text(value)
    m = summary.member
    for site in ("consent_1365", "consent_vms"):
        consent: ConsentStatus = getattr(m, site)
        data["member"][site] = {
            "agreed": consent.agreed,
            "agreed_on": None if consent.agreed_on is None else consent.agreed_on.isoformat(),
        }
    return json.dumps(data, ensure_ascii=False)


def load(text: str, vms_id: str) -> Summary | None:
    """The stored summary; None for one stored by an older version (it lacks what /status
    now says, such as how many records are still waiting for 1365): fetched anew instead."""
    data = json.loads(text)
    if data.get("shape") != SHAPE:
        return None
    m = data["member"]

    def consent(value: dict[str, Any]) -> ConsentStatus:
        on = value["agreed_on"]
        return ConsentStatus(bool(value["agreed"]), None if on is None else date.fromisoformat(on))

    member = MemberStatus(
        vms_id=vms_id,
        id_1365_masked=m["id_1365_masked"],
        consent_1365=consent(m["consent_1365"]),
        consent_vms=consent(m["consent_vms"]),
        account_1365=m["account_1365"],
    )

    def when(key: str) -> datetime | None:
        return None if data[key] is None else from_text(data[key])

    return Summary(
        member=member,
        unsent=Tally(**data["unsent"]),
        pending=Tally(**data["pending"]),
        succeeded=Tally(**data["succeeded"]),
        failed=Tally(**data["failed"]),
        top_reason=data["top_reason"],
        top_reason_message=data["top_reason_message"],
        resendable_failed=data["resendable_failed"],
        visible_from=when("visible_from"),
        last_sent_at=when("last_sent_at"),
        waiting=tuple((from_text(at), int(count)) for at, count in data["waiting"]),
        duplicate=Tally(**data["duplicate"]),
    )
