"""The broadcast sender's bookkeeping over a real store, with the Telegram side in memory:
what each outcome leaves in the deliveries and the audit, the progress message, when a
refused message stops the run, a clean stop, and a lease another worker holds.

tests/services/test_broadcasts.py covers the audience, pacing, crash and cancel."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta

import pytest

from bot.services.broadcast_sender import (
    ABORT_AFTER,
    FLOOD_WAITS_KEPT,
    HEARTBEAT,
    LEASE,
    PAGE,
    PROGRESS_EVERY,
    REPLY_HEADROOM,
    TELEGRAM_RATE,
    TRANSIENT_TRIES,
    Progress,
    broadcast_rate,
)
from bot.services.broadcast_sender import Result as Call
from bot.services.broadcasts import RUN_BROADCAST, Audience, Launched
from bot.services.container import Backend, Services
from bot.services.staff import BY_BOT
from core.clock import FakeClock
from store.broadcast_deliveries import UNKNOWN, DeliveryRepository
from store.db import Database
from store.due_work import DueWorkRepository
from store.leases import Lease, LeaseRepository
from tests.conftest import ADMIN_ID
from tests.helpers.services import Courier, attach, run_broadcast

KO = "<b>센터 안내</b> 실적을 보내셨나요?"
OTHER = "another-worker"  # a lease holder that is not this worker
REFUSED = Call("rejected", detail="Bad Request: can't parse entities " + "x" * 300)


class Watching(Courier):
    """Also keeps which message each progress update went to."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[int, int | None, Progress]] = []

    async def show_progress(
        self, chat_id: int, message_id: int | None, progress: Progress
    ) -> int | None:
        self.shown.append((chat_id, message_id, progress))
        return await super().show_progress(chat_id, message_id, progress)


def watch(backend: Backend) -> Watching:
    courier = Watching()
    attach(backend)  # virtual time for the pacing
    backend.sender.attach(courier)
    return courier


async def launch(services: Services, ids: range, *, watched: bool = True) -> Launched:
    for telegram_id in ids:
        await services.users.seen(telegram_id, "ko")
    return await services.broadcasts.launch(
        created_by=ADMIN_ID,
        audience=Audience("all"),
        text_ko=KO,
        text_en=None,
        progress_chat_id=ADMIN_ID if watched else None,
    )


async def _deliveries(backend: Backend, broadcast_id: int) -> dict[int, tuple[str, str | None]]:
    rows = await backend.db.fetch_all(
        "SELECT telegram_id, state, error FROM deliveries WHERE broadcast_id = ?",
        (broadcast_id,),
    )
    return {row[0]: (row[1], row[2]) for row in rows}


async def test_every_outcome_is_recorded_counted_audited_and_reported(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    courier = watch(backend)

    async def five_seconds_at_the_tenth(chat_id: int) -> None:
        if len(courier.sent) == 9:
            clock.advance(PROGRESS_EVERY)

    courier.before_send = five_seconds_at_the_tenth
    courier.answers = {
        1002: [Call("blocked")],
        1003: [Call("gone")],
        1004: [REFUSED],
        1005: [Call("unknown", detail="Timed out")],  # counted unknown, whatever it says
        1006: [Call("transient")] * TRANSIENT_TRIES,
    }
    launched = await launch(services, range(1001, 1031))
    broadcast_id = launched.broadcast_id
    await run_broadcast(backend, broadcast_id)

    rows = await _deliveries(backend, broadcast_id)
    assert rows[1001] == ("sent", None)
    assert (rows[1002], rows[1003]) == (("blocked", None), ("gone", None))
    assert rows[1004] == ("failed", REFUSED.detail[:200])  # type: ignore[index]
    assert rows[1005] == ("failed", UNKNOWN)
    assert rows[1006] == ("failed", "transient")
    # The staff member's progress message: made once, then edited; its id kept for a resume.
    # Once at the start, once when the clock has moved on PROGRESS_EVERY, once at the end.
    first, _, last = courier.shown
    made = 500 + broadcast_id
    assert [shown[1] for shown in courier.shown] == [None, made, made]
    assert first[:2] == (ADMIN_ID, None) and first[2].ending == "running"
    assert first[2].tally.queued == 30 and first[2].eta_seconds == round(30 / backend.sender.rate)
    assert last[:2] == (ADMIN_ID, made)
    stored = await services.broadcasts.get(broadcast_id)
    assert stored is not None and stored.progress_message_id == made
    ((chat, report),) = courier.reports
    assert chat == ADMIN_ID and report == last[2]
    assert report == Progress(broadcast_id, report.tally, 0, "done", None)
    tally = report.tally
    assert (tally.sent, tally.failed, tally.unknown) == (25, 3, 1)
    assert (tally.blocked, tally.gone, tally.queued, tally.sending) == (1, 1, 0, 0)
    (done,) = [e for e in await services.staff.recent_actions() if e.action == "broadcast.done"]
    assert done.actor is None and done.detail == {
        "broadcast": broadcast_id,
        "sent": 25,
        "failed": 3,
        "unknown": 1,
        "blocked": 1,
        "gone": 1,
        "queued": 0,
        BY_BOT: True,
    }


async def test_four_identical_refusals_and_other_failures_do_not_stop_a_broadcast(
    services: Services, backend: Backend
) -> None:
    courier = watch(backend)
    # Four identical refusals, and other failures that are no refusal of the message: it
    # goes on (the message may be fine for the rest).
    chats = range(1001, 1001 + ABORT_AFTER - 1)
    courier.answers = {chat: [REFUSED] for chat in chats}
    others = range(2001, 2001 + ABORT_AFTER)
    courier.answers |= {chat: [Call("blocked")] for chat in others}
    # Then as many refusals again, each for its own reason: no message refused for everyone.
    varied = range(3001, 3001 + ABORT_AFTER)
    courier.answers |= {chat: [Call("rejected", detail=f"Bad Request: {chat}")] for chat in varied}
    for chat in [*others, *varied]:
        await services.users.seen(chat, "ko")
    launched = await launch(services, chats)
    await run_broadcast(backend, launched.broadcast_id)
    ((_, report),) = courier.reports
    assert report.ending == "done" and report.reason is None
    assert (report.tally.failed, report.tally.blocked) == (len(chats) + len(varied), len(others))


async def test_the_fifth_identical_refusal_stops_it(services: Services, backend: Backend) -> None:
    second = watch(backend)
    second.answers = {chat: [REFUSED] for chat in range(3001, 3001 + ABORT_AFTER)}
    launched = await launch(services, range(3001, 3001 + ABORT_AFTER))
    await run_broadcast(backend, launched.broadcast_id)
    ((_, report),) = second.reports
    assert report.ending == "aborted" and report.reason == REFUSED.detail
    assert report.eta_seconds == 0  # it is over, whatever is left
    stored = await services.broadcasts.get(launched.broadcast_id)
    assert stored is not None and stored.state == "cancelled"
    # Reported once the calls in flight had ended, none left half-way.
    assert report.tally.sending == 0 and report.tally.failed == len(second.sent)
    (aborted,) = [
        e for e in await services.staff.recent_actions() if e.action == "broadcast.aborted"
    ]
    assert aborted.detail["broadcast"] == launched.broadcast_id


async def test_a_message_someone_got_is_never_aborted_for_later_refusals(
    services: Services, backend: Backend
) -> None:
    courier = watch(backend)
    refused = range(1002, 1002 + ABORT_AFTER + 1)
    courier.answers = {chat: [REFUSED] for chat in refused}  # 1001, the first, gets it
    launched = await launch(services, range(1001, 1002 + ABORT_AFTER + 1))
    await run_broadcast(backend, launched.broadcast_id)
    ((_, report),) = courier.reports
    assert report.ending == "done" and report.tally.failed == len(refused)


async def test_a_clean_stop_makes_the_run_due_at_once_and_reports_nothing(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    courier = watch(backend)
    launched = await launch(services, range(1001, 1021))
    broadcast_id = launched.broadcast_id
    stopping: list[asyncio.Task[None]] = []

    async def stop_at_the_third(chat_id: int) -> None:
        if len(courier.sent) == 2 and not stopping:
            # As the application's shutdown does, alongside the run (which it waits for).
            stopping.append(asyncio.create_task(backend.sender.stop()))

    courier.before_send = stop_at_the_third
    await run_broadcast(backend, broadcast_id)
    await stopping[0]
    assert 3 <= len(courier.sent) < 20 and courier.reports == []
    item = await DueWorkRepository(backend.db).get(RUN_BROADCAST, str(broadcast_id))
    assert item is not None and item.due_at == clock.now()
    assert item.payload == {"broadcast_id": broadcast_id}
    actions = [e.action for e in await services.staff.recent_actions()]
    assert not [a for a in actions if a.startswith("broadcast.") and a != "broadcast.launch"]
    stored = await services.broadcasts.get(broadcast_id)
    assert stored is not None and stored.state == "sending"


async def test_a_lease_another_worker_holds_is_left_alone_until_it_lapses(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    courier = watch(backend)
    launched = await launch(services, range(1001, 1004), watched=False)
    broadcast_id = launched.broadcast_id
    leases = LeaseRepository(backend.db)
    name = f"broadcast:{broadcast_id}"
    until = clock.now() + timedelta(seconds=20)
    assert await leases.take(name, OTHER, until)
    await run_broadcast(backend, broadcast_id)
    assert courier.sent == []
    item = await DueWorkRepository(backend.db).get(RUN_BROADCAST, str(broadcast_id))
    assert item is not None and item.due_at == until  # looked at again when it would lapse
    assert item.payload == {"broadcast_id": broadcast_id}

    clock.advance(timedelta(seconds=21))  # the other worker died: its lease lapsed
    await run_broadcast(backend, broadcast_id)
    assert sorted(chat for chat, _ in courier.sent) == [1001, 1002, 1003]
    lease = await leases.get(name)
    assert lease is not None and lease.holder is None  # let go at the end of the run
    item = await DueWorkRepository(backend.db).get(RUN_BROADCAST, str(broadcast_id))
    assert item is not None and item.due_at == clock.now() + HEARTBEAT


class Renewals(LeaseRepository):
    """The real leases, telling each take's answer (the run's renewals) as it comes; while
    `gate` is set to an Event, the run's next take waits for it (`held` tells when)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.answers: asyncio.Queue[bool] = asyncio.Queue()
        self.gate: asyncio.Event | None = None
        self.held = asyncio.Event()
        self.fail_next = 0  # the run's next takes raise, as a store failing for a moment

    async def take(
        self, name: str, holder: str, until: datetime, *, began_before: float | None = None
    ) -> bool:
        if self.gate is not None and holder != OTHER:
            self.held.set()
            await self.gate.wait()
        if self.fail_next and holder != OTHER:
            self.fail_next -= 1
            raise sqlite3.OperationalError("database is locked")
        held = await super().take(name, holder, until, began_before=began_before)
        self.answers.put_nowait(held)
        return held


async def test_the_run_renews_its_lease_and_stops_once_another_worker_has_it(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    courier = watch(backend)
    renewals = Renewals(backend.db)
    backend.sender._leases = renewals  # the sender's own, spied on
    backend.sender.renew_every = 0.005
    launched = await launch(services, range(1001, 1021))
    name = f"broadcast:{launched.broadcast_id}"

    async def next_renewal() -> bool:
        return await asyncio.wait_for(renewals.answers.get(), 10)

    steps: list[str] = []
    taken = asyncio.Event()  # the other deliveries wait for the takeover

    async def take_over_at_the_second(chat_id: int) -> None:
        if chat_id > 1002:
            await taken.wait()
        if chat_id != 1002:
            return
        try:
            clock.advance(timedelta(seconds=10))
            # Renewed from the clock's now: wait for a renewal made after the step.
            for _ in range(1000):
                await next_renewal()
                lease = await renewals.get(name)
                assert lease is not None and lease.holder != OTHER
                if lease.until == clock.now() + LEASE:
                    steps.append("renewed")
                    break
            # It stalls past its lease (its next renewal held back meanwhile).
            renewals.gate = asyncio.Event()
            await asyncio.wait_for(renewals.held.wait(), 10)
            clock.advance(LEASE + timedelta(seconds=1))
            assert await renewals.take(name, OTHER, clock.now() + LEASE)
            renewals.gate.set()
            while await next_renewal():  # ours (True), then the run's failed renewal
                pass
            steps.append("lost")
        finally:
            taken.set()

    courier.before_send = take_over_at_the_second
    await run_broadcast(backend, launched.broadcast_id)
    assert steps == ["renewed", "lost"]
    # It stopped taking deliveries and left the rest, and the report, to the other worker.
    assert len(courier.sent) < 20 and courier.reports == []
    lease = await renewals.get(name)
    assert lease is not None and lease.holder == OTHER
    actions = [e.action for e in await services.staff.recent_actions()]
    assert not [a for a in actions if a.startswith("broadcast.") and a != "broadcast.launch"]


async def test_a_broadcast_of_more_than_one_page_reaches_everyone(
    services: Services, backend: Backend
) -> None:
    courier = watch(backend)
    everyone = range(1001, 1002 + PAGE)
    launched = await launch(services, everyone, watched=False)
    running: list[list[int]] = []

    async def note_what_runs(chat_id: int) -> None:
        if not running:
            running.append(backend.sender.running())

    courier.before_send = note_what_runs
    await run_broadcast(backend, launched.broadcast_id)
    assert sorted(chat for chat, _ in courier.sent) == list(everyone)
    assert running == [[launched.broadcast_id]] and backend.sender.running() == []


async def test_a_lease_left_by_a_killed_process_is_let_go_at_start_when_alone(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    """On SQLite no other process can hold a broadcast lease, so one held at start is a
    killed process's: let go at once. On PostgreSQL it may be a live worker's: kept."""
    leases = LeaseRepository(backend.db)
    assert await leases.take("broadcast:7", "killed", clock.now() + LEASE)
    assert await leases.take("other:7", "killed", clock.now() + LEASE)
    await backend.sender.process_started()
    alone = backend.db.dialect != "postgres"
    lease = await leases.get("broadcast:7")
    assert lease is not None and lease.holder == (None if alone else "killed")
    other = await leases.get("other:7")
    assert other is not None and other.holder == "killed"  # not a broadcast's


async def test_a_resumed_run_edits_the_progress_message_it_had(
    services: Services, backend: Backend
) -> None:
    courier = watch(backend)
    launched = await launch(services, range(1001, 1004))
    await DeliveryRepository(backend.db).set_progress_message(launched.broadcast_id, 777)
    await run_broadcast(backend, launched.broadcast_id)
    assert [shown[1] for shown in courier.shown] == [777, 777]  # never a second message


async def test_a_renewal_the_store_fails_is_tried_again(
    services: Services, backend: Backend
) -> None:
    courier = watch(backend)
    renewals = Renewals(backend.db)
    backend.sender._leases = renewals
    backend.sender.renew_every = 0.005
    launched = await launch(services, range(1001, 1004), watched=False)
    answers: list[bool] = []

    async def fail_one_renewal(chat_id: int) -> None:
        if chat_id == 1002:
            while not renewals.answers.empty():  # the run's first take, and renewals so far
                renewals.answers.get_nowait()
            renewals.fail_next = 1
            while renewals.fail_next:  # a renewal in flight may answer first
                await asyncio.wait_for(renewals.answers.get(), 10)
            # The renewal after the failed one comes: the run still holds its lease.
            answers.append(await asyncio.wait_for(renewals.answers.get(), 10))

    courier.before_send = fail_one_renewal
    await run_broadcast(backend, launched.broadcast_id)
    assert answers == [True] and len(courier.sent) == 3


async def test_a_broadcast_another_process_ended_stops_at_the_end_of_the_page(
    services: Services, backend: Backend
) -> None:
    courier = watch(backend)
    everyone = range(1001, 1002 + PAGE)
    launched = await launch(services, everyone)

    async def ended_elsewhere(chat_id: int) -> None:
        if chat_id == 1001:  # an admin's SQL, or a worker this one cannot tell
            await DeliveryRepository(backend.db).end(launched.broadcast_id, "cancelled")

    courier.before_send = ended_elsewhere
    await run_broadcast(backend, launched.broadcast_id)
    assert len(courier.sent) == PAGE and courier.to(1001 + PAGE) == []
    ((_, report),) = courier.reports
    assert report.ending == "cancelled" and report.tally.queued == 1
    assert report.eta_seconds == 0  # it is over, whatever is left
    actions = [e.action for e in await services.staff.recent_actions()]
    assert "broadcast.cancelled" in actions


async def test_a_run_that_finds_deliveries_held_by_another_sender_leaves_the_end_to_it(
    services: Services, backend: Backend
) -> None:
    courier = watch(backend)
    launched = await launch(services, range(1001, 1011))
    taken: list[bool] = []

    async def another_sender_takes_the_last(chat_id: int) -> None:
        if chat_id == 1001:  # the first calls are in flight; the last is still queued
            taken.append(await DeliveryRepository(backend.db).start(launched.broadcast_id, 1010))

    courier.before_send = another_sender_takes_the_last
    await run_broadcast(backend, launched.broadcast_id)
    assert taken == [True]
    assert sorted(chat for chat, _ in courier.sent) == list(range(1001, 1010))
    assert courier.reports == []  # the heartbeat looks again; the other sender reports
    stored = await services.broadcasts.get(launched.broadcast_id)
    assert stored is not None and stored.state == "sending"


async def test_the_senders_own_settings(services: Services, backend: Backend) -> None:
    """Renewed every third of the lease, a bounded record of 429 waits, and never more than
    Telegram's 30/s less what replies keep."""
    sender = backend.sender
    assert sender.renew_every == LEASE.total_seconds() / 3
    assert sender.flood_waits.maxlen == FLOOD_WAITS_KEPT
    assert broadcast_rate(100) == TELEGRAM_RATE - REPLY_HEADROOM == 25
    assert broadcast_rate(20) == 20
    launched = await launch(services, range(1001, 1003), watched=False)
    with pytest.raises(RuntimeError):  # no Telegram side attached yet
        await sender.run_due(str(launched.broadcast_id), {"broadcast_id": launched.broadcast_id})


async def test_a_run_holds_its_lease_and_its_heartbeat_keeps_the_payload(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    courier = watch(backend)
    launched = await launch(services, range(1001, 1004), watched=False)
    key, payload = str(launched.broadcast_id), {"broadcast_id": launched.broadcast_id}
    held: list[object] = []

    async def look_at_the_lease(chat_id: int) -> None:
        if chat_id == 1001:
            held.append(await LeaseRepository(backend.db).get(f"broadcast:{key}"))

    courier.before_send = look_at_the_lease
    await run_broadcast(backend, launched.broadcast_id)
    (lease,) = held
    assert isinstance(lease, Lease) and lease.holder is not None
    assert lease.until == clock.now() + LEASE
    item = await DueWorkRepository(backend.db).get(RUN_BROADCAST, key)
    assert item is not None and item.payload == payload
