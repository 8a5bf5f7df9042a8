"""Webhook acknowledgement latency: how long Telegram waits for the 200 of each POST.

Signed updates (/help from returning users, the secret header set) are POSTed at a steady
pace straight to the webhook server of `run_bot.py real` in webhook mode, at most 40 in
flight as Telegram does. Ours commits each update to the inbox before its 200, so the ack
includes a database write; meanwhile its workers run the inbox and reply to the sandbox Bot
API (held to ~30 messages/s by the production limiter, so a backlog builds at 200/s). The
baseline, in the same run and at the same pace, is a bare aiohttp handler in its own process
that checks the secret, reads the body and answers 200 (what PTB's example does before it
handles anything). Runs on SQLite, and on PostgreSQL where its server binaries exist.

    python -m bench.webhook_ack [--rate 200] [--updates 3000] [--no-postgres]

Prints p50/p99/max per run, the CPU the receiving process used meanwhile (in cores), and
the ratio of our p99 to the baseline's. Target: our p99 at 200/s <= 100 ms on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import sys
import tempfile
from pathlib import Path

from aiohttp import web

from bench.webhook_kit import (
    GATEWAY_KEY,
    HOOK_PATH,
    OUR_BOT,
    SECRET,
    TOKEN,
    Posted,
    bot_env,
    cpu_seconds,
    create_database,
    free_port,
    know_users,
    load,
    post_updates,
    postgres,
    spawn,
    stop,
    until_healthy,
)
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox

USERS = 100
TARGET_P99_MS = 100.0


def serve_bare(port: int) -> None:
    """The baseline: answers 200 to a POST with the right secret, after reading its body."""
    expected = SECRET.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, expected):
            return web.Response(status=401)
        await request.json()
        return web.Response(status=200)

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post(HOOK_PATH, receive)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def show(name: str, posted: Posted) -> None:
    bad = {k: v for k, v in posted.statuses.items() if k != 200}
    print(
        f"  {name:<34} p50 {posted.quantile(0.50):6.1f} ms  p99 {posted.quantile(0.99):6.1f} ms"
        f"  max {posted.quantile(1.0):6.1f} ms  ({len(posted.latencies)} POSTs in"
        f" {posted.seconds:.1f} s{', non-200: ' + str(bad) if bad else ''})  [{load()}]",
        flush=True,
    )


async def run(
    name: str, argv: list[str], env: dict[str, str], port: int, log: Path, args: argparse.Namespace
) -> Posted:
    process = await spawn(argv, env, log)
    try:
        await until_healthy(process, port, log)
        url = f"http://127.0.0.1:{port}{HOOK_PATH}"
        await post_updates(url, 1, USERS, 20, USERS)  # every user seen once: warm
        await asyncio.sleep(2)
        before = cpu_seconds(process.pid)
        posted = await post_updates(url, 10_000, args.updates, args.rate, USERS)
        used = cpu_seconds(process.pid) - before
    finally:
        await stop(process)
    show(name, posted)
    # An ack queue grows once the process needs more CPU than the machine gives it: this
    # says how much it used, to read the latency against.
    print(
        f"  {'':<34} process CPU {used:.1f} s over {posted.seconds:.1f} s"
        f" = {used / posted.seconds:.2f} cores",
        flush=True,
    )
    return posted


async def main(args: argparse.Namespace) -> None:
    print(
        f"{args.updates} signed /help updates POSTed at {args.rate:g}/s from {USERS} users,"
        f" at most 40 in flight  [{load()}]"
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp / "gw.sqlite3")
        async with (
            BotApiSandbox(tokens=[TOKEN]) as sandbox,
            gateway,
            postgres() as server,
        ):
            know_users(sandbox, USERS)
            results: dict[str, Posted] = {}
            port = free_port()
            bare = [sys.executable, "-m", "bench.webhook_ack", "--bare", str(port)]
            results["bare"] = await run(
                "bare aiohttp handler (baseline)", bare, bot_env("", "", port), port,
                tmp / "bare.log", args,
            )  # fmt: skip
            port = free_port()
            env = bot_env(
                sandbox.base_url, gateway.base_url, port, DATABASE_PATH=str(tmp / "ours.sqlite3")
            )
            results["sqlite"] = await run(
                "ours, SQLite inbox", OUR_BOT, env, port, tmp / "sqlite.log", args
            )
            if server is None:
                print("  (no PostgreSQL server binaries: the PostgreSQL run is skipped)")
            elif not args.no_postgres:
                port = free_port()
                url = await create_database(server, "ack")
                env = bot_env(sandbox.base_url, gateway.base_url, port, DATABASE_URL=url)
                results["postgres"] = await run(
                    "ours, PostgreSQL inbox", OUR_BOT, env, port, tmp / "pg.log", args
                )
    base = results["bare"].quantile(0.99)
    print()
    for engine in ("sqlite", "postgres"):
        if engine in results:
            p99 = results[engine].quantile(0.99)
            verdict = "met" if p99 <= TARGET_P99_MS else "MISSED"
            print(
                f"{engine}: p99 {p99:.1f} ms, ratio ours/baseline p99 {p99 / base:.1f}x"
                f"  (target p99 <= {TARGET_P99_MS:.0f} ms: {verdict})"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)
    parsed = parser.parse_args()
    if parsed.bare:
        serve_bare(parsed.bare)
    else:
        asyncio.run(main(parsed))
