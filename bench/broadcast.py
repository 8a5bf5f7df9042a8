"""Broadcast sender: achieved rate, duplicates, missed, 429s, memory, a kill -9 at 50%, and how
long a volunteer's /help reply takes while a broadcast runs.

"missed" counts recipients the store says were sent (or never tried) who got no copy: a bug.
"possibly missed" counts the deliveries a kill left 'unknown': staff cannot tell whether they
arrived (the report offers to resend to them); "of them not received" is what the sandbox
knows and staff do not.

The bot runs in its own process (this file's `child` mode: the production application, its
sender's rate set for the scenario) against the sandbox Bot API server in this process, which
enforces the bot-wide flood limit. Recipients are seeded into the bot's store and the
sandbox's world (3,000 people talking to the bot first would only measure /start).

    python -m bench.broadcast [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aiolimiter import AsyncLimiter

from bench.cpu_per_update import peak_rss_mib
from bot.rate_limit import BotBudget
from core.clock import SystemClock
from sandbox.botapi import BotApiSandbox
from sandbox.botapi.state import UserInfo
from sandbox.gateway import GatewaySandbox
from store.broadcast_deliveries import DeliveryRepository
from store.broadcasts import Audience, BroadcastRepository
from store.db import Database

os.environ.setdefault("PTB_TIMEDELTA", "true")
TOKEN = "123456:SANDBOX-TOKEN-not-a-real-one"
GATEWAY_KEY = "bench-center-key"
ROOT = Path(__file__).resolve().parent.parent
FIRST = 500_000
HELPERS = 700_000  # volunteers asking /help during the broadcast (not in its audience)
TEXT = "<b>센터 안내</b> 이번 달 봉사실적을 1365로 전송하셨나요?"


@dataclass
class Outcome:
    name: str
    recipients: int
    configured: float
    achieved: float
    duplicates: int
    missed: int
    unknown: int  # possibly missed: in flight at the kill, outcome unknown to staff
    unknown_not_received: int  # of those, how many the sandbox never delivered
    floods: int
    peak_rss_mib: float


async def seed(db_path: Path, sandbox: BotApiSandbox, count: int) -> None:
    """`count` volunteers who started the bot, in the bot's store and in Telegram's world."""
    db = await Database.open(db_path, clock=SystemClock())
    try:
        now = "2026-03-01T00:00:00.000000+00:00"
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (telegram_id, language, language_chosen, first_seen,"
                " last_seen, reminders) VALUES (?, 'ko', 0, ?, ?, 1)",
                [(FIRST + i, now, now) for i in range(count)],
            )
    finally:
        await db.close()
    for i in range(count):
        uid = FIRST + i
        sandbox.world.users[uid] = UserInfo(uid, f"v{i}", language_code="ko", started=True)
        sandbox.world.ensure_chat(uid, "private", None)


async def launch(db_path: Path) -> int:
    db = await Database.open(db_path, clock=SystemClock())
    try:
        broadcast_id, _ = await BroadcastRepository(db).create(
            created_by=None, audience=Audience("all"), text_ko=TEXT, text_en=None
        )
    finally:
        await db.close()
    return broadcast_id


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


async def start_child(
    folder: Path, sandbox: BotApiSandbox, gateway: GatewaySandbox, rate: float, limit: float
):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "VMS_GATEWAY_URL": gateway.base_url,
        "VMS_GATEWAY_API_KEY": GATEWAY_KEY,
        "DATABASE_PATH": str(folder / "bot.sqlite3"),
        "LOG_LEVEL": "WARNING",
    }
    with (folder / "bot.log").open("ab") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.broadcast", "--child", str(rate), str(limit),
            cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=log,
        )  # fmt: skip


async def wait_for(check, seconds: float = 900) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(seconds):
        while not check():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


def received(sandbox: BotApiSandbox, count: int) -> Counter[int]:
    copies: Counter[int] = Counter()
    for i in range(count):
        chat = sandbox.world.chats.get(FIRST + i)
        copies[FIRST + i] = sum(1 for e in chat.entries if e.from_bot) if chat else 0
    return copies


def delivered_times(sandbox: BotApiSandbox, count: int) -> list[float]:
    return sorted(
        e.sent_at
        for i in range(count)
        for e in sandbox.world.chats[FIRST + i].entries
        if e.from_bot
    )


async def ask_help(sandbox: BotApiSandbox, users: range, every: float) -> list[float]:
    """Each user sends /help once, `every` seconds apart; seconds until the bot's reply."""
    latencies = []
    for uid in users:
        sent = await sandbox.user_send(uid, "/help", first_name="v")
        start = sandbox.world.clock()
        reply = await sandbox.wait_bot_message(uid, timeout=60)
        latencies.append(reply.sent_at - start)
        _ = sent
        await asyncio.sleep(every)
    return latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] * 1000 if len(values) > 1 else float("nan")


async def scenario(
    name: str, count: int, rate: float, limit: float, *, kill_at: float | None, helpers: int
) -> tuple[Outcome, list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bot.sqlite3"
        gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=folder / "gw.sqlite3")
        async with BotApiSandbox(tokens=[TOKEN], per_bot_per_second=limit) as sandbox, gateway:
            await seed(db, sandbox, count)
            child = await start_child(folder, sandbox, gateway, rate, limit)
            quiet: list[float] = []
            busy: list[float] = []
            peak = 0.0
            try:
                base = HELPERS
                await wait_for(lambda: sandbox.long_poll_waiting, 60)
                if helpers:
                    await ask_help(sandbox, range(base - 5, base), 0.05)  # warm-up, not measured
                    quiet = await ask_help(sandbox, range(base, base + helpers), 0.05)
                broadcast_id = await launch(db)
                total = lambda: sum(received(sandbox, count).values())  # noqa: E731
                if kill_at is not None:
                    await wait_for(lambda: total() >= count * kill_at)
                    child.send_signal(signal.SIGKILL)
                    await child.wait()
                    with sqlite3.connect(db) as conn:  # the heartbeat's 30 s, skipped
                        conn.execute("UPDATE due_work SET next_try_at = '2000-01-01T00:00:00Z'")
                    child = await start_child(folder, sandbox, gateway, rate, limit)
                if helpers:
                    await wait_for(lambda: total() >= 1)
                    busy = await ask_help(sandbox, range(base + helpers, base + 2 * helpers), 0.05)
                done = f"SELECT state FROM broadcasts WHERE id = {broadcast_id}"
                await wait_for(lambda: query(db, done) == [("done",)])
                peak = peak_rss_mib(child.pid)
            finally:
                child.send_signal(signal.SIGTERM)
                await child.wait()
            copies = received(sandbox, count)
            states: dict[object, object] = {
                uid: state
                for uid, state in query(
                    db, "SELECT telegram_id, state || COALESCE(error, '') FROM deliveries"
                )
            }
            unknown = sum(1 for s in states.values() if s == "failedunknown")
            missed = sum(
                1 for uid, n in copies.items() if n == 0 and states[uid] != "failedunknown"
            )
            unknown_not_received = sum(
                1 for uid, n in copies.items() if n == 0 and states[uid] == "failedunknown"
            )
            times = delivered_times(sandbox, count)
            achieved = (len(times) - 1) / (times[-1] - times[0])
            if kill_at is not None:
                achieved = float("nan")  # the restart's pause is not the sender's rate
            floods = sum(1 for r in sandbox.rejections if r.error_code == 429)
            outcome = Outcome(
                name, count, rate, achieved, sum(max(0, n - 1) for n in copies.values()),
                missed, unknown, unknown_not_received, floods, peak,
            )  # fmt: skip
            return outcome, quiet, busy


def show(o: Outcome) -> None:
    if math.isnan(o.achieved):  # a kill -9 run: the restart's pause is not the sender's rate
        rate = "rate n/a (restart in between)"
    else:
        rate = f"achieved {o.achieved:6.1f}/s (ratio {o.achieved / o.configured:4.2f})"
    print(
        f"  {o.name:<34} {o.recipients:>6} at {o.configured:>5.0f}/s  {rate}"
        f"  duplicates {o.duplicates}  missed {o.missed}"
        f"  possibly missed (unknown, in flight at kill) {o.unknown}"
        f" (of them not received {o.unknown_not_received})  429s {o.floods}"
        f"  peak RSS {o.peak_rss_mib:.0f} MiB",
        flush=True,
    )


async def snapshot_memory(count: int) -> None:
    """Peak traced memory to snapshot `count` recipients and page through them once."""
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bot.sqlite3"
        db = await Database.open(db_path, clock=SystemClock())
        now = "2026-03-01T00:00:00.000000+00:00"
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (telegram_id, language, language_chosen, first_seen,"
                " last_seen, reminders) VALUES (?, 'ko', 0, ?, ?, 1)",
                [(FIRST + i, now, now) for i in range(count)],
            )
        tracemalloc.start()
        started = time.perf_counter()
        broadcast_id, recipients = await BroadcastRepository(db).create(
            created_by=None, audience=Audience("all"), text_ko=TEXT, text_en=None
        )
        took = time.perf_counter() - started
        _, peak_create = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        deliveries, after, seen = DeliveryRepository(db), 0, 0
        while page := await deliveries.queued(broadcast_id, after, 500):
            after, seen = page[-1].telegram_id, seen + len(page)
        _, peak_page = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        await db.close()
        print(
            f"  snapshot of {recipients} recipients: {took:.2f} s, peak traced"
            f" {peak_create / 2**20:.1f} MiB; paging all {seen} as the sender does:"
            f" peak {peak_page / 2**20:.1f} MiB",
            flush=True,
        )


async def main(args: argparse.Namespace) -> None:
    small, large, huge, helpers = (
        (600, 2000, 20_000, 20) if args.quick else (3000, 10_000, 100_000, 60)
    )
    print("broadcast bench (bot in its own process, sandbox Bot API enforcing the flood limit)")
    runs = [
        ("default rate, limit 30/s", small, 20.0, 30.0, None, helpers),
        ("100/s, limit raised to 120/s", large, 100.0, 120.0, None, 0),
        ("default rate, kill -9 at 50%", small, 20.0, 30.0, 0.5, 0),
        ("100/s, kill -9 at 50%", large, 100.0, 120.0, 0.5, 0),
    ]
    for name, count, rate, limit, kill_at, ask in runs:
        outcome, quiet, busy = await scenario(
            name, count, rate, limit, kill_at=kill_at, helpers=ask
        )
        show(outcome)
        if ask:
            print(
                f"    /help reply p95: {p95(quiet):.0f} ms without a broadcast,"
                f" {p95(busy):.0f} ms during it ({ask} volunteers each)",
                flush=True,
            )
    await snapshot_memory(huge)


def raise_budget(budget: BotBudget, rate: float) -> None:
    """Refills the bot-wide budget at `rate` a second: this bench's sandbox raises Telegram's
    limit. Kept here, reaching into BotBudget, because no bot that talks to Telegram may do it
    (the product's budget has no setter on purpose)."""
    budget._limiter = AsyncLimiter(rate, 1)
    budget.rate = rate


async def child(rate: float, limit: float) -> None:
    """The bot process: the production application, its sender at the scenario's rate."""
    from app import build_application
    from bot.runtime import BotRuntime, StopSignals
    from bot.settings import Settings

    settings = Settings()  # type: ignore[call-arg]
    app = await build_application(settings)
    backend = app.bot_data.backend
    assert backend is not None
    backend.sender.pace(rate)  # above BROADCAST_RATE's cap of 30: the bench's raised limit
    # The bot-wide budget replies and broadcasts share follows the sandbox's raised limit too.
    raise_budget(app.bot.rate_limiter.budget, limit)  # type: ignore[union-attr]
    runtime = BotRuntime(app, due_work_every=0.5)
    with StopSignals() as stop:
        await runtime.start()
        try:
            await stop.wait()
        finally:
            await runtime.stop()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        asyncio.run(child(float(sys.argv[2]), float(sys.argv[3])))
    else:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--quick", action="store_true", help="smaller audiences (~2 min)")
        asyncio.run(main(parser.parse_args()))
