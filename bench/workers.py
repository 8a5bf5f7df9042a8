"""Updates per second with 1, 2 and 3 webhook workers on one PostgreSQL, and where the CPU
goes.

Each run: a fresh database, N worker processes (bench/unlimited_worker.py: `run_bot.py real`'s
webhook worker without the ~30 messages/s reply budget) behind the round-robin proxy
(sandbox/balancer.py), and the sandbox Bot API with its flood cap lifted (no per-bot or
per-chat limit) delivering the webhook, up to 40 POSTs at once, as Telegram does. Every user
sends /help once to warm up; then a burst of /help from 100 returning users is queued at once
and the clock runs until every reply has reached the sandbox. CPU is read from /proc/<pid>/stat
for each worker, for the PostgreSQL server (postmaster and backends) and for this process,
which holds the stand-in (sandbox Bot API, proxy and the driver).

    python -m bench.workers [--updates 1500] [--workers 1 2 3] [--tasks 4]

Each process runs WEBHOOK_WORKERS inbox tasks (4 by default), each one update at a time: with
few cores busy, the rate is then bound by tasks / (time one update takes), not by CPU; --tasks
shows how far more tasks per process move it.

Prints updates/s per N, the ratio against one worker, and the CPU split. On a machine with
fewer cores than processes, more workers cannot add throughput: read the split, not only the
rate.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.webhook_cpu import postmaster, replies
from bench.webhook_kit import (
    FIRST_USER,
    GATEWAY_KEY,
    HOOK_PATH,
    TOKEN,
    bot_env,
    cpu_seconds,
    create_database,
    free_port,
    load,
    postgres,
    spawn,
    stop,
    tree_cpu_seconds,
    until_healthy,
)
from sandbox.balancer import round_robin
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.postgres_server import PostgresServer

USERS = 100
WORKER = [sys.executable, "-m", "bench.unlimited_worker"]


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def send_burst(sandbox: BotApiSandbox, count: int) -> None:
    for n in range(count):
        await sandbox.user_send(FIRST_USER + n % USERS, "/help", first_name=f"u{n % USERS}")


async def run(
    workers: int, server: PostgresServer, gateway_url: str, tmp: Path, args: argparse.Namespace
) -> float:
    url = await create_database(server, f"workers{workers}")
    ports = [free_port() for _ in range(workers)]
    pg_pid = postmaster(server)
    assert pg_pid is not None
    async with (
        BotApiSandbox(tokens=[TOKEN]) as sandbox,
        round_robin([f"http://127.0.0.1:{p}" for p in ports], HOOK_PATH) as proxy,
    ):
        processes = []
        try:
            for n, port in enumerate(ports):
                env = bot_env(sandbox.base_url, gateway_url, port, DATABASE_URL=url)
                env["WEBHOOK_URL"] = proxy.url
                if args.tasks:
                    env["WEBHOOK_WORKERS"] = str(args.tasks)
                log = tmp / f"w{workers}-{n}.log"
                processes.append((await spawn(WORKER, env, log), port, log))
                # One at a time: workers starting together on a blank PostgreSQL database
                # race to create the schema (the migration runner takes its advisory lock
                # inside a SERIALIZABLE transaction, whose snapshot predates the lock).
                await until_healthy(*processes[-1])
            async with asyncio.timeout(60):
                while sandbox.webhook.info()["url"] != proxy.url:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
            events = sandbox.subscribe()
            await send_burst(sandbox, USERS)  # every user seen once: warm
            await replies(events, USERS)
            pids = [p.pid for p, _, _ in processes]
            before = [cpu_seconds(pid) for pid in pids]
            pg_before, mine_before = tree_cpu_seconds(pg_pid), own_cpu()
            started = time.perf_counter()
            waiting = asyncio.create_task(replies(events, args.updates))
            await send_burst(sandbox, args.updates)
            await waiting
            elapsed = time.perf_counter() - started
            used = [cpu_seconds(pid) - b for pid, b in zip(pids, before, strict=True)]
            pg_used, mine_used = tree_cpu_seconds(pg_pid) - pg_before, own_cpu() - mine_before
        finally:
            for process, _, _ in processes:  # one after the other, as a rolling restart
                await stop(process)
    rate = args.updates / elapsed
    total = sum(used) + pg_used + mine_used
    split = ", ".join(f"worker {n + 1} {u:.1f} s" for n, u in enumerate(used))
    print(
        f"  {workers} worker(s): {rate:6.1f} updates/s ({args.updates} in {elapsed:.1f} s)"
        f"  [{load()}]\n"
        f"      CPU {total:.1f} s = {total / elapsed:.2f} cores busy: {split};"
        f" PostgreSQL {pg_used:.1f} s; stand-in (Bot API + proxy + driver) {mine_used:.1f} s\n"
        f"      share: workers {sum(used) / total:.0%}, PostgreSQL {pg_used / total:.0%},"
        f" stand-in {mine_used / total:.0%};"
        f" CPU per update {total * 1000 / args.updates:.1f} ms"
        f" (workers {sum(used) * 1000 / args.updates:.1f} ms)",
        flush=True,
    )
    return rate


async def main(args: argparse.Namespace) -> None:
    print(
        f"a burst of {args.updates} /help from {USERS} returning users, delivered by the sandbox"
        f" Bot API (flood cap lifted) through a round-robin proxy; {len(args.workers)} runs,"
        f" {args.tasks or 'the default'} inbox tasks per worker"
        f"  [{load()}]"
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp / "gw.sqlite3")
        async with gateway, postgres() as server:
            if server is None:
                print("no PostgreSQL server binaries: install the package `postgresql`")
                return
            rates = {n: await run(n, server, gateway.base_url, tmp, args) for n in args.workers}
    first = rates[min(rates)]
    print(
        "\nratio against one worker: "
        + ", ".join(f"{n} workers {r / first:.2f}" for n, r in rates.items())
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--updates", type=int, default=1500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument(
        "--tasks", type=int, help="inbox worker tasks per process (WEBHOOK_WORKERS; default 4)"
    )
    asyncio.run(main(parser.parse_args()))
