"""SendService over a real store and the sandbox gateway: what /send decides, without Telegram.

The journeys (tests/e2e/test_send_journeys.py) show the messages; these show the decisions:
what a send carries, the hourly rule from both sides, one transmission per confirmation, the
result, the visibility step, and what an outage uses up (nothing)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.container import Backend, Services
from bot.services.linking import SendUnsettled
from bot.services.sending import (
    SEND_RESULT,
    SEND_VISIBLE,
    SETTLE_AFTER,
    NothingUnsent,
    NotLinked,
    RecordUnknown,
    SendInProgress,
    SendResult,
    SendTooSoon,
    Sent,
    Stalled,
    Unavailable,
    VmsConsentMissing,
)
from core.clock import FakeClock
from linkage.errors import GatewayError
from linkage.models import SEND_COOLDOWN
from sandbox.gateway import GatewaySandbox
from store.due_work import DueWorkRepository
from tests.helpers.services import link, without_time_zone

RESULT_DELAY = timedelta(seconds=61)  # the sandbox completes a transmission after 60 s
MINJI = 1001


async def test_a_send_carries_every_unsent_record_and_its_result_comes_once(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    ready = await services.sending.check(MINJI)
    assert (ready.unsent, ready.failed, ready.consent_1365, ready.warning) == (4, 0, True, None)
    assert ready.record_ids is None and ready.minutes > 0

    assert await services.sending.send(MINJI, "TOKEN001") == Sent(settled=True)
    (made,) = await backend.gateway.transmissions(link_id)
    assert made.record_count == 4
    work = DueWorkRepository(backend.db)
    (item,) = await work.all(SEND_RESULT)
    # Not completed yet: nothing to tell, and the item is due again 30 s on.
    assert await services.sending.poll(item.payload) is None
    (item,) = await work.all(SEND_RESULT)
    assert item.payload["polls"] == 1 and item.due_at == clock.now() + timedelta(seconds=60)
    clock.advance(RESULT_DELAY)
    payload = item.payload
    result = await services.sending.poll(payload)
    assert isinstance(result, SendResult)
    assert (result.succeeded, result.failed, result.telegram_id) == (4, 0, MINJI)
    assert len(result.succeeded_ids) == 4 and result.visible_at is not None

    report = await services.sending.report(payload, result)
    assert report is not None and report.succeeded == 4 and report.follow_up is not None
    await services.sending.reported(report)
    # Told: polling again tells nothing, and the visibility step names the records.
    assert await services.sending.poll(payload) is None
    (visible_item,) = await work.all(SEND_VISIBLE)
    assert visible_item.due_at == result.visible_at
    visible = await services.sending.visible(visible_item.payload)
    assert visible is not None and (visible.telegram_id, visible.count) == (MINJI, 4)
    assert visible.record_ids == result.succeeded_ids
    await services.sending.visible_told(visible)
    assert await services.sending.visible(visible_item.payload) is None

    clock.advance(SEND_COOLDOWN)
    with pytest.raises(NothingUnsent):
        await services.sending.check(MINJI)


async def test_the_hour_counts_from_the_send_and_names_its_end(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    sent_at = clock.now()
    await services.sending.send(MINJI, "TOKEN001")
    gateway.add_records("kindly0904", [RECORD])
    clock.advance(timedelta(minutes=23))
    with pytest.raises(SendTooSoon) as too_soon:
        await services.sending.check(MINJI)
    assert too_soon.value.until == sent_at + SEND_COOLDOWN
    with pytest.raises(SendTooSoon):
        await services.sending.send(MINJI, "TOKEN002")
    clock.advance(timedelta(minutes=37))
    ready = await services.sending.check(MINJI)
    assert (ready.unsent, ready.minutes) == (1, 90)


async def test_one_confirmation_makes_one_transmission_however_often_it_is_pressed(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    assert await services.sending.send(MINJI, "TOKEN001") == Sent(settled=True)
    assert await services.sending.send(MINJI, "TOKEN001") == Sent(settled=True, repeated=True)
    assert len(await backend.gateway.transmissions(link_id)) == 1


async def test_chosen_records_go_alone(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    page = await backend.gateway.records(link_id, status=("unsent",))
    chosen = [page.items[0].record_id]
    await services.sending.send(MINJI, "PICKED01", record_ids=chosen)
    (made,) = await backend.gateway.transmissions(link_id)
    assert made.record_count == 1 and [r.record_id for r in made.results] == chosen
    with pytest.raises(NothingUnsent):
        await services.sending.send(MINJI, "PICKED02", record_ids=[])


async def test_who_cannot_send_is_told_why(services: Services, gateway: GatewaySandbox) -> None:
    with pytest.raises(NotLinked):
        await services.sending.check(MINJI)
    with pytest.raises(NotLinked):
        await services.sending.send(MINJI, "TOKEN001")
    # sora2008 consented to neither site: nothing can go until VMS consent is given.
    await link(services, gateway, 1002, "sora2008")
    with pytest.raises(VmsConsentMissing) as missing:
        await services.sending.check(1002)
    assert missing.value.done_1365 is False
    # minjun.vms consented on VMS only: the send is offered, with the 1365 warning.
    await link(services, gateway, 1003, "minjun.vms")
    ready = await services.sending.check(1003)
    assert ready.consent_1365 is False and ready.warning == "consent_1365"


async def test_an_outage_uses_up_nothing(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    gateway.set_outage(True)
    with pytest.raises(Unavailable):
        await services.sending.check(MINJI)
    with pytest.raises(Unavailable):
        await services.sending.send(MINJI, "TOKEN001")
    gateway.set_outage(False)
    assert await services.sending.send(MINJI, "TOKEN002") == Sent(settled=True)
    assert len(await backend.gateway.transmissions(link_id)) == 1


async def test_an_unknown_outcome_keeps_the_hour_until_settled_with_the_same_key(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    gateway.rewrite("createTransmission", without_time_zone)
    assert await services.sending.send(MINJI, "TOKEN001") == Sent(settled=False)
    assert await services.sending.in_flight(MINJI)
    with pytest.raises(SendInProgress):
        await services.sending.check(MINJI)
    work = DueWorkRepository(backend.db)
    (item,) = await work.all(SEND_RESULT)
    assert item.due_at == clock.now() + SETTLE_AFTER
    # Settling repeats the request with its key: still unreadable, still unknown.
    with pytest.raises(GatewayError):
        await services.sending.poll(item.payload)
    gateway.rewrite("createTransmission", None)
    assert await services.sending.poll(item.payload) is None  # accepted now: results follow
    assert len(await backend.gateway.transmissions(link_id)) == 1
    clock.advance(RESULT_DELAY)
    (item,) = await work.all(SEND_RESULT)
    result = await services.sending.poll(item.payload)
    assert isinstance(result, SendResult) and result.succeeded == 4


async def test_settling_finds_the_transmission_its_key_made_whatever_changed_since(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    """The gateway's replay check comes before its consent check: a send that was made is
    accepted on settling, never refused (and the hour never given back for it)."""
    link_id = await link(services, gateway, MINJI, "kindly0904")
    gateway.rewrite("createTransmission", without_time_zone)
    await services.sending.send(MINJI, "TOKEN001")
    (item,) = await DueWorkRepository(backend.db).all(SEND_RESULT)
    gateway.set_consents("kindly0904", vms=None)  # withdrawn meanwhile
    gateway.rewrite("createTransmission", None)
    assert await services.sending.poll(item.payload) is None
    assert await services.sending.in_flight(MINJI)  # accepted, its result still to come
    assert len(await backend.gateway.transmissions(link_id)) == 1
    with pytest.raises(SendTooSoon):
        await services.sending.send(MINJI, "TOKEN002")


async def test_records_chosen_from_the_status_list_resolve_among_the_users_own_cache(
    services: Services, gateway: GatewaySandbox
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    with pytest.raises(RecordUnknown):  # nothing cached yet
        await services.sending.check(MINJI, refs=["1"])
    await services.status.show(MINJI)
    page = await services.status.page(MINJI, "unsent", 0)
    first = page.lines[0]
    ready = await services.sending.check(MINJI, refs=[first.ref])
    assert ready.unsent == 1 and ready.record_ids is not None and len(ready.record_ids) == 1
    for refs in ([], ["no-such-ref"], [first.ref, "no-such-ref"]):
        with pytest.raises(RecordUnknown):
            await services.sending.check(MINJI, refs=refs)
    # Another volunteer's refs name nothing of theirs.
    await link(services, gateway, 1002, "hanbit2007")
    await services.status.show(1002)
    with pytest.raises(RecordUnknown):
        await services.sending.check(1002, refs=[first.ref + "x"])


async def test_a_link_revoked_at_the_gateway_is_forgotten_here(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    await backend.gateway.revoke_link(link_id)
    with pytest.raises(NotLinked):
        await services.sending.check(MINJI)
    assert await services.links.current(MINJI) is None


async def test_unlink_settles_an_open_send_first_or_waits_for_it(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    await services.sending.settle_first(MINJI)  # nothing open: nothing to do
    await link(services, gateway, MINJI, "kindly0904")
    gateway.rewrite("createTransmission", without_time_zone)
    await services.sending.send(MINJI, "TOKEN001")
    (item,) = await DueWorkRepository(backend.db).all(SEND_RESULT)
    # Still unreadable: the unlink must wait (the link keeps the result reachable).
    with pytest.raises(SendUnsettled):
        await services.sending.settle_first(MINJI)
    assert await services.sending.gave_up(item.payload) is None  # an open claim stays open
    assert await services.sending.resume_open_claims() == 0  # its settle item is pending
    gateway.rewrite("createTransmission", None)
    await services.sending.settle_first(MINJI)
    assert await services.sending.gave_up(item.payload) == Stalled(MINJI)  # accepted: told


async def test_the_gateways_429_sets_the_hour_and_is_kept(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """Sent on the VMS site itself 20 minutes ago: the bot learns it from the gateway's 429."""
    link_id = await link(services, gateway, MINJI, "kindly0904")
    made = await backend.gateway.create_transmission(link_id, idempotency_key="vms-site-0001")
    gateway.add_records("kindly0904", [RECORD])
    clock.advance(timedelta(minutes=20))
    with pytest.raises(SendTooSoon) as too_soon:
        await services.sending.send(MINJI, "TOKEN001")
    until = made.created_at + SEND_COOLDOWN
    assert too_soon.value.until == until
    # Kept in the store: /status and /send name the same time, without asking again.
    assert (await services.status.show(MINJI)).local_until == until
    assert not await services.sending.in_flight(MINJI)
    clock.advance(timedelta(minutes=40))
    assert await services.sending.send(MINJI, "TOKEN002") == Sent(settled=True)


RECORD = {"activity_date": "2026-11-30", "host": "행복복지관", "activity": "배식", "minutes": 90,
          "kind": "일반"}  # fmt: skip
