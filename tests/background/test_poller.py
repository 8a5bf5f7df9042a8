"""The due-work poller on a real SQLite file and a fake clock: due, retried, given up, rerun."""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.background import DuePoller, RetryPolicy
from core.clock import FakeClock
from store.db import Database
from store.due_work import DueWorkRepository

LEASE = timedelta(minutes=5)


class Longest(random.Random):
    """Full jitter at its upper bound, so a test knows exactly when a retry comes."""

    def random(self) -> float:
        return 1.0


class Recorder:
    """A handler that records its calls and fails while told to."""

    def __init__(self, failures: int = 0, error: type[Exception] = ConnectionError) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures = failures
        self.error = error

    async def __call__(self, key: str, payload: dict[str, Any]) -> None:
        self.calls.append((key, payload))
        if self.failures:
            self.failures -= 1
            raise self.error("the other side is down: kindly0904 010-1234-5678")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def db(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3", clock=clock)
    try:
        yield database
    finally:
        await database.close()


def poller(db: Database, clock: FakeClock, **kwargs: Any) -> DuePoller:
    return DuePoller(DueWorkRepository(db), clock, lease=LEASE, rng=Longest(), **kwargs)


async def test_work_runs_once_when_due_and_not_before(db: Database, clock: FakeClock) -> None:
    runner, handler = poller(db, clock), Recorder()
    runner.register("followup", handler)
    await runner.work.schedule("followup", "f1", {"n": 1}, due_at=clock.now() + timedelta(hours=1))

    await runner.run_due()
    clock.advance(timedelta(minutes=59))
    await runner.run_due()
    assert handler.calls == []

    clock.advance(timedelta(minutes=1))
    report = await runner.run_due()
    assert handler.calls == [("f1", {"n": 1})]
    assert len(report.done) == 1 and await runner.work.all() == []
    clock.advance(timedelta(days=1))
    await runner.run_due()
    assert len(handler.calls) == 1


async def test_failures_back_off_then_give_up_with_one_log_line(
    db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    policy = RetryPolicy(max_attempts=3, base=timedelta(minutes=1), cap=timedelta(hours=1))
    runner, handler = poller(db, clock), Recorder(failures=99)
    runner.register("link.revoke", handler, policy)
    await runner.work.schedule("link.revoke", "lnk_opaque", {"link_id": "lnk_opaque"})

    with caplog.at_level(logging.DEBUG, logger="bot.background"):
        assert len((await runner.run_due()).retried) == 1  # attempt 1 fails: wait 1 min
        for wait in (timedelta(minutes=1), timedelta(minutes=2)):  # 2 min after attempt 2
            clock.advance(wait - timedelta(seconds=1))
            await runner.run_due()
            assert caplog.records == []
            calls = len(handler.calls)
            clock.advance(timedelta(seconds=1))
            report = await runner.run_due()
            assert len(handler.calls) == calls + 1
        assert len(report.given_up) == 1  # attempt 3 was the last
        clock.advance(timedelta(days=30))
        await runner.run_due()

    assert len(handler.calls) == 3
    [line] = [r for r in caplog.records if r.name.startswith("bot.background")]
    message = line.getMessage()
    assert line.levelno == logging.WARNING
    assert "link.revoke" in message and "3 attempt" in message and "ConnectionError" in message
    for private in ("lnk_opaque", "kindly0904", "010-1234-5678", "down"):
        assert private not in message
    kept = await runner.work.get("link.revoke", "lnk_opaque")
    assert kept is not None and kept.given_up_at is not None
    assert kept.last_error == "ConnectionError"


async def test_a_run_killed_after_its_claim_is_run_again_once_the_lease_expires(
    db: Database, clock: FakeClock
) -> None:
    runner, handler = poller(db, clock), Recorder()
    runner.register("k", handler)
    await runner.work.schedule("k", "a")
    # Another worker claims it and is killed (kill -9) before it completes.
    await DueWorkRepository(db).claim_due(clock.now(), 10, LEASE)

    await runner.run_due()
    clock.advance(LEASE - timedelta(seconds=1))
    await runner.run_due()
    assert handler.calls == []
    clock.advance(timedelta(seconds=1))
    assert len((await runner.run_due()).done) == 1
    assert handler.calls == [("a", {})]


async def test_items_whose_lease_ran_out_while_the_batch_ran_are_left_to_the_next_claim(
    db: Database, clock: FakeClock
) -> None:
    runner, ran = poller(db, clock, batch=3), []

    async def slow(key: str, payload: dict[str, Any]) -> None:
        ran.append(key)
        if key == "first":
            clock.advance(LEASE)  # so slow that the batch's lease is over

    runner.register("k", slow)
    await runner.work.schedule("k", "first", due_at=clock.now() - timedelta(seconds=2))
    await runner.work.schedule("k", "second", due_at=clock.now() - timedelta(seconds=1))
    report = await runner.run_due()
    assert ran == ["first"] and len(report.superseded) == 1
    await runner.run_due()
    assert ran == ["first", "second"]


async def test_an_item_that_keeps_killing_its_worker_is_given_up_without_running(
    db: Database, clock: FakeClock
) -> None:
    runner, handler = poller(db, clock), Recorder()
    runner.register("k", handler, RetryPolicy(max_attempts=2))
    await runner.work.schedule("k", "poison")
    work = DueWorkRepository(db)
    for _ in range(2):  # two runs that each crashed the process mid-way
        assert len(await work.claim_due(clock.now(), 10, LEASE)) == 1
        clock.advance(LEASE)

    report = await runner.run_due()
    assert handler.calls == [] and len(report.given_up) == 1


async def test_two_pollers_racing_never_run_an_item_twice(tmp_path: Path, clock: FakeClock) -> None:
    """Two bot processes on one database file, each with its own connection and poller."""
    path = tmp_path / "bot.sqlite3"
    first = await Database.open(path, clock=clock)
    second = await Database.open(path, clock=clock)
    try:
        runs: Counter[str] = Counter()
        started = [asyncio.Event(), asyncio.Event()]

        def handler(mine: int):  # type: ignore[no-untyped-def]
            async def run(key: str, payload: dict[str, Any]) -> None:
                runs[key] += 1
                started[mine].set()
                # Hold the first item until the other poller holds one too: both pollers
                # are now inside leases at the same time, and the rest interleaves.
                await asyncio.wait_for(started[1 - mine].wait(), 20)

            return run

        pollers = [poller(first, clock, batch=3), poller(second, clock, batch=3)]
        for mine, each in enumerate(pollers):
            each.register("broadcast", handler(mine))
        for n in range(40):
            await pollers[0].work.schedule("broadcast", f"chat{n}")

        reports = await asyncio.gather(*(each.run_due() for each in pollers))
        assert runs == Counter({f"chat{n}": 1 for n in range(40)})
        assert sum(len(r.done) for r in reports) == 40
    finally:
        await first.close()
        await second.close()


async def test_a_handler_that_reschedules_its_own_work_keeps_the_new_schedule(
    db: Database, clock: FakeClock
) -> None:
    runner = poller(db, clock)
    seen: list[int] = []

    async def nudge(key: str, payload: dict[str, Any]) -> None:
        seen.append(payload["n"])
        if payload["n"] < 3:
            next_time = clock.now() + timedelta(days=1)
            await runner.work.schedule("nudge", key, {"n": payload["n"] + 1}, due_at=next_time)

    runner.register("nudge", nudge)
    await runner.work.schedule("nudge", "u1", {"n": 1})
    for _ in range(5):
        await runner.run_due()
        clock.advance(timedelta(days=1))
    assert seen == [1, 2, 3] and await runner.work.all() == []


async def test_unknown_kinds_are_retried_then_given_up(db: Database, clock: FakeClock) -> None:
    runner = poller(db, clock, default_policy=RetryPolicy(max_attempts=2))
    await runner.work.schedule("from.a.newer.bot", "x")
    assert len((await runner.run_due()).retried) == 1
    clock.advance(timedelta(hours=1))
    assert len((await runner.run_due()).given_up) == 1


async def test_run_every_runs_due_work_without_being_asked(db: Database, clock: FakeClock) -> None:
    runner = poller(db, clock)
    ran = asyncio.Event()

    async def mark(key: str, payload: dict[str, Any]) -> None:
        ran.set()

    runner.register("k", mark)
    stop = asyncio.Event()
    ticking = asyncio.create_task(runner.run_every(0.01, stop))
    try:
        await runner.work.schedule("k", "a")
        await asyncio.wait_for(ran.wait(), 20)
    finally:
        stop.set()
        await asyncio.wait_for(ticking, 20)
    assert ticking.done() and ticking.exception() is None


def test_backoff_grows_exponentially_up_to_the_cap_with_full_jitter() -> None:
    policy = RetryPolicy(max_attempts=20, base=timedelta(seconds=30), cap=timedelta(hours=1))
    assert [policy.ceiling(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert policy.ceiling(12) == timedelta(hours=1)
    rng = random.Random(7)
    delays = [policy.delay(5, rng) for _ in range(200)]
    assert all(timedelta(seconds=1) <= d <= policy.ceiling(5) for d in delays)
    # Full jitter: spread over the whole range, not clustered at the ceiling.
    assert min(delays) < policy.ceiling(5) / 4 and max(delays) > policy.ceiling(5) * 3 / 4


async def test_the_give_up_handler_runs_once_and_its_own_failure_changes_nothing(
    db: Database, clock: FakeClock
) -> None:
    runner, handler, told = poller(db, clock), Recorder(failures=99), Recorder(failures=1)
    policy = RetryPolicy(max_attempts=3, base=timedelta(seconds=10), cap=timedelta(minutes=1))
    runner.register("result", handler, policy, on_give_up=told)
    await runner.work.schedule("result", "r1", {"send_id": 7})
    for _ in range(6):
        await runner.run_due()
        clock.advance(timedelta(minutes=2))
    assert len(handler.calls) == 3
    assert told.calls == [("r1", {"send_id": 7})]  # once, even though it raised
    item = await runner.work.get("result", "r1")
    assert item is not None and item.given_up_at is not None
