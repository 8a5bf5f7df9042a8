"""End-to-end throughput: our bot vs a bare PTB echo bot, both behind the sandbox Bot API server.

Prints updates/second, p50/p95 latency (update enqueued at the sandbox → first reply received
by the sandbox), peak traced memory, and the ratios. A second scenario shows why the per-user
processor exists: one heavy user with slow handling next to many light users.

    python -m bench.throughput [--users 1000] [--with-rate-limiter]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import HttpUrl, SecretStr
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, TypeHandler

from app import build_application
from bot.runtime import BotRuntime
from bot.settings import Settings
from sandbox.botapi import BotApiSandbox, TranscriptEvent
from sandbox.gateway import GatewaySandbox

os.environ.setdefault("PTB_TIMEDELTA", "true")  # as run_bot.py does
TOKEN = "123456:SANDBOX-TOKEN-not-a-real-one"
GATEWAY_KEY = "bench-center-key"
FIRST_USER = 100_000


@dataclass
class Result:
    name: str
    updates: int
    seconds: float
    latencies: list[float]
    peak_mib: float | None = None

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self) -> str:
        memory = f"{self.peak_mib:7.1f} MiB" if self.peak_mib is not None else "      –    "
        return (
            f"{self.name:<34} {self.per_second:9.1f}/s   p50 {self.pct(0.5):7.1f} ms   "
            f"p95 {self.pct(0.95):7.1f} ms   peak {memory}"
        )


Starter = Callable[[BotApiSandbox, Path], Awaitable[tuple[Any, Callable[[], Awaitable[None]]]]]


async def start_echo_bot(
    sandbox: BotApiSandbox, _: Path
) -> tuple[Any, Callable[[], Awaitable[None]]]:
    """The baseline: PTB's defaults, one handler that replies."""

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("hello")

    app = Application.builder().token(TOKEN).base_url(f"{sandbox.base_url}/bot").build()
    app.add_handler(CommandHandler(["start", "help"], reply))
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()

    async def stop() -> None:
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    return app, stop


def make_ours(rate_limit: bool) -> Starter:
    async def start(
        sandbox: BotApiSandbox, workdir: Path
    ) -> tuple[Any, Callable[[], Awaitable[None]]]:
        run = time.monotonic_ns()
        # /start never calls the gateway, but the bot needs one configured to be built.
        gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=workdir / f"gw-{run}.sqlite3")
        await gateway.start()
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            telegram_bot_token=SecretStr(TOKEN),
            telegram_api_base_url=HttpUrl(sandbox.base_url),
            vms_gateway_url=HttpUrl(gateway.base_url),
            vms_gateway_api_key=SecretStr(GATEWAY_KEY),
            database_path=workdir / f"bench-{run}.sqlite3",
            log_level="WARNING",
        )
        app = await build_application(settings, rate_limit=rate_limit)
        runtime = BotRuntime(app, poll_timeout=1)
        await runtime.start()

        async def stop() -> None:
            await runtime.stop()
            await gateway.stop()

        return app, stop

    return start


async def measure(
    name: str,
    starter: Starter,
    users: int,
    *,
    heavy: int = 0,
    slow: float = 0.0,
    trace: bool = False,
) -> Result:
    """Sends /start from `users` users (and `heavy` /help from one user); times the replies."""
    with tempfile.TemporaryDirectory() as tmp:
        async with BotApiSandbox(tokens=[TOKEN]) as sandbox:
            app, stop = await starter(sandbox, Path(tmp))
            if slow:
                # Simulated slow gateway work for the heavy user only.
                async def slow_heavy(update: Update, _: Any) -> None:
                    if update.effective_user and update.effective_user.id == FIRST_USER - 1:
                        await asyncio.sleep(slow)

                app.add_handler(TypeHandler(Update, slow_heavy), group=-100)
            if trace:
                tracemalloc.start()
            replies = sandbox.subscribe()
            sent: dict[int, int] = {}
            for _ in range(heavy):
                await sandbox.user_send(FIRST_USER - 1, "/help", first_name="heavy")
            for n in range(users):
                update = await sandbox.user_send(FIRST_USER + n, "/start", first_name=f"u{n}")
                sent[FIRST_USER + n] = update.update_id
            latencies = await wait_replies(sandbox, replies, sent)
            peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
            if trace:
                tracemalloc.stop()
            first = min(sandbox.update_arrival[u] for u in sent.values())
            last = max(first + lat for lat in latencies)
            await stop()
    return Result(name, users, last - first, latencies, peak)


async def wait_replies(
    sandbox: BotApiSandbox, events: asyncio.Queue[TranscriptEvent], sent: dict[int, int]
) -> list[float]:
    """Latency per user: the update's arrival at the sandbox to the bot's first new message."""
    latencies: dict[int, float] = {}
    async with asyncio.timeout(300):
        while len(latencies) < len(sent):
            event = await events.get()
            chat_id = event.entry.chat_id
            if event.kind == "new" and chat_id in sent and chat_id not in latencies:
                arrival = sandbox.update_arrival[sent[chat_id]]
                latencies[chat_id] = event.entry.sent_at - arrival
    return list(latencies.values())


async def main(users: int, with_rate_limiter: bool) -> None:
    print(
        f"{users} distinct users, one command each, through the sandbox Bot API server"
        " on loopback\n"
    )
    baseline = await measure("bare PTB echo bot (baseline)", start_echo_bot, users)
    ours = await measure("연계도우미 (no rate limiter)", make_ours(False), users)
    for result in (baseline, ours):
        print(result.line())
    print(f"\nthroughput ratio ours/baseline: {ours.per_second / baseline.per_second:.2f}")
    print(f"p50 latency ratio ours/baseline: {ours.pct(0.5) / baseline.pct(0.5):.2f}")

    print("\npeak traced memory (separate runs with tracemalloc on):")
    base_mem = await measure("bare PTB echo bot (baseline)", start_echo_bot, users, trace=True)
    ours_mem = await measure("연계도우미", make_ours(False), users, trace=True)
    assert base_mem.peak_mib is not None and ours_mem.peak_mib is not None
    print(
        f"  baseline {base_mem.peak_mib:.1f} MiB, ours {ours_mem.peak_mib:.1f} MiB, "
        f"ratio {ours_mem.peak_mib / base_mem.peak_mib:.2f}"
    )

    light = max(50, users // 5)
    print(f"\none heavy user (100 updates, 50 ms each) beside {light} light users:")
    base_heavy = await measure("bare PTB (sequential)", start_echo_bot, light, heavy=100, slow=0.05)
    ours_heavy = await measure(
        "연계도우미 (per-user processor)", make_ours(False), light, heavy=100, slow=0.05
    )
    for result in (base_heavy, ours_heavy):
        print(result.line())
    print(
        f"light users' p95 ratio ours/baseline: {ours_heavy.pct(0.95) / base_heavy.pct(0.95):.3f}"
    )

    if with_rate_limiter:
        limited = await measure("연계도우미 (production limiter)", make_ours(True), users)
        print("\nwith the production AIORateLimiter (Telegram allows ~30 messages/s per bot):")
        print(limited.line())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--with-rate-limiter", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.with_rate_limiter))
