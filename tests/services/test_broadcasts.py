"""Broadcasts over a real store: the audience, launching, the sender's run (with the Telegram
side in memory), crash and cancel; tests/staff/test_broadcast_sender.py shows the messages."""

from __future__ import annotations

import pytest

from bot.services.broadcast_sender import (
    ABORT_AFTER,
    FLOOD_TRIES,
    HEARTBEAT,
    TRANSIENT_TRIES,
    Result,
)
from bot.services.broadcasts import RUN_BROADCAST, Audience, Cancelled, Launched
from bot.services.container import Backend, Services
from core.clock import FakeClock
from store.broadcast_deliveries import DeliveryRepository
from store.due_work import DueWorkRepository
from tests.conftest import ADMIN_ID
from tests.helpers.services import attach, run_broadcast

KO, EN = "<b>센터 안내</b> 실적을 보내셨나요?", "<b>Notice</b> Did you send your hours?"


async def volunteers(services: Services, ids: range, language: str = "ko") -> list[int]:
    for telegram_id in ids:
        await services.users.seen(telegram_id, language)
    return list(ids)


async def launch(services: Services, *, watched: bool = True) -> Launched:
    return await services.broadcasts.launch(
        created_by=ADMIN_ID,
        audience=Audience("all"),
        text_ko=KO,
        text_en=EN,
        progress_chat_id=ADMIN_ID if watched else None,
    )


async def test_each_volunteer_gets_one_copy_in_their_language_and_staff_get_the_report(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    korean = await volunteers(services, range(1001, 1004))
    english = await volunteers(services, range(1101, 1103), "en")
    courier, _ = attach(backend)
    assert (await services.broadcasts.count(Audience("all"))).recipients == 5
    launched = await launch(services)
    assert launched.recipients == 5
    (item,) = await DueWorkRepository(backend.db).all(RUN_BROADCAST)
    assert item.key == str(launched.broadcast_id)

    await run_broadcast(backend, launched.broadcast_id)
    assert {chat: courier.to(chat) for chat in korean + english} == {
        **{chat: [KO] for chat in korean},
        **{chat: [EN] for chat in english},
    }
    ((chat, report),) = courier.reports
    assert chat == ADMIN_ID and report.ending == "done" and report.tally.sent == 5
    assert courier.progress[0].ending == "running" and courier.progress[-1] == report
    assert (courier.opened, courier.closed) == (1, 1)
    totals = await services.broadcasts.totals(launched.broadcast_id)
    assert totals.get("sent") == 5
    assert (await services.broadcasts.get(launched.broadcast_id)).state == "done"  # type: ignore[union-attr]
    actions = [e.action for e in await services.staff.recent_actions()]
    assert "broadcast.launch" in actions and "broadcast.done" in actions
    # Done: the due item finds nothing more to do, and nobody gets a second copy.
    await run_broadcast(backend, launched.broadcast_id)
    assert len(courier.sent) == 5


async def test_blocked_and_gone_accounts_are_marked_and_left_out_of_the_next_audience(
    services: Services, backend: Backend
) -> None:
    await volunteers(services, range(1001, 1005))
    courier, _ = attach(backend)
    courier.answers = {1002: [Result("blocked")], 1003: [Result("gone")]}
    launched = await launch(services, watched=False)
    await run_broadcast(backend, launched.broadcast_id)
    totals = await services.broadcasts.totals(launched.broadcast_id)
    assert (totals.get("sent"), totals.get("blocked"), totals.get("gone")) == (2, 1, 1)
    assert courier.reports == []  # nobody watching a run without a progress chat
    count = await services.broadcasts.count(Audience("all"))
    assert (count.recipients, count.blocked) == (2, 2)


async def test_a_429_pauses_exactly_as_told_and_the_message_goes_once(
    services: Services, backend: Backend
) -> None:
    await volunteers(services, range(1001, 1003))
    courier, time = attach(backend)
    courier.answers = {1001: [Result("flood", retry_after=7.0)]}
    launched = await launch(services, watched=False)
    await run_broadcast(backend, launched.broadcast_id)
    assert list(backend.sender.flood_waits) == [7.0]
    assert sum(time.slept) >= 7.0
    assert courier.to(1001) == [KO, KO] and courier.to(1002) == [KO]
    assert (await services.broadcasts.totals(launched.broadcast_id)).get("sent") == 2


async def test_calls_that_never_reached_telegram_are_retried_a_few_times_then_fail(
    services: Services, backend: Backend
) -> None:
    await volunteers(services, range(1001, 1004))
    courier, _ = attach(backend)
    courier.answers = {
        1001: [Result("transient")] * (TRANSIENT_TRIES - 1),  # then sent
        1002: [Result("transient")] * TRANSIENT_TRIES,
        1003: [Result("flood", retry_after=1.0)] * (FLOOD_TRIES + 1),
    }
    launched = await launch(services, watched=False)
    await run_broadcast(backend, launched.broadcast_id)
    assert len(courier.to(1001)) == TRANSIENT_TRIES
    assert len(courier.to(1002)) == TRANSIENT_TRIES
    assert len(courier.to(1003)) == FLOOD_TRIES + 1
    totals = await services.broadcasts.totals(launched.broadcast_id)
    assert (totals.get("sent"), totals.get("failed")) == (1, 2)


async def test_a_message_telegram_refuses_for_everyone_stops_the_broadcast(
    services: Services, backend: Backend
) -> None:
    chats = await volunteers(services, range(1001, 1001 + 3 * ABORT_AFTER))
    courier, _ = attach(backend)
    refused = Result("rejected", detail="Bad Request: can't parse entities")
    courier.answers = {chat: [refused] for chat in chats}
    launched = await launch(services)
    await run_broadcast(backend, launched.broadcast_id)
    ((_, report),) = courier.reports
    assert report.ending == "aborted" and report.reason == refused.detail
    assert len(courier.sent) < len(chats)  # stopped early, not failed for everyone
    assert report.tally.queued > 0 and report.tally.sent == 0
    assert (await services.broadcasts.get(launched.broadcast_id)).state == "cancelled"  # type: ignore[union-attr]


async def test_a_delivery_in_flight_at_a_crash_is_unknown_and_never_sent_again(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    await volunteers(services, range(1001, 1004))
    courier, _ = attach(backend)
    launched = await launch(services, watched=False)
    # The previous process took 1002 and died before Telegram's answer was stored.
    assert await DeliveryRepository(backend.db).start(launched.broadcast_id, 1002)
    await run_broadcast(backend, launched.broadcast_id)
    assert courier.to(1002) == [] and len(courier.sent) == 2
    totals = await services.broadcasts.totals(launched.broadcast_id)
    assert (totals.get("sent"), totals.get("failed")) == (2, 1)
    offer = await services.broadcasts.resend_offer(launched.broadcast_id)
    assert offer is not None and offer.recipients == 1


async def test_the_heartbeat_keeps_the_run_and_a_cancel_stops_it(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    await volunteers(services, range(1001, 1004))
    courier, _ = attach(backend)
    launched = await launch(services)
    cancelled = await services.broadcasts.cancel(launched.broadcast_id, by=ADMIN_ID)
    assert isinstance(cancelled, Cancelled) and cancelled.tally.queued == 3
    await run_broadcast(backend, launched.broadcast_id)
    assert courier.sent == []
    assert await services.broadcasts.cancel(launched.broadcast_id, by=ADMIN_ID) is None

    second = await launch(services, watched=False)
    await backend.sender.run_due(str(second.broadcast_id), {"broadcast_id": second.broadcast_id})
    item = await DueWorkRepository(backend.db).get(RUN_BROADCAST, str(second.broadcast_id))
    assert (
        item is not None and item.due_at == clock.now() + HEARTBEAT
    )  # due again if this process dies
    await backend.sender.wait(second.broadcast_id)
    assert len(courier.sent) == 3


async def test_a_cancel_during_the_run_stops_it_and_the_rest_never_get_it(
    services: Services, backend: Backend
) -> None:
    await volunteers(services, range(1001, 1021))
    courier, _ = attach(backend)
    launched = await launch(services)

    async def cancel_at_the_fifth(chat_id: int) -> None:
        if len(courier.sent) == 4:
            await services.broadcasts.cancel(launched.broadcast_id, by=ADMIN_ID)

    courier.before_send = cancel_at_the_fifth
    await run_broadcast(backend, launched.broadcast_id)
    # The calls already in flight finish; nothing new starts after the cancel.
    assert 5 <= len(courier.sent) < 20
    ((_, report),) = courier.reports
    assert report.ending == "cancelled" and report.tally.queued == 20 - len(courier.sent)


async def test_a_heartbeat_during_the_run_finds_it_and_starts_no_second_one(
    services: Services, backend: Backend
) -> None:
    await volunteers(services, range(1001, 1011))
    courier, _ = attach(backend)
    launched = await launch(services, watched=False)
    key, payload = str(launched.broadcast_id), {"broadcast_id": launched.broadcast_id}

    async def heartbeat_at_the_third(chat_id: int) -> None:
        if len(courier.sent) == 2:
            await backend.sender.run_due(key, payload)

    courier.before_send = heartbeat_at_the_third
    await run_broadcast(backend, launched.broadcast_id)
    # A second run would have counted the first one's calls in flight as unknown.
    assert sorted(chat for chat, _ in courier.sent) == list(range(1001, 1011))
    totals = await services.broadcasts.totals(launched.broadcast_id)
    assert (totals.get("sent"), totals.get("failed", 0)) == (10, 0)
    assert courier.opened == 1


async def test_a_stopped_sender_takes_no_new_run(services: Services, backend: Backend) -> None:
    await volunteers(services, range(1001, 1003))
    courier, _ = attach(backend)
    launched = await launch(services, watched=False)
    await backend.sender.stop()
    with pytest.raises(RuntimeError):
        await run_broadcast(backend, launched.broadcast_id)
    assert courier.sent == []
