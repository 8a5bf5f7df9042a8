"""What the inbox costs the store, on each engine: POSTs that arrive together are committed by
one INSERT (a redelivery inside one batch stored once), on SQLite that insert is let in ahead
of the workers' reads and writes waiting for the one connection, and the done-mark says in
the same statement whether the user's next update waits."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from bot.services.inbox import Accepted, InboxService
from core.clock import FakeClock
from store.db import Database, SqliteDatabase
from store.inbox import InboxRepository


def post(update_id: int, user: int) -> bytes:
    message = {"from": {"id": user}, "chat": {"id": user}, "text": "hi"}
    return json.dumps({"update_id": update_id, "message": message}).encode()


async def test_add_many_stores_each_update_id_once(db: Database) -> None:
    inbox = InboxRepository(db)
    assert await inbox.add(1, "user:7", "{}")
    stored = await inbox.add_many([(1, "user:7", "{}"), (2, "user:7", "{}"), (3, "user:8", "{}")])
    assert stored == {2, 3}
    assert await inbox.add_many([]) == set()
    assert await inbox.states() == {1: "pending", 2: "pending", 3: "pending"}


async def test_posts_arriving_together_share_one_insert_and_a_redelivery_is_stored_once(
    db: Database, clock: FakeClock
) -> None:
    inbox = InboxRepository(db)
    service = InboxService(inbox, clock)
    inserts = 0
    write_first = db.write_first

    async def counted(sql: str, params: tuple[object, ...] = ()) -> list[object]:
        nonlocal inserts
        inserts += 1
        return await write_first(sql, params)

    db.write_first = counted  # type: ignore[method-assign, assignment]
    # 21 POSTs and a second copy of 5 arrive before the first INSERT is on its way.
    bodies = [post(n, 100 + n % 3) for n in range(1, 22)] + [post(5, 102)]
    outcomes = await asyncio.gather(*(service.accept(b) for b in bodies))

    assert outcomes.count(Accepted.STORED) == 21
    assert outcomes[-1] is Accepted.DUPLICATE
    assert inserts == 1
    assert sorted(await inbox.states()) == list(range(1, 22))
    assert await service.accept(post(7, 101)) is Accepted.DUPLICATE


async def test_on_sqlite_the_webhooks_insert_goes_before_the_work_waiting(
    db_path: object, clock: FakeClock
) -> None:
    db = await Database.open(db_path, clock=clock)  # type: ignore[arg-type]
    assert isinstance(db, SqliteDatabase)
    try:
        order: list[str] = []
        inside = asyncio.Event()
        leave = asyncio.Event()

        async def holder() -> None:
            async with db.transaction() as tx:
                await tx.fetch_all("SELECT 1")
                inside.set()
                await leave.wait()

        async def worker(n: int) -> None:
            await db.fetch_all("SELECT 1")
            order.append(f"worker {n}")

        async def webhook() -> None:
            await InboxRepository(db).add_many([(1, "user:1", "{}")])
            order.append("webhook")

        held = asyncio.create_task(holder())
        await inside.wait()
        waiting = [asyncio.create_task(worker(n)) for n in range(3)]
        await asyncio.sleep(0)  # the workers are in line
        waiting.append(asyncio.create_task(webhook()))
        await asyncio.sleep(0)
        leave.set()
        await asyncio.gather(held, *waiting)

        assert order == ["webhook", "worker 0", "worker 1", "worker 2"]
    finally:
        await db.close()


async def test_a_waiter_cancelled_in_line_does_not_keep_the_connection(
    db_path: object, clock: FakeClock
) -> None:
    db = await Database.open(db_path, clock=clock)  # type: ignore[arg-type]
    try:
        inside, leave = asyncio.Event(), asyncio.Event()

        async def holder() -> None:
            async with db.transaction() as tx:
                await tx.fetch_all("SELECT 1")
                inside.set()
                await leave.wait()

        held = asyncio.create_task(holder())
        await inside.wait()
        gone = asyncio.create_task(db.write_first("SELECT 1"))
        later = asyncio.create_task(db.fetch_all("SELECT 2 AS two"))
        await asyncio.sleep(0)
        gone.cancel()
        leave.set()
        await held
        assert (await later)[0]["two"] == 2
        assert gone.cancelled()
        assert await db.fetch_all("SELECT 3 AS three")
    finally:
        await db.close()


async def test_the_done_mark_says_whether_the_users_next_update_waits(
    db: Database, clock: FakeClock
) -> None:
    inbox = InboxRepository(db)
    await inbox.add_many([(1, "user:7", "{}"), (2, "user:8", "{}")])
    first, other = await inbox.claim("w", timedelta(minutes=5))
    await inbox.add_many([(3, "user:7", "{}")])  # stored while 1 runs

    assert await inbox.complete_and_look(first, "w") == (True, True)
    assert await inbox.complete_and_look(other, "w") == (True, False)
    assert await inbox.complete_and_look(other, "w") == (False, False)  # no longer held
    (third,) = await inbox.claim("w", timedelta(minutes=5))
    assert third.update_id == 3
    assert await inbox.complete_and_look(third, "w", "Boom") == (True, False)
