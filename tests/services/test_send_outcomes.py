"""SendService's decisions when records fail: what a result counts by reason, what the next
check warns of and offers again, and what staff segments learn, over the sandbox's members
whose records fail (sandbox/gateway/__init__.py), without Telegram.

tests/services/test_sending.py covers the sends that go through; the journeys show the
messages (tests/e2e/test_send_journeys.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.services.container import Backend, Services
from bot.services.errors import NotLinked
from bot.services.sending import (
    SEND_RESULT,
    SEND_VISIBLE,
    Failure,
    SendResult,
    Sent,
    Unavailable,
    checks,
)
from bot.services.sending.gateway_rules import idempotency_key
from bot.services.sending.problems import SendTooSoon, VmsConsentMissing
from core.clock import FakeClock
from linkage.models import SEND_COOLDOWN, Record
from sandbox.gateway import GatewaySandbox
from store.due_work import DueWorkRepository
from store.sends import SendRepository
from tests.helpers.services import link

RESULT_DELAY = timedelta(seconds=61)  # the sandbox completes a transmission after 60 s
SEOYEON, JIWOO, HANBIT, MINJI = 1005, 1004, 1006, 1001


async def _facts(backend: Backend, telegram_id: int) -> tuple[int | None, int | None]:
    row = await backend.db.fetch_one(
        "SELECT unsent, resendable_failed FROM volunteer_facts WHERE telegram_id = ?",
        (telegram_id,),
    )
    assert row is not None
    return row[0], row[1]


async def _result(
    services: Services, backend: Backend, clock: FakeClock
) -> tuple[SendResult, dict[str, object]]:
    clock.advance(RESULT_DELAY)
    items = await DueWorkRepository(backend.db).all(SEND_RESULT)
    item = max(items, key=lambda i: int(i.payload["send_id"]))  # the newest send's
    result = await services.sending.poll(item.payload)
    assert isinstance(result, SendResult)
    return result, item.payload


async def test_a_result_counts_failures_by_reason_and_the_next_check_warns_of_them(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """seoyeon88's resident number changed after her 1365 consent: every record fails
    identity_mismatch; the next /send offers them again, warned."""
    link_id = await link(services, gateway, SEOYEON, "seoyeon88")
    unsent = await backend.gateway.records(link_id, status=("unsent",))
    ready = await services.sending.check(SEOYEON)
    n = len(unsent.items)
    assert n >= 2
    assert (ready.unsent, ready.failed, ready.warning, ready.record_ids) == (n, 0, None, None)
    assert ready.minutes == sum(r.minutes for r in unsent.items)
    assert await _facts(backend, SEOYEON) == (n, 0)
    await services.sending.send(SEOYEON, "TOKEN001")
    assert await _facts(backend, SEOYEON) == (0, 0)  # learned as sent

    result, payload = await _result(services, backend, clock)
    (made,) = await backend.gateway.transmissions(link_id)
    reason = made.results[0].reason
    assert reason is not None and reason.code == "identity_mismatch" and reason.message
    assert result == SendResult(SEOYEON, 0, None, [Failure("identity_mismatch", n, reason.message)])
    assert result.failed == n
    assert await _facts(backend, SEOYEON) == (0, n)  # failed again, sendable again
    # Nothing went through: no visibility step follows.
    report = await services.sending.report(payload, result)
    assert report is not None
    assert (report.visible_at, report.succeeded, report.follow_up) == (None, 0, None)
    await services.sending.reported(report)
    assert await DueWorkRepository(backend.db).all(SEND_VISIBLE) == []

    clock.advance(SEND_COOLDOWN)
    again = await services.sending.check(SEOYEON)
    assert (again.unsent, again.failed, again.warning) == (0, n, "identity")
    assert again.minutes == ready.minutes
    assert await _facts(backend, SEOYEON) == (0, n)
    only_failed = await services.sending.check(SEOYEON, failed_only=True)
    assert only_failed.failed == n and only_failed.record_ids is not None
    assert sorted(only_failed.record_ids) == sorted(r.record_id for r in unsent.items)


async def test_a_gone_1365_account_is_warned_of_before_anything_else(
    services: Services, gateway: GatewaySandbox
) -> None:
    """jiwoo0521's 1365 account was deleted for dormancy; both consents are there."""
    await link(services, gateway, JIWOO, "jiwoo0521")
    ready = await services.sending.check(JIWOO)
    assert ready.warning == "account_1365" and ready.consent_1365 is True


async def test_vms_consent_withdrawn_says_whether_1365_is_done(
    services: Services, gateway: GatewaySandbox
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    gateway.set_consents("kindly0904", vms=None)
    with pytest.raises(VmsConsentMissing) as missing:
        await services.sending.check(MINJI)
    assert missing.value.done_1365 is True  # only the VMS side is left to do
    # Refused by the gateway itself (409), the 1365 side is unknown: its guide comes first.
    with pytest.raises(VmsConsentMissing) as refused:
        await services.sending.send(MINJI, "TOKEN001")
    assert refused.value.done_1365 is False
    assert not await services.sending.in_flight(MINJI)
    await link(services, gateway, JIWOO, "jiwoo0521")
    gateway.set_consents("jiwoo0521", vms=None)
    with pytest.raises(VmsConsentMissing) as gone:
        await services.sending.check(JIWOO)
    assert gone.value.done_1365 is False  # consented once, but that 1365 account is gone


async def _listed(backend: Backend, link_id: str) -> list[Record]:
    listed: list[Record] = []
    cursor = None
    while True:
        page = await backend.gateway.records(link_id, status=("unsent", "failed"), cursor=cursor)
        listed += page.items
        cursor = page.next_cursor
        if not cursor:
            return listed


def _codes(records: list[Record], code: str) -> list[Record]:
    return [r for r in records if r.reason is not None and r.reason.code == code]


async def test_failures_sending_again_cannot_fix_are_neither_offered_nor_counted(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """hanbit2007: a month failed with portal_error (sendable again), a school year unsent,
    two of them already on 1365 (they fail as duplicates: never again), over several pages."""
    link_id = await link(services, gateway, HANBIT, "hanbit2007")
    listed = await _listed(backend, link_id)
    unsent = [r for r in listed if r.status == "unsent"]
    portal = _codes(listed, "portal_error")
    assert unsent and portal and len(listed) > 100 and len(listed) == len(unsent) + len(portal)
    ready = await services.sending.check(HANBIT)
    assert (ready.unsent, ready.failed, ready.warning) == (len(unsent), len(portal), None)
    assert await _facts(backend, HANBIT) == (len(unsent), len(portal))
    only_failed = await services.sending.check(HANBIT, failed_only=True)
    assert (only_failed.unsent, only_failed.failed) == (0, len(portal))
    assert only_failed.record_ids == tuple(r.record_id for r in portal)
    assert only_failed.minutes == sum(r.minutes for r in portal)

    # The portal fails this whole send: the two already on 1365 still fail as duplicates.
    gateway.fail_next(1)
    await services.sending.send(HANBIT, "TOKEN001")
    result, _ = await _result(services, backend, clock)
    made = (await backend.gateway.transmissions(link_id))[0]  # newest first
    words: dict[str, str] = {}  # the gateway's words for each reason, as first given
    for r in made.results:
        if r.reason is not None:
            words.setdefault(r.reason.code, r.reason.message)
    portal_words, dup_words = words["portal_error"], words["duplicate"]
    assert portal_words != dup_words
    assert result.succeeded == 0 and result.visible_at is None and result.succeeded_ids == []
    # In the order the result message explains them, each with the gateway's words.
    assert result.failures == [
        Failure("portal_error", len(listed) - 2, portal_words),
        Failure("duplicate", 2, dup_words),
    ]
    assert await _facts(backend, HANBIT) == (0, len(listed) - 2)

    clock.advance(SEND_COOLDOWN)
    listed_again = await _listed(backend, link_id)
    duplicates = _codes(listed_again, "duplicate")
    assert len(duplicates) == 2
    ready = await services.sending.check(HANBIT)
    assert (ready.unsent, ready.failed, ready.warning) == (0, len(listed), None)
    assert await _facts(backend, HANBIT) == (0, len(listed) - 2)
    only_failed = await services.sending.check(HANBIT, failed_only=True)
    assert only_failed.failed == len(listed) - 2
    assert only_failed.record_ids is not None
    assert not {r.record_id for r in duplicates} & set(only_failed.record_ids)

    # Sent again without the fault: all but the duplicates go through.
    await services.sending.send(HANBIT, "TOKEN002")
    result, payload = await _result(services, backend, clock)
    assert result.succeeded == len(listed) - 2
    assert result.failures == [Failure("duplicate", 2, dup_words)]
    latest = (await backend.gateway.transmissions(link_id))[0]
    times = [r.visible_on_1365_at for r in latest.results if r.status == "succeeded"]
    assert result.visible_at == max(t for t in times if t is not None)  # when all show
    assert None not in times
    assert sorted(result.succeeded_ids) == sorted(
        r.record_id for r in latest.results if r.status == "succeeded"
    )
    assert await _facts(backend, HANBIT) == (0, 0)  # duplicates are never sent again
    report = await services.sending.report(payload, result)
    assert report is not None and report.visible_at == result.visible_at
    assert report.succeeded == result.succeeded and report.follow_up is not None
    await services.sending.reported(report)
    row = await SendRepository(backend.db).get(report.send_id)
    assert row is not None and row.state == "reported"
    assert (row.visible_at, row.succeeded) == (result.visible_at, result.succeeded)
    (follow,) = await DueWorkRepository(backend.db).all(SEND_VISIBLE)
    assert follow.key == str(report.send_id)  # one per send
    # An item from before the records were named tells the count alone.
    visible = await services.sending.visible({"send_id": report.send_id})
    assert visible is not None and (visible.count, visible.record_ids) == (result.succeeded, [])


async def test_a_send_of_chosen_records_takes_exactly_those_off_the_staff_counts(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    """Two unsent and one failed record chosen from the /status list: the segments' counts
    drop by those, not to zero."""
    await link(services, gateway, HANBIT, "hanbit2007")
    await services.status.show(HANBIT)
    unsent = (await services.status.page(HANBIT, "unsent", 0)).lines[:2]
    failed = (await services.status.page(HANBIT, "failed", 0)).lines[:1]
    ready = await services.sending.check(HANBIT)
    before = await _facts(backend, HANBIT)
    assert before == (ready.unsent, ready.failed)
    chosen = await services.sending.check(HANBIT, refs=[r.ref for r in unsent + failed])
    assert (chosen.unsent, chosen.failed) == (2, 1) and chosen.record_ids is not None
    await services.sending.send(HANBIT, "PICKED01", record_ids=list(chosen.record_ids))
    assert await _facts(backend, HANBIT) == (ready.unsent - 2, ready.failed - 1)


async def test_a_send_made_on_the_vms_site_counts_for_the_hour_in_the_check(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    made = await backend.gateway.create_transmission(link_id, idempotency_key="vms-site-0001")
    gateway.add_records("kindly0904", [RECORD])
    clock.advance(timedelta(minutes=20))
    with pytest.raises(SendTooSoon) as too_soon:
        await services.sending.check(MINJI)
    assert too_soon.value.until == made.created_at + SEND_COOLDOWN
    clock.advance(timedelta(minutes=40))
    assert (await services.sending.check(MINJI)).unsent == 1


async def test_the_check_steps_refuse_what_is_missing(
    services: Services, gateway: GatewaySandbox
) -> None:
    """checks.member on its own: a member without a link, or a link without a member."""
    await link(services, gateway, MINJI, "kindly0904")
    status = await services.links.member(MINJI)
    current = await services.links.current(MINJI)
    assert status is not None and current is not None
    assert checks.member(status, current) == (status, current)
    for pair in ((None, current), (status, None), (None, None)):
        with pytest.raises(NotLinked):
            checks.member(*pair)


async def test_a_result_nobody_could_be_told_about_reports_nothing_sent(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    await services.sending.send(MINJI, "TOKEN001")
    (item,) = await DueWorkRepository(backend.db).all(SEND_RESULT)
    report = await services.sending.report(item.payload, None)  # a Stalled one
    assert report is not None and (report.visible_at, report.succeeded, report.follow_up) == (
        None,
        0,
        None,
    )
    assert report.send_id == item.payload["send_id"]


RECORD = {"activity_date": "2026-11-30", "host": "행복복지관", "activity": "배식", "minutes": 90,
          "kind": "일반"}  # fmt: skip


async def test_two_volunteers_confirming_with_the_same_token_send_each_their_own(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    """The idempotency key names the volunteer too: equal flow tokens never merge sends."""
    minji = await link(services, gateway, MINJI, "kindly0904")
    seoyeon = await link(services, gateway, SEOYEON, "seoyeon88")
    await services.sending.send(MINJI, "TOKEN001")
    await services.sending.send(SEOYEON, "TOKEN001")
    assert len(await backend.gateway.transmissions(minji)) == 1
    assert len(await backend.gateway.transmissions(seoyeon)) == 1


async def test_the_hour_holds_from_the_store_when_the_gateway_lists_no_send_yet(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """The store's hour and the gateway's newest send both count, the later one winning: a
    listing that lags (or lists only an older send) never opens the hour early."""
    link_id = await link(services, gateway, MINJI, "kindly0904")
    older = await backend.gateway.create_transmission(link_id, idempotency_key="vms-site-0001")
    clock.advance(SEND_COOLDOWN + timedelta(minutes=1))
    gateway.add_records("kindly0904", [RECORD, RECORD])
    sent_at = clock.now()
    await services.sending.send(MINJI, "TOKEN001")
    clock.advance(timedelta(minutes=10))
    for listed in ([], [older.transmission_id]):  # lagging: nothing, or only the older one

        def lagging(body: dict[str, object], keep: list[str] = listed) -> dict[str, object]:
            items = body["items"]
            assert isinstance(items, list)
            return {**body, "items": [t for t in items if t["transmission_id"] in keep]}

        gateway.rewrite("listTransmissions", lagging)
        with pytest.raises(SendTooSoon) as too_soon:
            await services.sending.check(MINJI)
        assert too_soon.value.until == sent_at + SEND_COOLDOWN
    gateway.rewrite("listTransmissions", None)


async def test_an_unreadable_record_list_is_an_outage(
    services: Services, gateway: GatewaySandbox
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    gateway.rewrite("listRecords", lambda body: {"nonsense": True})
    with pytest.raises(Unavailable):
        await services.sending.check(MINJI)


async def test_a_failure_without_a_reason_is_counted_as_other(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    await link(services, gateway, SEOYEON, "seoyeon88")
    n = (await services.sending.check(SEOYEON)).unsent
    await services.sending.send(SEOYEON, "TOKEN001")

    def without_reasons(body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "results": [{**r, "reason": None} for r in body["results"]]}

    gateway.rewrite("getTransmission", without_reasons)
    result, _ = await _result(services, backend, clock)
    assert result.failures == [Failure("other", n, "")]


async def test_a_press_again_after_the_result_was_told_changes_nothing(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    await services.sending.send(MINJI, "TOKEN001")
    result, payload = await _result(services, backend, clock)
    report = await services.sending.report(payload, result)
    await services.sending.reported(report)
    assert await services.sending.send(MINJI, "TOKEN001") == Sent(settled=True, repeated=True)
    assert await services.sending.poll(payload) is None  # told once
    row = await SendRepository(backend.db).get(payload["send_id"])  # type: ignore[arg-type]
    assert row is not None and row.state == "reported"
    assert len(await backend.gateway.transmissions(link_id)) == 1


async def test_a_press_redelivered_after_a_crash_sends_the_claim_with_its_key(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """The crash came between the claim and its request: the same press again posts it now,
    once, and says it was a repeat."""
    link_id = await link(services, gateway, MINJI, "kindly0904")
    current = await services.links.current(MINJI)
    assert current is not None
    key = idempotency_key(MINJI, "TOKEN001")
    await SendRepository(backend.db).claim(
        MINJI, key, current.link_id, None, now=clock.now(), cooldown=SEND_COOLDOWN
    )
    assert await services.sending.send(MINJI, "TOKEN001") == Sent(settled=True, repeated=True)
    (made,) = await backend.gateway.transmissions(link_id)
    assert made.record_count == 4
