"""The flow service on a real SQLite file and a fake clock: replace, expire, advance, close."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from pathlib import Path

import aiosqlite

from bot.background import DuePoller
from bot.services.flows import EXPIRE, SWEEP, Expired, Flow, FlowCodec, FlowService, Stored
from core.clock import FakeClock
from store.db import Database, SqliteDatabase
from store.due_work import DueWorkRepository
from store.flows import FlowRepository
from store.migrations import MIGRATIONS, migrate
from store.users import UserRepository

LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class Kept:
    request_id: str | None = None
    vms_id: str | None = None


CODEC = FlowCodec(Kept)


async def service(db: Database, clock: FakeClock) -> FlowService:
    await UserRepository(db).touch(1001, "ko")
    numbers = count()
    return FlowService(FlowRepository(db), clock, new_token=lambda: f"tok{next(numbers):05d}")


async def test_opening_replaces_and_only_the_open_token_advances(
    db: Database, clock: FakeClock
) -> None:
    flows = await service(db, clock)
    first = await flows.open(1001, "settings", "menu", lifetime=LIFETIME, codec=CODEC)
    second = await flows.open(1001, "link", "ask_id", lifetime=LIFETIME, codec=CODEC)
    assert first.token != second.token
    assert await flows.advance(1001, first, step="language") is None
    moved = await flows.advance(1001, second, step="ask_code", data=Kept(request_id="r-1"))
    assert moved is not None
    found = await flows.read(1001)
    assert isinstance(found, Stored)
    assert found.decode(CODEC) == Flow(
        "link", "ask_code", second.token, Kept("r-1"), CODEC, None, None, moved.expires_at
    )
    shown = await flows.advance(1001, moved, message_id=7, rendered="abc")
    assert shown is not None and (shown.step, shown.message_id, shown.rendered) == (
        "ask_code",
        7,
        "abc",
    )
    assert await flows.close(1001, token=first.token) is None  # not the open one
    assert await flows.close(1001, name="settings") is None
    assert await flows.close(1001, name="link") == "link"
    assert await flows.read(1001) is None


async def test_expiry_is_read_from_the_clock(db: Database, clock: FakeClock) -> None:
    flows = await service(db, clock)
    opened = await flows.open(1001, "link", "ask_id", lifetime=LIFETIME, codec=CODEC)
    clock.advance(LIFETIME - timedelta(seconds=1))
    assert isinstance(await flows.read(1001), Stored)
    clock.advance(timedelta(seconds=1))
    assert await flows.read(1001) == Expired("link", opened.token)
    # Expired flows stay until closed, so the user can be told once.
    assert await flows.close(1001, token=opened.token) == "link"
    assert await flows.read(1001) is None


async def test_forgetting_the_user_removes_the_flow(db: Database, clock: FakeClock) -> None:
    flows = await service(db, clock)
    await flows.open(1001, "link", "ask_id", lifetime=LIFETIME, codec=CODEC)
    await UserRepository(db).delete(1001)
    assert await flows.read(1001) is None
    assert await db.fetch_all("SELECT * FROM flows") == []


async def test_a_flow_another_worker_opens_or_closes_is_seen_at_once(
    db: Database, clock: FakeClock
) -> None:
    """Two services over one store (two workers): nothing about a user's flow is kept in
    memory, not even that they have none."""
    here, there = await service(db, clock), await service(db, clock)
    assert await here.read(1001) is None
    assert await here.close(1001) is None
    opened = await there.open(1001, "link", "ask_id", lifetime=LIFETIME, codec=CODEC)
    found = await here.read(1001)
    assert isinstance(found, Stored) and found.decode(CODEC) == opened
    assert await there.close(1001) == "link"
    assert await here.read(1001) is None


async def test_the_flows_migration_empties_the_old_ptb_persistence(
    db_path: Path, clock: FakeClock
) -> None:
    """Old conversations held typed VMS IDs in ptb_user_data; nothing reads them any more."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(db_path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    old = SqliteDatabase(conn, clock)
    await migrate(old, MIGRATIONS[:3])
    await old.write("INSERT INTO ptb_user_data VALUES (1001, ?)", ('{"vms_id":"kindly0904"}',))
    await old.write("INSERT INTO ptb_conversations VALUES ('link', '[1001,1001]', '\"ask_code\"')")
    assert await migrate(old, MIGRATIONS[:5]) == [4, 5]
    for table in ("ptb_user_data", "ptb_conversations", "flows"):
        assert await old.fetch_all(f"SELECT * FROM {table}") == [], table
    await old.close()


async def test_abandoned_flows_are_swept_a_week_after_expiry_by_daily_due_work(
    db: Database, clock: FakeClock
) -> None:
    work = DueWorkRepository(db)
    flows = FlowService(FlowRepository(db), clock, work=work)
    poller = DuePoller(work, clock)
    poller.register(SWEEP, flows.sweep)
    users = UserRepository(db)
    for uid in (1, 2):
        await users.touch(uid, "ko")
    await flows.open(1, "link", "ask_code", lifetime=timedelta(minutes=30), codec=CODEC)
    clock.advance(timedelta(days=6))
    await flows.open(2, "link", "ask_code", lifetime=timedelta(minutes=30), codec=CODEC)
    await work.schedule(SWEEP, "all")
    clock.advance(timedelta(days=1, hours=1))  # user 1's flow expired 7 days ago, user 2's 1
    await poller.run_due()
    assert await FlowRepository(db).get(1) is None
    assert isinstance(await flows.read(2), Expired)  # still told it expired when they type
    item = await work.get(SWEEP, "all")
    assert item is not None and item.due_at == clock.now() + timedelta(days=1)


async def stored_data(db: Database, telegram_id: int) -> str | None:
    row = await FlowRepository(db).get(telegram_id)
    return row.data if row is not None else None


async def test_an_expired_flows_data_goes_at_expiry_even_if_nobody_comes_back(
    db: Database, clock: FakeClock
) -> None:
    work = DueWorkRepository(db)
    await UserRepository(db).touch(1001, "ko")
    flows = FlowService(FlowRepository(db), clock, work=work)
    poller = DuePoller(work, clock)
    poller.register(EXPIRE, flows.expire)
    flow = await flows.open(1001, "link", "ask_id", lifetime=LIFETIME, codec=CODEC)
    await flows.advance(1001, flow, step="ask_code", data=Kept(vms_id="kindly0904"))
    clock.advance(LIFETIME - timedelta(seconds=1))
    await poller.run_due()
    assert await stored_data(db, 1001) == '{"vms_id":"kindly0904"}'  # still open
    clock.advance(timedelta(seconds=1))
    assert len((await poller.run_due()).done) == 1
    assert await stored_data(db, 1001) == "{}"
    found = await flows.read(1001)
    assert isinstance(found, Expired) and found.token == flow.token  # said once, as before


async def test_reading_an_expired_flow_empties_its_data_before_the_item_runs(
    db: Database, clock: FakeClock
) -> None:
    flows = await service(db, clock)
    flow = await flows.open(
        1001, "link", "ask_code", lifetime=LIFETIME, codec=CODEC, data=Kept(vms_id="x1234")
    )
    clock.advance(LIFETIME)
    assert isinstance(await flows.read(1001), Expired)
    assert await stored_data(db, 1001) == "{}"
    assert await flows.advance(1001, flow, data=Kept(vms_id="x1234")) is not None
    # The sweep (which also covers flows opened before EXPIRE items existed) empties it too.
    await flows.sweep("all", {})
    assert await stored_data(db, 1001) == "{}"


async def test_closing_a_flow_cancels_its_expiry_item(db: Database, clock: FakeClock) -> None:
    work = DueWorkRepository(db)
    await UserRepository(db).touch(1001, "ko")
    flows = FlowService(FlowRepository(db), clock, work=work)
    flow = await flows.open(1001, "link", "ask_id", lifetime=LIFETIME, codec=CODEC)
    item = await work.get(EXPIRE, flow.token)
    assert item is not None and item.due_at == clock.now() + LIFETIME
    assert await flows.close(1001, token=flow.token) == "link"
    assert await work.all(EXPIRE) == []
