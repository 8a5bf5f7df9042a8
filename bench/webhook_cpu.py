"""CPU per update in webhook mode: our bot against a bare PTB webhook bot, each in its own
process, fed the same signed updates at the same pace, both replying to the sandbox Bot API.

Ours is `run_bot.py real` with WEBHOOK_URL set (LOG_LEVEL=INFO, the production rate limiter):
each POST is committed to the inbox before its 200, then a worker claims it, runs the
handlers and marks it done. The baseline is bench/echo_webhook_bot.py: PTB's custom-webhook
example on aiohttp (the update goes on `application.update_queue`, 200 at once). Both answer
/help with the same text. The script warms each bot up (every user once), then POSTs the same
paced stream of /help, waits for every reply, and reads the bot process's user+system CPU from
/proc before and after (CPU, not wall time). On PostgreSQL the server's own CPU (its backends)
is printed beside the bot's, since there the store's work leaves the bot process.

    python -m bench.webhook_cpu [--updates 600] [--rate 20] [--rounds 2] [--no-postgres]

Prints CPU ms per update and the ratio baseline/ours (1.0 = as cheap as bare PTB; target
>= 0.8; polling's figure from bench/cpu_per_update.py was 0.71). Ours runs on uvloop with the
Bot API over aiohttp's client (app/event_loop.py, core/bot_api_request.py); so that the ratio
does not hide our own machinery behind those two choices, a second baseline runs bare PTB on
the same loop and client, and its ratio is printed beside the target's.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

from bench.webhook_kit import (
    GATEWAY_KEY,
    HOOK_PATH,
    OUR_BOT,
    SECRET,
    TOKEN,
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
    tree_cpu_seconds,
    until_healthy,
)
from bot.i18n import t
from sandbox.botapi import BotApiSandbox, TranscriptEvent
from sandbox.gateway import GatewaySandbox
from tests.postgres_server import PostgresServer

USERS = 100
TARGET = 0.8


async def replies(events: asyncio.Queue[TranscriptEvent], count: int) -> None:
    """Waits for `count` new bot messages (the POSTed updates bypass the sandbox, so every
    new message it records is a reply)."""
    seen = 0
    async with asyncio.timeout(180):
        while seen < count:
            event = await events.get()
            if event.kind == "new" and event.entry.from_bot:
                seen += 1


def postmaster(server: PostgresServer | None) -> int | None:
    if server is None:
        return None
    return int((server.root / "data" / "postmaster.pid").read_text().split()[0])


async def run_one(
    name: str,
    argv: list[str],
    env: dict[str, str],
    port: int,
    sandbox: BotApiSandbox,
    log: Path,
    args: argparse.Namespace,
    first_id: int,
    server_pid: int | None = None,
) -> float:
    events = sandbox.subscribe()
    process = await spawn(argv, env, log)
    url = f"http://127.0.0.1:{port}{HOOK_PATH}"
    try:
        await until_healthy(process, port, log)
        await post_updates(url, first_id, USERS, args.rate, USERS)
        await replies(events, USERS)
        before = cpu_seconds(process.pid)
        server_before = tree_cpu_seconds(server_pid) if server_pid else 0.0
        waiting = asyncio.create_task(replies(events, args.updates))
        posted = await post_updates(url, first_id + USERS, args.updates, args.rate, USERS)
        await waiting
        used = cpu_seconds(process.pid) - before
        server_used = (tree_cpu_seconds(server_pid) - server_before) if server_pid else 0.0
    finally:
        await stop(process)
        sandbox.unsubscribe(events)
    assert set(posted.statuses) == {200}, posted.statuses
    per_update = used * 1000 / args.updates
    extra = f" + PostgreSQL {server_used * 1000 / args.updates:.2f} ms" if server_pid else ""
    print(f"  {name:<34} {per_update:6.2f} ms CPU/update{extra}  [{load()}]", flush=True)
    return per_update


async def main(args: argparse.Namespace) -> None:
    print(
        f"{args.updates} signed /help updates POSTed at {args.rate:g}/s from {USERS} returning"
        f" users, each bot in its own process, {args.rounds} round(s)  [{load()}]\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        reply_file = tmp / "reply.html"
        # The same /help text ours sends (CENTER_CONTACT unset), so both bots send equal bytes.
        reply_file.write_text(
            t(
                "ko",
                "help.body",
                vms_lines=t("ko", "help.vms_lines"),
                contact=t("ko", "contact.unset"),
            ),
            encoding="utf-8",
        )
        gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp / "gw.sqlite3")
        async with BotApiSandbox(tokens=[TOKEN]) as sandbox, gateway, postgres() as server:
            know_users(sandbox, USERS)
            figures: dict[str, list[float]] = {"bare": [], "same": [], "sqlite": [], "postgres": []}
            first_id = 1
            for round_no in range(1, args.rounds + 1):
                print(f"round {round_no}")
                port = free_port()
                bare = [sys.executable, "-m", "bench.echo_webhook_bot", TOKEN, sandbox.base_url,
                        str(reply_file), str(port), HOOK_PATH, SECRET]  # fmt: skip
                figures["bare"].append(
                    await run_one(
                        "bare PTB webhook bot (baseline)",
                        bare,
                        {},
                        port,
                        sandbox,
                        tmp / f"bare-{round_no}.log",
                        args,
                        first_id,
                    )
                )
                first_id += args.updates + USERS
                port = free_port()
                figures["same"].append(
                    await run_one(
                        "bare PTB, uvloop + aiohttp client",
                        [*bare[:6], str(port), *bare[7:], "same-footing"],
                        {},
                        port,
                        sandbox,
                        tmp / f"same-{round_no}.log",
                        args,
                        first_id,
                    )
                )
                first_id += args.updates + USERS
                port = free_port()
                db = str(tmp / f"ours-{round_no}.sqlite3")
                env = bot_env(sandbox.base_url, gateway.base_url, port, DATABASE_PATH=db)
                figures["sqlite"].append(
                    await run_one(
                        "ours, webhook on SQLite",
                        OUR_BOT,
                        env,
                        port,
                        sandbox,
                        tmp / f"sqlite-{round_no}.log",
                        args,
                        first_id,
                    )
                )
                first_id += args.updates + USERS
                if server is not None and not args.no_postgres:
                    port = free_port()
                    url = await create_database(server, f"cpu{round_no}")
                    env = bot_env(sandbox.base_url, gateway.base_url, port, DATABASE_URL=url)
                    figures["postgres"].append(
                        await run_one(
                            "ours, webhook on PostgreSQL",
                            OUR_BOT,
                            env,
                            port,
                            sandbox,
                            tmp / f"pg-{round_no}.log",
                            args,
                            first_id,
                            postmaster(server),
                        )
                    )
                    first_id += args.updates + USERS
    base = statistics.median(figures["bare"])
    same = statistics.median(figures["same"])
    print(
        f"\nmedian CPU per update of the bot process: baseline {base:.2f} ms"
        f" (on uvloop with the aiohttp client: {same:.2f} ms)"
    )
    for engine in ("sqlite", "postgres"):
        if figures[engine]:
            ours = statistics.median(figures[engine])
            verdict = "met" if base / ours >= TARGET else "MISSED"
            print(
                f"  {engine}: ours {ours:.2f} ms, ratio baseline/ours {base / ours:.2f}"
                f"  (target >= {TARGET}: {verdict}; polling was 0.71);"
                f" against bare PTB on the same loop and client {same / ours:.2f}"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-postgres", action="store_true")
    asyncio.run(main(parser.parse_args()))
