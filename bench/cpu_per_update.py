"""CPU per update and peak memory: our bot against a bare PTB bot, each in its own process.

The sandbox Bot API server (and, for ours, the sandbox gateway) run in this script's process;
each bot runs as a child exactly as an operator starts it (`run_bot.py real`, LOG_LEVEL=INFO,
production rate limiter) or as PTB's examples build one (bench/echo_bot.py). Both answer /help
with the same text. The script warms each bot up, then sends the same paced stream of /help
from returning users and reads the child's user+system CPU time from /proc before and after.

    python -m bench.cpu_per_update [--updates 600] [--rate 20 | --rate 0 (burst)] [--rounds 2]

Prints CPU ms per update for both, the ratio baseline/ours (1.0 = as cheap as bare PTB) and
peak RSS (VmHWM). Linux only (/proc).

Compare like with like: the same work costs ~2-3x more CPU when a process wakes for it a few
dozen times a second than when it runs flat out (cold caches on every wake-up). So in a burst
(--rate 0), which our production AIORateLimiter holds to Telegram's ~30 messages/s, the baseline
gets the same limiter; without it the bare bot would drain the burst at full speed while ours
idles between sends, and the ratio would measure the pacing, not the bots (measured: 0.44-0.57).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.i18n import t
from sandbox.botapi import BotApiSandbox, TranscriptEvent
from sandbox.gateway import GatewaySandbox

TOKEN = "123456:SANDBOX-TOKEN-not-a-real-one"
GATEWAY_KEY = "bench-center-key"
FIRST_USER = 200_000
USERS = 100  # returning users: the common case once a center has its volunteers
ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    cpu_ms_per_update: float
    peak_rss_mib: float


def cpu_times(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of the process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def send_and_wait(
    sandbox: BotApiSandbox, events: asyncio.Queue[TranscriptEvent], count: int, rate: float
) -> None:
    """Sends `count` /help at `rate` per second from returning users; waits for every reply."""
    pending: dict[int, int] = {}
    answered = 0

    async def drain() -> None:
        nonlocal answered
        while answered < count:
            event = await events.get()
            chat = event.entry.chat_id
            if event.kind == "new" and pending.get(chat, 0) > 0:
                pending[chat] -= 1
                answered += 1

    reader = asyncio.create_task(drain())
    loop = asyncio.get_running_loop()
    start = loop.time()
    for n in range(count):
        user = FIRST_USER + n % USERS
        pending[user] = pending.get(user, 0) + 1
        await sandbox.user_send(user, "/help", first_name=f"u{n % USERS}")
        if rate > 0:  # 0: a burst, every update queued at once (the bot drains them in batches)
            await asyncio.sleep(max(0.0, start + (n + 1) / rate - loop.time()))
    async with asyncio.timeout(120):
        await reader


async def run_one(
    name: str,
    argv: list[str],
    env: dict[str, str],
    sandbox: BotApiSandbox,
    args: argparse.Namespace,
) -> Sample:
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
        await send_and_wait(sandbox, events, USERS, args.rate)  # every user seen once: warm
        user_before, system_before = cpu_times(child.pid)
        await send_and_wait(sandbox, events, args.updates, args.rate)
        user_after, system_after = cpu_times(child.pid)
        user, system = user_after - user_before, system_after - system_before
        used = user + system
        peak = peak_rss_mib(child.pid)
    finally:
        # SIGINT: the bots stop on it as on SIGTERM, and py-spy (--profile) writes its file.
        child.send_signal(signal.SIGINT)
        await child.wait()
    sample = Sample(used * 1000 / args.updates, peak)
    share = f"(user {user * 1000 / args.updates:.2f} + system {system * 1000 / args.updates:.2f})"
    print(
        f"  {name:<26} {sample.cpu_ms_per_update:6.2f} ms CPU/update {share}"
        f"   peak RSS {peak:6.1f} MiB"
    )
    return sample


def profiled(command: list[str], prefix: str | None, name: str) -> list[str]:
    """The command, or the command under py-spy writing collapsed stacks to PREFIX-NAME.txt.

    Profiling only: CPU and memory figures are then py-spy's, not the bot's.
    """
    if not prefix:
        return command
    out = f"{prefix}-{name}.txt"
    return ["py-spy", "record", "-r", "250", "-f", "raw", "-o", out, "--", *command]


async def main(args: argparse.Namespace) -> None:
    pace = f"at {args.rate}/s" if args.rate > 0 else "in one burst"
    print(
        f"{args.updates} /help updates {pace} from {USERS} returning users, "
        f"each bot in its own process, {args.rounds} round(s)\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        reply_file = Path(tmp) / "reply.html"
        # The same /help text ours sends (CENTER_CONTACT unset), so both bots send equal bytes.
        help_text = t(
            "ko", "help.body", vms_lines=t("ko", "help.vms_lines"), contact=t("ko", "contact.unset")
        )
        reply_file.write_text(help_text, encoding="utf-8")
        gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=Path(tmp) / "gw.sqlite3")
        async with BotApiSandbox(tokens=[TOKEN]) as sandbox, gateway:
            ours_env = {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": sandbox.base_url,
                "VMS_GATEWAY_URL": gateway.base_url,
                "VMS_GATEWAY_API_KEY": GATEWAY_KEY,
                "LOG_LEVEL": "INFO",
            }
            bare: list[Sample] = []
            ours: list[Sample] = []
            for round_no in range(1, args.rounds + 1):
                print(f"round {round_no}")
                command = [sys.executable, "-m", "bench.echo_bot", TOKEN, sandbox.base_url]
                command += [str(reply_file)]
                if args.rate == 0:
                    # A burst goes above Telegram's ~30 messages/s: our bot's production limiter
                    # holds it to that pace, so the baseline gets the same limiter (else it runs
                    # flat out while ours idles between sends, and CPU per unit of work differs).
                    command.append("--rate-limiter")
                bare.append(
                    await run_one(
                        "bare PTB bot (baseline)",
                        profiled(command, args.profile, f"bare-{round_no}"),
                        {},
                        sandbox,
                        args,
                    )
                )
                db = Path(tmp) / f"ours-{round_no}.sqlite3"
                command = [sys.executable, "run_bot.py", "real"]
                ours.append(
                    await run_one(
                        "연계도우미 (run_bot.py real)",
                        profiled(command, args.profile, f"ours-{round_no}"),
                        {**ours_env, "DATABASE_PATH": str(db)},
                        sandbox,
                        args,
                    )
                )
    base_cpu = statistics.median(s.cpu_ms_per_update for s in bare)
    ours_cpu = statistics.median(s.cpu_ms_per_update for s in ours)
    base_rss = statistics.median(s.peak_rss_mib for s in bare)
    ours_rss = statistics.median(s.peak_rss_mib for s in ours)
    print(
        f"\nmedian CPU per update: baseline {base_cpu:.2f} ms, ours {ours_cpu:.2f} ms"
        f"\nratio baseline/ours: {base_cpu / ours_cpu:.2f}  (target ≥ 0.67, i.e. ≤ 1.5× bare PTB)"
        f"\npeak RSS: baseline {base_rss:.1f} MiB, ours {ours_rss:.1f} MiB,"
        f" ratio ours/baseline {ours_rss / base_rss:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", help="record ours with py-spy into PREFIX-N.txt (collapsed)")
    asyncio.run(main(parser.parse_args()))
