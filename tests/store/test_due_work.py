"""The due_work table: one row per (kind, key), atomic leased claims, outcomes guarded by claim."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import aiosqlite

from core.clock import FakeClock
from store.db import Database, SqliteDatabase
from store.due_work import DueWorkRepository
from store.migrations import MIGRATIONS, migrate
from store.users import UserRepository

LEASE = timedelta(minutes=5)


async def test_scheduling_the_same_work_twice_is_one_row(db: Database, clock: FakeClock) -> None:
    work = DueWorkRepository(db)
    await work.schedule("link.revoke", "lnk_1", {"link_id": "lnk_1"})
    later = clock.now() + timedelta(hours=1)
    await work.schedule("link.revoke", "lnk_1", {"link_id": "lnk_1", "n": 2}, due_at=later)
    await work.schedule("link.revoke", "lnk_2")

    rows = await work.all("link.revoke")
    assert [r.key for r in rows] == ["lnk_2", "lnk_1"]  # soonest first
    again = rows[1]
    assert again.payload == {"link_id": "lnk_1", "n": 2}
    assert again.due_at == later == again.next_try_at
    assert again.claim is None and again.attempts == 0


async def test_an_item_dropped_in_a_transaction_goes_only_if_it_commits(
    db: Database, clock: FakeClock
) -> None:
    """cancel_in, as schedule_in: a row's own item (a reminder's next run, store/reminders.py)
    changes with the row, in its transaction, through the one place that knows the table."""
    work = DueWorkRepository(db)
    await work.schedule("reminder.fire", "1")

    class Undo(Exception):
        pass

    try:
        async with db.transaction() as tx:
            await DueWorkRepository.cancel_in(tx, "reminder.fire", "1")
            raise Undo
    except Undo:
        pass
    assert await work.get("reminder.fire", "1") is not None  # rolled back with the rest
    async with db.transaction() as tx:
        await DueWorkRepository.cancel_in(tx, "reminder.fire", "1")
    assert await work.get("reminder.fire", "1") is None
    assert not await work.cancel("reminder.fire", "1")  # gone: nothing left to cancel


async def test_nothing_is_claimed_before_it_is_due(db: Database, clock: FakeClock) -> None:
    work = DueWorkRepository(db)
    await work.schedule("k", "a", due_at=clock.now() + timedelta(minutes=10))
    assert await work.claim_due(clock.now(), 10, LEASE) == []
    assert await work.claim_due(clock.now() + timedelta(minutes=9, seconds=59), 10, LEASE) == []

    at = clock.now() + timedelta(minutes=10)
    [claimed] = await work.claim_due(at, 10, LEASE)
    assert claimed.key == "a" and claimed.attempts == 1
    assert claimed.claim is not None and claimed.claimed_until == at + LEASE


async def test_a_lease_holds_until_it_expires_then_the_item_is_claimed_again(
    db: Database, clock: FakeClock
) -> None:
    """A worker killed between claim and completion: its lease runs out, the work comes back."""
    work = DueWorkRepository(db)
    await work.schedule("k", "a")
    [first] = await work.claim_due(clock.now(), 10, LEASE)  # … and the worker dies here
    assert await work.claim_due(clock.now() + LEASE - timedelta(seconds=1), 10, LEASE) == []

    [second] = await work.claim_due(clock.now() + LEASE, 10, LEASE)
    assert second.id == first.id and second.attempts == 2
    assert first.claim is not None and second.claim is not None
    assert second.claim.token != first.claim.token
    # The dead worker's claim can no longer finish or fail the item; the new one can.
    assert not await work.complete(first.id, first.claim)
    assert not await work.fail(first.id, first.claim, clock.now(), "Boom")
    assert await work.get("k", "a") is not None
    assert await work.complete(second.id, second.claim)
    assert await work.get("k", "a") is None


async def test_fail_makes_it_runnable_again_later_and_give_up_retires_it(
    db: Database, clock: FakeClock
) -> None:
    work = DueWorkRepository(db)
    await work.schedule("k", "a")
    [item] = await work.claim_due(clock.now(), 10, LEASE)
    assert item.claim is not None
    retry_at = clock.now() + timedelta(minutes=3)
    assert await work.fail(item.id, item.claim, retry_at, "GatewayUnavailable")
    stored = await work.get("k", "a")
    assert stored is not None and stored.claim is None
    assert (stored.next_try_at, stored.last_error) == (retry_at, "GatewayUnavailable")
    assert await work.claim_due(retry_at - timedelta(seconds=1), 10, LEASE) == []

    [item] = await work.claim_due(retry_at, 10, LEASE)
    assert item.claim is not None and item.attempts == 2
    assert await work.give_up(item.id, item.claim, "GatewayUnavailable")
    assert await work.claim_due(retry_at + timedelta(days=30), 10, LEASE) == []
    kept = await work.get("k", "a")
    assert kept is not None and kept.given_up_at == clock.now()

    # Scheduling it anew brings it back with fresh attempts.
    await work.schedule("k", "a")
    [revived] = await work.claim_due(clock.now(), 10, LEASE)
    assert revived.attempts == 1 and revived.given_up_at is None


async def test_work_rescheduled_while_it_runs_is_not_completed_by_that_run(
    db: Database, clock: FakeClock
) -> None:
    work = DueWorkRepository(db)
    await work.schedule("followup", "u1")
    [running] = await work.claim_due(clock.now(), 10, LEASE)
    assert running.claim is not None
    tomorrow = clock.now() + timedelta(days=1)
    await work.schedule("followup", "u1", {"step": 2}, due_at=tomorrow)

    assert not await work.complete(running.id, running.claim)
    pending = await work.get("followup", "u1")
    assert pending is not None and pending.claim is None
    assert pending.payload == {"step": 2} and pending.next_try_at == tomorrow
    [next_run] = await work.claim_due(tomorrow, 10, LEASE)
    assert next_run.payload == {"step": 2}


async def test_claims_respect_the_limit_oldest_first(db: Database, clock: FakeClock) -> None:
    work = DueWorkRepository(db)
    for minutes in (3, 1, 2):
        await work.schedule("k", f"m{minutes}", due_at=clock.now() - timedelta(minutes=minutes))
    claimed = await work.claim_due(clock.now(), 2, LEASE)
    assert [c.key for c in claimed] == ["m3", "m2"]
    assert [c.key for c in await work.claim_due(clock.now(), 2, LEASE)] == ["m1"]


async def test_a_limit_of_one_claims_one_and_of_zero_none(db: Database, clock: FakeClock) -> None:
    work = DueWorkRepository(db)
    for key in ("a", "b"):
        await work.schedule("k", key)
    assert await work.claim_due(clock.now(), 0, LEASE) == []
    assert [c.key for c in await work.claim_due(clock.now(), 1, LEASE)] == ["a"]


async def test_giving_up_work_rescheduled_while_it_ran_only_releases_the_lease(
    db: Database, clock: FakeClock
) -> None:
    work = DueWorkRepository(db)
    await work.schedule("k", "a")
    [running] = await work.claim_due(clock.now(), 10, LEASE)
    assert running.claim is not None
    later = clock.now() + timedelta(hours=1)
    await work.schedule("k", "a", {"step": 2}, due_at=later)
    assert not await work.give_up(running.id, running.claim, "GatewayUnavailable")
    assert not await work.fail(running.id, running.claim, later, "GatewayUnavailable")
    pending = await work.get("k", "a")
    assert pending is not None and pending.given_up_at is None and pending.claim is None
    assert pending.next_try_at == later


async def test_racing_claims_from_two_connections_never_share_an_item(
    store_target: str | Path, clock: FakeClock
) -> None:
    """Two processes (two connections, each on its own thread; on PostgreSQL two pools, the
    claims FOR UPDATE SKIP LOCKED) claim at the same moment."""
    first = await Database.open(store_target, clock=clock)
    second = await Database.open(store_target, clock=clock)
    try:
        work_a, work_b = DueWorkRepository(first), DueWorkRepository(second)
        keys = {f"item{i}" for i in range(60)}
        for key in keys:
            await work_a.schedule("k", key)
        seen: list[str] = []
        for _ in range(40):
            got_a, got_b = await asyncio.gather(
                work_a.claim_due(clock.now(), 3, LEASE), work_b.claim_due(clock.now(), 3, LEASE)
            )
            seen += [i.key for i in [*got_a, *got_b]]
            if not got_a and not got_b:
                break
        assert sorted(seen) == sorted(keys)  # every item once: none twice, none lost
    finally:
        await first.close()
        await second.close()


async def test_migration_4_turns_owed_revocations_into_due_work(
    db_path: Path, clock: FakeClock
) -> None:
    db = await _open_at(db_path, clock, version=3)  # as a bot of version 3 left it
    try:
        await db.write(
            "INSERT INTO pending_revocations (link_id, since, attempts) VALUES "
            "('lnk_a', '2026-03-01T08:00:00.000000+00:00', 40), "
            "('lnk_b', '2026-03-01T09:00:00.000000+00:00', 0)"
        )
        assert await migrate(db, MIGRATIONS[:4]) == [4]
        tables = {r["name"] for r in await db.fetch_all("SELECT name FROM sqlite_master")}
        assert "pending_revocations" not in tables
        claimed = await DueWorkRepository(db).claim_due(clock.now(), 10, LEASE)
        assert [(c.kind, c.key, c.payload) for c in claimed] == [
            ("link.revoke", "lnk_a", {"link_id": "lnk_a"}),
            ("link.revoke", "lnk_b", {"link_id": "lnk_b"}),
        ]
        assert [c.attempts for c in claimed] == [1, 1]  # the old count was never a policy
    finally:
        await db.close()


async def _open_at(path: Path, clock: FakeClock, version: int) -> Database:
    """A database migrated only up to `version`, as an older bot left it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute_fetchall("PRAGMA journal_mode=WAL")
    await conn.execute_fetchall("PRAGMA foreign_keys=ON")
    db = SqliteDatabase(conn, clock)
    await migrate(db, MIGRATIONS[:version])
    return db


async def test_work_about_a_user_is_only_scheduled_while_they_exist_and_goes_with_them(
    db: Database, clock: FakeClock
) -> None:
    work, users = DueWorkRepository(db), UserRepository(db)
    due = clock.now()
    assert not await work.schedule_for_user("send.nudge", 4242, {}, due_at=due)  # nobody
    await users.touch(4242, None)
    assert await work.schedule_for_user("send.nudge", 4242, {"a": 1}, due_at=due)
    assert await work.schedule_for_user("any.other", 4242, {}, due_at=due)  # whatever its kind
    assert await work.schedule_for_user("send.nudge", 4242, {"a": 2}, due_at=due)  # upsert
    await work.schedule("link.revoke", "lnk_a", {"link_id": "lnk_a"}, due_at=due)
    assert len(await work.all()) == 3
    await users.delete(4242)
    assert [(i.kind, i.key) for i in await work.all()] == [("link.revoke", "lnk_a")]
    assert not await work.schedule_for_user("send.nudge", 4242, {}, due_at=due)
    assert [i.kind for i in await work.all()] == ["link.revoke"]


async def test_the_migration_names_nudges_and_drops_those_of_users_gone(
    db_path: Path, clock: FakeClock
) -> None:
    version = next(m.version for m in MIGRATIONS if m.name.startswith("due work about one user"))
    db = await _open_at(db_path, clock, version=version - 1)
    try:
        await UserRepository(db).touch(4242, None)
        for key in ("4242", "5353"):  # 5353: rescheduled by a run racing its user's /forget
            await DueWorkRepository(db).schedule("send.nudge", key, {}, due_at=clock.now())
        assert await migrate(db, MIGRATIONS[:version]) == [version]
        rows = await db.fetch_all("SELECT key, telegram_id FROM due_work")
        assert [tuple(r) for r in rows] == [("4242", 4242)]
        await UserRepository(db).delete(4242)
        assert await db.fetch_all("SELECT key FROM due_work") == []
    finally:
        await db.close()


async def test_the_backlog_counts_work_due_and_not_given_up_and_its_oldest_wait(
    db: Database, clock: FakeClock
) -> None:
    work = DueWorkRepository(db)
    now = clock.now()
    empty = await work.backlog(now)
    assert (empty.due, empty.oldest_due_at, empty.seconds(now)) == (0, None, 0.0)
    await work.schedule("k", "old", due_at=now - timedelta(minutes=5))
    await work.schedule("k", "new", due_at=now - timedelta(minutes=1))
    await work.schedule("k", "later", due_at=now + timedelta(minutes=1))
    await work.schedule("k", "dead", due_at=now - timedelta(hours=1))
    [dead] = await work.claim_due(now - timedelta(minutes=30), 1, LEASE)
    assert dead.key == "dead" and dead.claim is not None
    await work.give_up(dead.id, dead.claim, "Boom")
    backlog = await work.backlog(now)
    assert (backlog.due, backlog.oldest_due_at) == (2, now - timedelta(minutes=5))
    assert backlog.seconds(now) == 300.0
    assert backlog.seconds(now - timedelta(hours=1)) == 0.0  # never negative


async def test_a_payload_is_stored_as_canonical_json_whoever_schedules_it(
    db: Database, clock: FakeClock
) -> None:
    """Sorted keys and the text as written (not \\u escapes): the same payload is always the
    same bytes, and an operator reading the table reads Korean."""
    work = DueWorkRepository(db)
    await UserRepository(db).touch(1001, None)
    payload = {"text": "센터 안내", "broadcast_id": 7}
    await work.schedule("k", "a", payload)
    await work.schedule_for_user("nudge", 1001, payload, due_at=clock.now())
    rows = await db.fetch_all("SELECT payload FROM due_work ORDER BY id")
    assert [r[0] for r in rows] == ['{"broadcast_id": 7, "text": "센터 안내"}'] * 2
    (item,) = await work.all("nudge")
    assert (item.key, item.payload) == ("1001", payload)


async def test_cancel_says_whether_there_was_work_and_no_limit_claims_nothing(
    db: Database, clock: FakeClock
) -> None:
    work = DueWorkRepository(db)
    await work.schedule("k", "a")
    assert await work.claim_due(clock.now(), -1, LEASE) == []  # not "no LIMIT" in SQL
    assert await work.cancel("k", "a") is True
    assert await work.cancel("k", "a") is False
    assert await work.all() == []
