"""SendService's due work when things go wrong: a claim a crash left before its request went
out (settled by sending it with its key: refused, or lost with its link), a transmission
whose result is slow, never comes or can no longer be asked for, and an item whose send id
now names another send. Over a real store and the sandbox gateway, without Telegram."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.container import Backend, Services
from bot.services.sending import (
    SEND_RESULT,
    SETTLE_AFTER,
    NotLinked,
    SendInProgress,
    SendTooSoon,
    Stalled,
)
from bot.services.sending.outcomes import Refused, Unknowable
from bot.services.sending.service import FIRST_POLL, MAX_POLL_GAP, MAX_POLLS
from core.clock import FakeClock
from linkage.models import SEND_COOLDOWN
from sandbox.gateway import GatewaySandbox
from store.due_work import DueWorkRepository
from store.sends import Claimed, SendRepository
from tests.helpers.services import link

MINJI = 1001


async def _crashed_claim(
    services: Services, backend: Backend, clock: FakeClock, record_ids: list[str] | None = None
) -> dict[str, int]:
    """The state a crash between the claim and its request leaves: a claim, and (after the
    start-up) its settle item."""
    current = await services.links.current(MINJI)
    assert current is not None
    claim = await SendRepository(backend.db).claim(
        MINJI,
        "tg-send-crashed",
        current.link_id,
        record_ids,
        now=clock.now(),
        cooldown=SEND_COOLDOWN,
    )
    assert isinstance(claim, Claimed)
    assert await services.sending.resume_open_claims() == 1
    (item,) = await DueWorkRepository(backend.db).all(SEND_RESULT)
    assert item.payload == {"send_id": claim.send.id}
    return item.payload


async def test_a_crashed_claim_refused_on_settling_gives_the_hour_back(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    payload = await _crashed_claim(services, backend, clock)
    gateway.set_consents("kindly0904", vms=None)  # withdrawn: 409, nothing was made
    assert await services.sending.poll(payload) == Refused(MINJI, None)
    assert not await services.sending.in_flight(MINJI)
    assert await services.sending.poll(payload) is None  # settled: nothing more to tell


async def test_a_crashed_claim_that_cannot_even_be_asked_was_never_sent(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """Its request would be refused by the client itself (an empty choice), so the first
    attempt never left either: refused, and the hour given back."""
    await link(services, gateway, MINJI, "kindly0904")
    payload = await _crashed_claim(services, backend, clock, record_ids=[])
    assert await services.sending.poll(payload) == Refused(MINJI, None)
    assert not await services.sending.in_flight(MINJI)
    assert (await services.sending.check(MINJI)).unsent == 4


async def test_a_crashed_claim_the_gateway_answers_429_waits_as_told(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    payload = await _crashed_claim(services, backend, clock)
    made = await backend.gateway.create_transmission(link_id, idempotency_key="vms-site-0001")
    clock.advance(timedelta(minutes=20))
    refused = await services.sending.poll(payload)
    until = made.created_at + SEND_COOLDOWN
    assert refused == Refused(MINJI, until)
    assert not await services.sending.in_flight(MINJI)
    with pytest.raises(SendTooSoon) as too_soon:  # kept in the store
        await services.sending.send(MINJI, "TOKEN002")
    assert too_soon.value.until == until


async def test_a_crashed_claim_whose_link_is_gone_can_no_longer_be_settled(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    payload = await _crashed_claim(services, backend, clock)
    await backend.gateway.revoke_link(link_id)
    assert await services.sending.poll(payload) == Unknowable(MINJI, accepted=False)
    assert await services.sending.poll(payload) is None


async def test_an_accepted_send_whose_link_is_gone_is_told_unknowable(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    await services.sending.send(MINJI, "TOKEN001")
    (item,) = await DueWorkRepository(backend.db).all(SEND_RESULT)
    assert set(item.payload) == {"send_id", "transmission_id"}
    await backend.gateway.revoke_link(link_id)
    assert await services.sending.poll(item.payload) == Unknowable(MINJI, accepted=True)


async def test_a_slow_result_is_asked_for_less_and_less_often_then_given_up(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    await services.sending.send(MINJI, "TOKEN001")
    work = DueWorkRepository(backend.db)
    (item,) = await work.all(SEND_RESULT)
    assert item.due_at == clock.now() + FIRST_POLL
    for done, gap in ((2, FIRST_POLL * 8), (MAX_POLLS - 1, MAX_POLL_GAP)):
        assert await services.sending.poll({**item.payload, "polls": done}) is None
        (again,) = await work.all(SEND_RESULT)
        assert again.due_at == clock.now() + gap
        assert again.payload == {**item.payload, "polls": done + 1}
    assert await services.sending.poll({**item.payload, "polls": MAX_POLLS}) == Stalled(MINJI)
    # A state newer than this bot is no reason to keep asking either.
    gateway.rewrite("getTransmission", lambda body: {**body, "status": "on_hold"})
    assert await services.sending.poll(item.payload) == Stalled(MINJI)


async def test_an_item_whose_send_id_now_names_another_send_tells_nothing(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    await link(services, gateway, MINJI, "kindly0904")
    await services.sending.send(MINJI, "TOKEN001")
    (item,) = await DueWorkRepository(backend.db).all(SEND_RESULT)
    clock.advance(timedelta(seconds=61))
    assert await services.sending.poll({**item.payload, "transmission_id": "trn_other"}) is None
    assert await services.sending.poll({"send_id": str(item.payload["send_id"])}) is None
    assert await services.sending.poll(item.payload) is not None


async def test_a_given_up_settle_item_is_revived_by_the_next_attempt_to_send(
    services: Services, backend: Backend, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    """A long outage made the poller give the claim's settling up: the next /send (or
    start-up) schedules it again instead of leaving /send blocked for good."""
    await link(services, gateway, MINJI, "kindly0904")
    await _crashed_claim(services, backend, clock)
    work = DueWorkRepository(backend.db)

    async def give_up() -> None:
        (claimed,) = await work.claim_due(clock.now() + SETTLE_AFTER, 1, timedelta(minutes=5))
        assert claimed.claim is not None
        assert await work.give_up(claimed.id, claimed.claim, "gateway down")

    async def revived() -> bool:
        (item,) = await work.all(SEND_RESULT)
        return item.given_up_at is None and item.due_at == clock.now() + SETTLE_AFTER

    await give_up()
    assert await services.sending.resume_open_claims() == 1 and await revived()
    assert await services.sending.resume_open_claims() == 0  # pending: left as it is
    for attempt in (services.sending.check(MINJI), services.sending.send(MINJI, "TOKEN002")):
        await give_up()
        with pytest.raises(SendInProgress):
            await attempt
        assert await revived()


async def test_a_send_through_a_link_the_gateway_revoked_forgets_the_link(
    services: Services, backend: Backend, gateway: GatewaySandbox
) -> None:
    link_id = await link(services, gateway, MINJI, "kindly0904")
    await backend.gateway.revoke_link(link_id)  # on the VMS site: the bot has not heard yet
    with pytest.raises(NotLinked):
        await services.sending.send(MINJI, "TOKEN001")
    assert await services.links.current(MINJI) is None
    assert not await services.sending.in_flight(MINJI)
