"""The hourly send claim on a real SQLite file: one open claim, the cooldown, the gateway's wait."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.clock import FakeClock
from store.db import Database
from store.due_work import DueWorkRepository
from store.sends import Busy, Claimed, Existing, SendRepository, Waiting
from store.users import UserRepository

HOUR = timedelta(hours=1)


async def repo(db: Database) -> SendRepository:
    await UserRepository(db).touch(1001, "ko")
    await UserRepository(db).touch(1002, "ko")
    return SendRepository(db)


async def test_one_claim_at_a_time_and_the_same_key_is_the_same_send(
    db: Database, clock: FakeClock
) -> None:
    sends = await repo(db)
    now = clock.now()
    first = await sends.claim(1001, "k1", "lnk", None, now=now, cooldown=HOUR)
    assert isinstance(first, Claimed)
    again = await sends.claim(1001, "k1", "lnk", None, now=now, cooldown=HOUR)
    assert isinstance(again, Existing) and again.send.id == first.send.id
    assert isinstance(await sends.claim(1001, "k2", "lnk", None, now=now, cooldown=HOUR), Busy)
    # Another user is not affected.
    assert isinstance(
        await sends.claim(1002, "k3", "lnk2", ["r1"], now=now, cooldown=HOUR), Claimed
    )
    # Released (the gateway surely refused): the hour is not used up.
    assert await sends.release(first.send.id)
    assert isinstance(await sends.claim(1001, "k2", "lnk", None, now=now, cooldown=HOUR), Claimed)


async def test_concurrent_claims_with_distinct_keys_give_exactly_one(
    db: Database, clock: FakeClock
) -> None:
    sends = await repo(db)
    results = await asyncio.gather(
        *(
            sends.claim(1001, f"k{n}", "lnk", None, now=clock.now(), cooldown=HOUR)
            for n in range(20)
        )
    )
    assert sum(isinstance(r, Claimed) for r in results) == 1
    assert all(isinstance(r, Claimed | Busy) for r in results)


async def test_cooldown_counts_from_the_gateways_created_at_and_its_429(
    db: Database, clock: FakeClock
) -> None:
    sends = await repo(db)
    claimed = await sends.claim(1001, "k1", "lnk", None, now=clock.now(), cooldown=HOUR)
    assert isinstance(claimed, Claimed)
    created = clock.now() - timedelta(minutes=5)  # the gateway's own time
    await sends.accepted(claimed.send.id, "trn_1", created)
    blocked = await sends.claim(1001, "k2", "lnk", None, now=clock.now(), cooldown=HOUR)
    assert blocked == Waiting(created + HOUR)
    clock.advance(timedelta(minutes=55))
    await sends.wait_until(1001, clock.now() + timedelta(minutes=10))  # a 429 from elsewhere
    assert await sends.claim(1001, "k2", "lnk", None, now=clock.now(), cooldown=HOUR) == Waiting(
        clock.now() + timedelta(minutes=10)
    )
    clock.advance(timedelta(minutes=10))
    assert isinstance(
        await sends.claim(1001, "k2", "lnk", None, now=clock.now(), cooldown=HOUR), Claimed
    )


async def test_forgetting_the_user_drops_their_sends_and_their_due_work(
    db: Database, clock: FakeClock
) -> None:
    sends = await repo(db)
    work = DueWorkRepository(db)
    claimed = await sends.claim(1001, "k1", "lnk", None, now=clock.now(), cooldown=HOUR)
    other = await sends.claim(1002, "k2", "lnk2", None, now=clock.now(), cooldown=HOUR)
    assert isinstance(claimed, Claimed) and isinstance(other, Claimed)
    for send_id in (claimed.send.id, other.send.id):
        await work.schedule("send.result", str(send_id), {"send_id": send_id})
        await work.schedule("send.visible", str(send_id), {"send_id": send_id})
    await work.schedule("link.revoke", str(claimed.send.id), {"link_id": "x"})  # not ours
    await UserRepository(db).delete(1001)
    assert await sends.get(claimed.send.id) is None
    left = sorted((i.kind, i.key) for i in await work.all())
    assert left == sorted(
        [
            ("link.revoke", str(claimed.send.id)),
            ("send.result", str(other.send.id)),
            ("send.visible", str(other.send.id)),
        ]
    )
