"""/send's check, step by step (bot/services/sending/checks.py): each step is a function of what
was read, so each rule is shown here without a gateway; the journeys show them wired."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.services.errors import NotLinked
from bot.services.members import ConsentStatus, MemberStatus
from bot.services.sending import checks
from bot.services.sending.problems import NothingUnsent, SendTooSoon, VmsConsentMissing
from linkage.models import SEND_COOLDOWN, Record, Transmission
from store.links import LinkRow

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
LINK = LinkRow(1001, "link-1", "kindly0904", "ki***", NOW - timedelta(days=3))


def member(*, vms: bool = True, consent_1365: bool = True, account: str = "active") -> MemberStatus:
    return MemberStatus(
        vms_id="kindly0904",
        id_1365_masked="ki***",
        consent_1365=ConsentStatus(consent_1365),
        consent_vms=ConsentStatus(vms),
        account_1365=account,  # type: ignore[arg-type]
    )


def record(record_id: str, status: str, reason: str | None = None, minutes: int = 60) -> Record:
    body: dict[str, Any] = {
        "record_id": record_id,
        "activity_date": "2026-02-01",
        "host": "구립도서관",
        "activity": "책 정리",
        "minutes": minutes,
        "kind": "offline",
        "status": status,
        "sent_at": None,
        "reason": None if reason is None else {"code": reason, "message": "m"},
        "visible_on_1365_at": None,
    }
    return Record.model_validate_json(json.dumps(body))


def sent_at(at: datetime) -> Transmission:
    return Transmission.model_validate_json(
        json.dumps(
            {
                "transmission_id": f"t-{at.isoformat()}",
                "status": "completed",
                "created_at": at.isoformat(),
                "completed_at": None,
                "record_count": 1,
                "results": [],
            }
        )
    )


# --- cooldown ---------------------------------------------------------------------------------


def test_cooldown_passes_with_no_send_known_anywhere() -> None:
    checks.cooldown(None, [], NOW)


def test_cooldown_refuses_until_an_hour_after_the_gateways_newest_send_in_any_order() -> None:
    newest = NOW - timedelta(minutes=20)
    recent = [sent_at(NOW - timedelta(hours=5)), sent_at(newest), sent_at(NOW - timedelta(hours=2))]
    with pytest.raises(SendTooSoon) as refused:
        checks.cooldown(None, recent, NOW)
    assert refused.value.until == newest + SEND_COOLDOWN


def test_cooldown_takes_the_later_of_the_store_and_the_gateway() -> None:
    local = NOW + timedelta(minutes=50)  # a 429 said so
    with pytest.raises(SendTooSoon) as refused:
        checks.cooldown(local, [sent_at(NOW - timedelta(minutes=30))], NOW)
    assert refused.value.until == local
    gateway = NOW - timedelta(minutes=10)
    with pytest.raises(SendTooSoon) as refused:
        checks.cooldown(NOW + timedelta(minutes=5), [sent_at(gateway)], NOW)
    assert refused.value.until == gateway + SEND_COOLDOWN


def test_cooldown_passes_at_the_very_moment_it_ends() -> None:
    checks.cooldown(NOW, [sent_at(NOW - SEND_COOLDOWN)], NOW)
    with pytest.raises(SendTooSoon):
        checks.cooldown(NOW + timedelta(microseconds=1), [], NOW)


# --- member -----------------------------------------------------------------------------------


def test_member_needs_a_member_and_a_link() -> None:
    with pytest.raises(NotLinked):
        checks.member(None, LINK)
    with pytest.raises(NotLinked):  # the gateway revoked it while asked
        checks.member(member(), None)
    assert checks.member(member(), LINK) == (member(), LINK)


@pytest.mark.parametrize(
    ("consent_1365", "account", "done_1365"),
    [(True, "active", True), (False, "active", False), (True, "not_found", False)],
)
def test_member_without_vms_consent_says_whether_only_vms_is_left(
    consent_1365: bool, account: str, done_1365: bool
) -> None:
    with pytest.raises(VmsConsentMissing) as missing:
        checks.member(member(vms=False, consent_1365=consent_1365, account=account), LINK)
    assert missing.value.done_1365 is done_1365


# --- selection --------------------------------------------------------------------------------

RECORDS = [
    record("u1", "unsent"),
    record("f1", "failed", "portal_error"),
    record("d1", "failed", "duplicate"),
    record("f2", "failed"),
]


def ids(records: list[Record]) -> list[str]:
    return [r.record_id for r in records]


def test_selection_of_everything_keeps_what_the_gateway_listed() -> None:
    assert ids(checks.selection(RECORDS, None, False)) == ["u1", "f1", "d1", "f2"]


def test_selection_of_failed_ones_leaves_out_unsent_and_duplicates() -> None:
    assert ids(checks.selection(RECORDS, None, True)) == ["f1", "f2"]


def test_selection_of_chosen_ones_keeps_only_those_that_sending_can_help() -> None:
    assert ids(checks.selection(RECORDS, {"u1", "d1", "gone"}, False)) == ["u1"]
    assert ids(checks.selection(RECORDS, {"u1", "f2"}, True)) == ["f2"]
    assert checks.selection(RECORDS, set(), False) == []


def test_counts_leave_out_failures_that_sending_cannot_fix() -> None:
    assert checks.counts(RECORDS) == (1, 2)


# --- warnings ---------------------------------------------------------------------------------


def test_warning_names_the_account_first_then_the_consent_then_identity() -> None:
    identity = [record("a", "failed", "identity_mismatch"), record("b", "unsent")]
    gone = member(consent_1365=False, account="not_found")
    assert checks.warning(gone, identity) == "account_1365"
    assert checks.warning(member(consent_1365=False), identity) == "consent_1365"
    assert checks.warning(member(), identity) == "identity"
    assert checks.warning(member(), [record("b", "unsent")]) is None


def test_warning_for_identity_needs_it_to_be_the_commonest_failure() -> None:
    mixed = [
        record("a", "failed", "identity_mismatch"),
        record("b", "failed", "portal_error"),
        record("c", "failed", "portal_error"),
    ]
    assert checks.warning(member(), mixed) is None
    assert checks.top_reason(mixed) == "portal_error"
    assert checks.top_reason([record("u", "unsent"), record("f", "failed")]) is None


# --- ready ------------------------------------------------------------------------------------


def test_ready_sums_what_a_send_carries() -> None:
    carried = [record("u1", "unsent", minutes=90), record("f1", "failed", "other", minutes=30)]
    assert checks.ready(member(consent_1365=False), carried, narrowed=False) == checks.Ready(
        unsent=1, failed=1, minutes=120, consent_1365=False, warning="consent_1365"
    )
    narrowed = checks.ready(member(), carried, narrowed=True)
    assert narrowed.record_ids == ("u1", "f1")
    assert narrowed.warning is None


def test_ready_with_nothing_to_carry_is_nothing_unsent() -> None:
    with pytest.raises(NothingUnsent):
        checks.ready(member(), [], narrowed=False)
