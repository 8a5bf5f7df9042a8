"""StatusService over a real store and the sandbox gateway: what /status knows, without
Telegram (tests/e2e/test_status_journeys.py shows how it reads)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.services.container import Backend, Services
from bot.services.sending import Sent
from bot.services.status import REFRESH_EVERY, NothingCached, NotLinked, RefreshTooSoon
from core.clock import FakeClock
from linkage.models import SEND_COOLDOWN
from sandbox.gateway import GatewaySandbox
from tests.helpers.services import link, without_time_zone

MINJI = 1001


async def test_kindly_has_both_consents_and_four_unsent(
    services: Services, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    view = await services.status.show(MINJI)
    summary = view.summary
    assert (view.stale, view.fetched_at, view.sending) == (False, clock.now(), False)
    assert summary.member.vms_id == "kindly0904" and summary.member.account_1365 == "active"
    assert summary.member.consent_1365.agreed_on == date(2019, 9, 11)
    assert summary.member.consent_vms.agreed_on == date(2020, 3, 19)
    assert summary.unsent.count == 4 and summary.unsent.minutes > 0
    assert (summary.failed.count, summary.last_sent_at, view.next_send_at()) == (0, None, None)


async def test_who_consented_nowhere_and_whose_account_is_gone(
    services: Services, gateway: GatewaySandbox
) -> None:
    await link(services, gateway, 1002, "sora2008")
    member = (await services.status.show(1002)).summary.member
    assert not member.consent_1365.agreed and not member.consent_vms.agreed
    await link(services, gateway, 1003, "jiwoo0521")
    assert (await services.status.show(1003)).summary.member.account_1365 == "not_found"


async def test_failures_name_their_commonest_reason_and_the_next_send(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """seoyeon88 changed her resident number after consenting: every record fails so."""
    await link(services, gateway, MINJI, "seoyeon88")
    sent_at = clock.now()
    await services.sending.send(MINJI, "TOKEN001")
    clock.advance(timedelta(minutes=2))  # the sandbox's results come after 60 s
    view = await services.status.show(MINJI)
    assert view.summary.failed.count == 3 and view.summary.top_reason == "identity_mismatch"
    assert view.next_send_at() == sent_at + SEND_COOLDOWN
    failed = await services.status.failed(MINJI)
    assert failed is not None and failed.top_reason == "identity_mismatch"
    page = await services.status.page(MINJI, "failed", 0)
    assert page.total == 3 and {line.reason_code for line in page.lines} == {"identity_mismatch"}
    line = await services.status.record(MINJI, page.lines[0].ref)
    assert line == page.lines[0]


async def test_220_records_page_by_ten_in_the_gateways_counts(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    link_id = await link(services, gateway, MINJI, "hanbit2007")
    counts = (await backend.gateway.records(link_id, limit=1)).counts
    view = await services.status.show(MINJI)
    assert view.summary.failed.count == counts.failed
    refs: list[str] = []
    first = await services.status.page(MINJI, "all", 0)
    assert (first.total, first.pages) == (220, 22)
    for number in range(first.pages):
        refs += [line.ref for line in (await services.status.page(MINJI, "all", number)).lines]
    assert len(set(refs)) == 220
    with pytest.raises(LookupError):
        await services.status.page(MINJI, "all", first.pages)
    failed = await services.status.page(MINJI, "failed", 0)
    assert failed.total == counts.failed and all(x.status == "failed" for x in failed.lines)
    with pytest.raises(LookupError):
        await services.status.record(MINJI, "no-such-ref")


async def test_refresh_is_once_per_30_seconds_of_the_clock(
    services: Services, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    await services.status.show(MINJI)
    clock.advance(timedelta(seconds=10))
    with pytest.raises(RefreshTooSoon) as too_soon:
        await services.status.show(MINJI, refresh=True)
    assert too_soon.value.wait == REFRESH_EVERY - timedelta(seconds=10)
    # Without the button, the cache answers within the interval.
    assert (await services.status.show(MINJI)).fetched_at == clock.now() - timedelta(seconds=10)
    clock.advance(timedelta(seconds=60))
    assert (await services.status.show(MINJI, refresh=True)).fetched_at == clock.now()


async def test_an_outage_shows_the_cache_stale_and_without_one_says_so(
    services: Services, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    await link(services, gateway, 1002, "hanbit2007")
    fetched = (await services.status.show(MINJI)).fetched_at
    gateway.set_outage(True)
    clock.advance(timedelta(minutes=3))
    view = await services.status.show(MINJI, refresh=True)
    assert (view.stale, view.fetched_at, view.summary.unsent.count) == (True, fetched, 4)
    assert (await services.status.page(MINJI, "all", 0)).total == 4  # the list still pages
    assert (await services.status.show(MINJI)).stale  # right after the failed try, too
    with pytest.raises(NothingCached):
        await services.status.show(1002)
    gateway.set_outage(False)
    clock.advance(REFRESH_EVERY)
    assert not (await services.status.show(1002)).stale


async def test_not_linked_and_a_send_being_settled(
    services: Services, gateway: GatewaySandbox
) -> None:
    with pytest.raises(NotLinked):
        await services.status.show(MINJI)
    assert await services.status.last_known(MINJI) is None
    await link(services, gateway, MINJI, "kindly0904")
    assert await services.status.last_known(MINJI) is None  # nothing fetched yet
    await services.status.show(MINJI)
    known = await services.status.last_known(MINJI)
    assert known is not None and known.stale and known.summary.unsent.count == 4
    # A send whose answer could not be read: /status says it is being settled.
    gateway.rewrite("createTransmission", without_time_zone)
    assert await services.sending.send(MINJI, "TOKEN001") == Sent(settled=False)
    view = await services.status.show(MINJI)
    assert view.sending and view.next_send_at() is None
