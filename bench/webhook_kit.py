"""What the webhook benches share: a throwaway PostgreSQL, users the sandbox Bot API knows,
signed updates POSTed at a steady pace straight to a webhook, a bot process started as an
operator starts it, and readings from /proc (CPU, load)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from sandbox.botapi import BotApiSandbox
from sandbox.botapi.state import UserInfo
from tests.postgres_server import PostgresServer, find_bin_dir, start

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:SANDBOX-TOKEN-not-a-real-one"
GATEWAY_KEY = "bench-center-key"
SECRET = "bench-webhook_Secret-1"
HOOK_PATH = "/tg-hook"
FIRST_USER = 300_000
TICKS = os.sysconf("SC_CLK_TCK")
# Telegram's default max_connections: at most this many POSTs are in flight at once.
CONNECTIONS = 40
# The settings run_bot.py reads: none may leak in from the shell that runs the bench.
SETTING_PREFIXES = ("TELEGRAM_", "VMS_", "DATABASE_", "WEBHOOK_", "ADMIN_", "CENTER_", "LOG_")


def load() -> str:
    """The 1/5/15-minute load average, printed beside every figure (the machine is shared)."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f} on {os.cpu_count()} cores"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def children_of(pid: int) -> list[int]:
    """Every process whose parent is `pid` (PostgreSQL's backends under the postmaster)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and its live children (a backend that exited meanwhile is lost)."""
    total = 0.0
    for one in (pid, *children_of(pid)):
        with suppress(OSError):
            total += cpu_seconds(one)
    return total


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def know_users(sandbox: BotApiSandbox, count: int) -> None:
    """Users who have started the bot, so replies to the updates POSTed here are delivered
    (the updates themselves bypass the sandbox: they go straight to the webhook)."""
    world = sandbox.world
    for n in range(count):
        uid = FIRST_USER + n
        world.users[uid] = UserInfo(uid, f"u{n}", started=True)
        world.ensure_chat(uid, "private", None)


def update(update_id: int, user_index: int, text: str = "/help") -> dict[str, Any]:
    uid = FIRST_USER + user_index
    person = {"id": uid, "is_bot": False, "first_name": f"u{user_index}"}
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": uid, "type": "private", "first_name": f"u{user_index}"},
        "from": person,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": update_id, "message": message}


@dataclass
class Posted:
    latencies: list[float] = field(default_factory=list)  # seconds, one per POST
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def post_updates(url: str, first_id: int, count: int, rate: float, users: int) -> Posted:
    """POSTs `count` signed updates at `rate` per second (0: all at once, CONNECTIONS at a
    time) round-robin over `users`, as Telegram does: at most CONNECTIONS in flight."""
    posted = Posted()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(n: int) -> None:
            body = update(first_id + n, n % users)
            started = time.perf_counter()
            async with http.post(url, json=body, headers=headers) as answer:
                await answer.read()
                posted.latencies.append(time.perf_counter() - started)
                posted.statuses[answer.status] = posted.statuses.get(answer.status, 0) + 1

        loop = asyncio.get_running_loop()
        begun = loop.time()
        tasks = []
        for n in range(count):
            tasks.append(asyncio.create_task(one(n)))
            if rate > 0:
                await asyncio.sleep(max(0.0, begun + (n + 1) / rate - loop.time()))
        await asyncio.gather(*tasks)
        posted.seconds = loop.time() - begun
    return posted


@asynccontextmanager
async def postgres() -> AsyncIterator[PostgresServer | None]:
    """A throwaway server from the installed binaries, or None where there are none."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        yield None
        return
    server = await asyncio.to_thread(start, bin_dir)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


async def create_database(server: PostgresServer, name: str) -> str:
    import asyncpg

    conn = await asyncpg.connect(server.url("postgres"))
    try:
        await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    return server.url(name)


def bot_env(api_root: str, gateway_url: str, port: int, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api_root,
        VMS_GATEWAY_URL=gateway_url,
        VMS_GATEWAY_API_KEY=GATEWAY_KEY,
        WEBHOOK_URL=f"http://127.0.0.1:{port}{HOOK_PATH}",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        LOG_LEVEL="INFO",
        POLLING_PROBE_SECONDS="0",
    )
    env.update(settings)
    return env


async def spawn(argv: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as sink:  # a file, not a pipe nobody reads
        return await asyncio.create_subprocess_exec(
            *argv, cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=sink
        )


async def until_healthy(process: asyncio.subprocess.Process, port: int, log: Path) -> None:
    async with aiohttp.ClientSession() as http, asyncio.timeout(90):
        while True:
            if process.returncode is not None:
                tail = (await asyncio.to_thread(log.read_text))[-3000:]
                raise RuntimeError(f"the bot exited; the end of its log:\n{tail}")
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()
            await process.wait()


OUR_BOT = [sys.executable, "run_bot.py", "real"]
