"""/status end to end: our bot fetching from the gateway against a bare PTB bot, same run.

Set-up (timed apart, not measured): the sandbox gateway gets N members (default 1,000), both
consents given and 50 unsent records each, added through its operator API in Python (as the
console's `:volunteer` does). Each member is then linked through the gateway contract over
HTTP exactly as /link does it (request a code → the code the sandbox delivered → confirm), and
the link is written into a fresh bot database with the bot's own store (UserRepository.touch,
LinkRepository.save) before the bot process starts. Driving /link through the bot would cost
three more round trips per user and measure /link, not /status.

Then each bot runs as its own process (`run_bot.py real` with the production AIORateLimiter;
bench/echo_bot.py with the same limiter), the sandbox Bot API server and the gateway in this
process. Warm-up: /status from a few extra linked users (the echo bot answers /help with the
text ours gave them, so both send the same HTML). Measured: one /status (/help for the echo
bot) from each of the N users, paced at --rate per second or, with --rate 0, all at once
(Telegram's ~30 messages/s limiter then sets the pace for both). Every one of ours is a cold
status: the user's first, so the bot fetches member, records and last transmission from the
gateway and caches 50 records.

    python -m bench.status_e2e [--users 1000] [--rate 20 | --rate 0]

Prints replies/s (first arrival → last reply), CPU ms per update from /proc (user + system of
the child), p50/p95 latency (the update's arrival at the sandbox → the reply reaching it), peak
RSS (VmHWM), and ratios ours/baseline. The gateway's own work runs in this process, so it is
not in ours' CPU figure; its latency is in ours' reply latency. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench.cpu_per_update import cpu_times, peak_rss_mib
from bot.i18n import t
from core.clock import SystemClock
from linkage.client import GatewayClient
from sandbox.botapi import BotApiSandbox, TranscriptEvent
from sandbox.gateway import GatewaySandbox
from store.db import Database
from store.links import LinkRepository
from store.migrations import migrate
from store.users import UserRepository

TOKEN = "123456:SANDBOX-TOKEN-not-a-real-one"
GATEWAY_KEY = "bench-center-key"
FIRST_USER = 300_000
WARM_USERS = 20
RECORDS = 50
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sample:
    replies_per_s: float
    cpu_ms: float
    p50_ms: float
    p95_ms: float
    peak_rss_mib: float


def vms_id(n: int) -> str:
    return f"bench{n:06d}"


def add_members(gateway: GatewaySandbox, count: int) -> None:
    """Members with both consents and RECORDS unsent records each, over the last year."""
    today = gateway.now().date()
    consented = date(2021, 3, 2)
    for n in range(count):
        member = vms_id(n)
        gateway.put_member(
            member, id_1365=f"vol{n:06d}", consent_vms=consented, consent_1365=consented
        )
        gateway.add_records(
            member,
            [
                {
                    "activity_date": today - timedelta(days=7 * r + n % 7),
                    "host": "행복노인복지관",
                    "activity": "급식 배식 보조와 어르신 말벗",
                    "minutes": 30 + 30 * (r % 6),
                }
                for r in range(RECORDS)
            ],
        )


async def link_all(gateway: GatewaySandbox, count: int, db_path: Path) -> None:
    """Links user FIRST_USER+n to member n through the contract; the bot's rows via its store."""
    db = await Database.open(db_path, clock=SystemClock())
    await migrate(db)
    users, links = UserRepository(db), LinkRepository(db)
    gate = asyncio.Semaphore(8)

    async def one(client: GatewayClient, n: int) -> None:
        async with gate:
            request = await client.request_link_code(vms_id(n))
            code = await gateway.delivered_code(vms_id(n))
            assert code is not None
            link = await client.confirm_link(request.request_id, code)
        await users.touch(FIRST_USER + n, "ko")
        await links.save(
            FIRST_USER + n, link.link_id, link.member.vms_id, link.member.id_1365_masked
        )

    try:
        async with GatewayClient(gateway.base_url, GATEWAY_KEY) as client:
            await asyncio.gather(*(one(client, n) for n in range(count)))
    finally:
        await db.close()


def fresh_copy(template: Path, target: Path) -> Path:
    """A consistent copy of the linked database, so each bot process starts with no cache."""
    with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


async def exchange(
    sandbox: BotApiSandbox,
    events: asyncio.Queue[TranscriptEvent],
    users: range,
    command: str,
    rate: float,
) -> tuple[list[float], float, list[str]]:
    """One `command` from each user at `rate`/s (0: at once); per-user latency, the span from
    the first arrival to the last reply, and the replies' HTML."""
    sent: dict[int, int] = {}
    latency: dict[int, float] = {}
    html: list[str] = []

    async def drain() -> None:
        while len(latency) < len(users):
            event = await events.get()
            chat = event.entry.chat_id
            if event.kind == "new" and chat in sent and chat not in latency:
                latency[chat] = event.entry.sent_at - sandbox.update_arrival[sent[chat]]
                html.append(event.entry.html or event.entry.text)

    reader = asyncio.create_task(drain())
    loop = asyncio.get_running_loop()
    start = loop.time()
    for i, user in enumerate(users):
        update = await sandbox.user_send(user, command, first_name=f"u{user}")
        sent[user] = update.update_id
        if rate > 0:
            await asyncio.sleep(max(0.0, start + (i + 1) / rate - loop.time()))
    async with asyncio.timeout(600):
        await reader
    first = min(sandbox.update_arrival[u] for u in sent.values())
    last = max(sandbox.update_arrival[sent[u]] + lat for u, lat in latency.items())
    return list(latency.values()), last - first, html


async def run_bot(
    name: str,
    argv: list[str],
    env: dict[str, str],
    sandbox: BotApiSandbox,
    command: str,
    args: argparse.Namespace,
) -> tuple[Sample, list[str]]:
    events = sandbox.subscribe()
    child = await asyncio.create_subprocess_exec(
        *argv,
        cwd=ROOT,
        env={**os.environ, **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        warm = range(FIRST_USER + args.users, FIRST_USER + args.users + WARM_USERS)
        _, _, warm_html = await exchange(sandbox, events, warm, command, args.rate or 20)
        user_before, system_before = cpu_times(child.pid)
        measured = range(FIRST_USER, FIRST_USER + args.users)
        latencies, span, replies = await exchange(sandbox, events, measured, command, args.rate)
        user_after, system_after = cpu_times(child.pid)
        peak = peak_rss_mib(child.pid)
    finally:
        child.send_signal(signal.SIGINT)
        await child.wait()
    # Guard: a bench of "not linked" or "gateway unavailable" answers would measure nothing.
    refusals = {t("ko", "status.not_linked"), t("ko", "status.unavailable")}
    cpu = (user_after - user_before + system_after - system_before) * 1000 / args.users
    q = statistics.quantiles(latencies, n=100)
    if failed := [h for h in replies if h in refusals]:
        raise SystemExit(f"{name}: {len(failed)} replies were not a status, e.g. {failed[0]!r}")
    sample = Sample(args.users / span, cpu, q[49] * 1000, q[94] * 1000, peak)
    print(
        f"  {name:<30} {sample.replies_per_s:6.1f} replies/s  {cpu:6.2f} ms CPU/update"
        f"  p50 {sample.p50_ms:7.1f} ms  p95 {sample.p95_ms:7.1f} ms  peak RSS {peak:6.1f} MiB",
        flush=True,
    )
    return sample, warm_html


async def main(args: argparse.Namespace) -> None:
    pace = f"at {args.rate:g}/s" if args.rate > 0 else "in one burst"
    total = args.users + WARM_USERS
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gateway = GatewaySandbox(
            api_key=GATEWAY_KEY, db_path=folder / "gw.sqlite3", center_cap=2 * total
        )
        async with BotApiSandbox(tokens=[TOKEN]) as sandbox, gateway:
            started = time.perf_counter()
            add_members(gateway, total)
            added = time.perf_counter()
            await link_all(gateway, total, folder / "linked.sqlite3")
            print(
                f"set-up: {total} members × {RECORDS} records in {added - started:.1f} s,"
                f" linked through the contract in {time.perf_counter() - added:.1f} s\n"
                f"{args.users} /status from linked users {pace}, each user's first (a gateway"
                f" fetch), each bot in its own process with the AIORateLimiter\n",
                flush=True,
            )
            ours, warm_html = await run_bot(
                "연계도우미 /status (real)",
                [sys.executable, "run_bot.py", "real"],
                {
                    "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_API_BASE_URL": sandbox.base_url,
                    "VMS_GATEWAY_URL": gateway.base_url,
                    "VMS_GATEWAY_API_KEY": GATEWAY_KEY,
                    "LOG_LEVEL": "INFO",
                    "DATABASE_PATH": str(fresh_copy(folder / "linked.sqlite3", folder / "o.db")),
                },
                sandbox,
                "/status",
                args,
            )
            reply_file = folder / "reply.html"
            reply_file.write_text(warm_html[0], encoding="utf-8")  # ours' answer, same HTML
            command = [sys.executable, "-m", "bench.echo_bot", TOKEN, sandbox.base_url]
            base, _ = await run_bot(
                "bare PTB bot (baseline)",
                [*command, str(reply_file), "--rate-limiter"],
                {},
                sandbox,
                "/help",
                args,
            )
    print(
        f"\nratios ours/baseline: replies/s {ours.replies_per_s / base.replies_per_s:.2f},"
        f" CPU per update {ours.cpu_ms / base.cpu_ms:.2f},"
        f" p50 {ours.p50_ms / base.p50_ms:.2f}, p95 {ours.p95_ms / base.p95_ms:.2f},"
        f" peak RSS {ours.peak_rss_mib / base.peak_rss_mib:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=20.0)
    asyncio.run(main(parser.parse_args()))
