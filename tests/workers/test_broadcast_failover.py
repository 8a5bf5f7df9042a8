"""One broadcast sender per broadcast across workers: while the sending worker lives, another
worker's heartbeat leaves its run alone (its delivery in flight is its own, not 'unknown');
when it dies, the other takes the run over once the lease lapses, within a minute: nobody
gets it twice, nobody is missed, and the one delivery in flight at the death counts as
'unknown' (possibly missed, never resent)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from bot.runtime import BotRuntime
from bot.services import broadcast_sender
from bot.services.broadcast_sender import LEASE, lease_name
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from store.broadcasts import RUN_BROADCAST
from store.leases import LeaseRepository
from tests.journey import User
from tests.staff.broadcast_helpers import (
    VirtualTime,
    backend_of,
    copies,
    launch,
    sender_of,
    until,
    volunteers,
)
from tests.workers.conftest import BuildWorker

PEOPLE = range(1001, 1021)
IN_FLIGHT_AT_DEATH = 1003
NEEDLE = "센터 안내"
RENEW_EVERY = 0.02  # wall seconds: the tests move the lease's clock in steps between renewals


async def test_a_live_senders_run_is_left_alone_and_a_dead_ones_is_taken_over(
    user: Callable[..., User],
    bot: BotRuntime,
    build_worker: BuildWorker,
    sandbox: BotApiSandbox,
    clock: FakeClock,
) -> None:
    await volunteers(user, PEOPLE)
    other = await build_worker()
    other_backend = other.bot_data.backend
    assert other_backend is not None
    sender_of(bot).renew_every = RENEW_EVERY
    other_backend.sender.renew_every = RENEW_EVERY
    leases = LeaseRepository(other_backend.db)
    totals = other_backend.services.broadcasts.totals

    # The first worker sends one delivery per release of the gate; Telegram takes the third
    # message but its answer is held: that delivery stays 'sending', in flight.
    virtual = VirtualTime()
    virtual.gate = asyncio.Semaphore(0)
    sender_of(bot).pace(20, now=virtual.time, sleep=virtual.sleep)
    held = sandbox.holds.add("sendMessage", IN_FLIGHT_AT_DEATH, NEEDLE, delivered=True)
    launched = await launch(bot)
    broadcast_id = launched.broadcast_id
    await bot.poller.run_due()
    virtual.gate.release()
    virtual.gate.release()
    await asyncio.wait_for(held.reached.wait(), 10)
    await until(lambda: totals(broadcast_id), lambda t: t["sent"] == 2 and t["sending"] == 1)

    # Alive: its lease is renewed as the clock moves, past the heartbeat.
    for _ in range(3):
        clock.advance(broadcast_sender.HEARTBEAT / 3)
        await until(
            lambda: leases.get(lease_name(broadcast_id)),
            lambda lease: lease is not None and lease.until == clock.now() + LEASE,
        )
    # The other worker's poller claims the heartbeat and leaves the run alone.
    await other_backend.poller.run_due()
    assert other_backend.sender.running() == []
    assert (await totals(broadcast_id))["sending"] == 1  # not settled as 'unknown'
    lease = await leases.get(lease_name(broadcast_id))
    item = await other_backend.poller.work.get(RUN_BROADCAST, str(broadcast_id))
    assert lease is not None and item is not None
    # It looks again when the lease would lapse: a dead sender is replaced within a minute.
    assert item.next_try_at == lease.until
    assert item.next_try_at - clock.now() <= timedelta(minutes=1)

    # The sending worker dies: its store is gone, so it can neither renew nor record.
    await backend_of(bot).db.close()
    clock.advance(LEASE)
    await other_backend.poller.run_due()
    assert other_backend.sender.running() == [broadcast_id]
    await asyncio.wait_for(other_backend.sender.wait(broadcast_id), 30)
    # The dead worker's call in flight comes back; it goes no further.
    held.release()
    for _ in PEOPLE:
        virtual.gate.release()
    await asyncio.wait_for(sender_of(bot).wait(broadcast_id), 30)

    final = {state: n for state, n in (await totals(broadcast_id)).items() if n}
    assert final == {"sent": len(PEOPLE) - 1, "failed": 1}
    tally = await other_backend.services.broadcasts.totals(broadcast_id)
    assert tally["queued"] == tally["sending"] == 0
    got = {person: copies(sandbox, person, NEEDLE) for person in PEOPLE}
    assert all(n == 1 for n in got.values()), got  # 0 duplicates, 0 missed
    # The report counts the delivery in flight at the death as unknown: possibly missed.
    done = next(
        a
        for a in await other_backend.services.staff.recent_actions()
        if a.action == "broadcast.done"
    )
    assert done.detail["unknown"] == 1 and done.detail["sent"] == len(PEOPLE) - 1
    broadcast = await other_backend.services.broadcasts.get(broadcast_id)
    assert broadcast is not None and broadcast.state == "done"
