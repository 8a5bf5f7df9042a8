"""Several `run_bot.py real` webhook workers on one PostgreSQL database, behind the
round-robin proxy (sandbox/balancer.py), with the sandbox Bot API and gateway: the harness
of tests/e2e/test_several_workers.py."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import asyncpg

from sandbox.balancer import RoundRobin, round_robin
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import GATEWAY_KEY, TOKEN
from tests.helpers.processes import clean_env, free_port, start_real

SECRET = "several-workers_Secret-7"
PATH = "/tg-hook"
# A bound on waiting for what a broken deployment would never do; not a speed claim.
WAIT = 120.0
# Each worker has its own token of the one bot: a sandbox hold then says which one it holds.
TOKENS = (TOKEN, "123456:SANDBOX-TOKEN-second-worker-only")
LEASE_SECONDS = "10"


@dataclass
class Worker:
    name: str
    token: str
    port: int
    log: Path
    env: dict[str, str]
    process: asyncio.subprocess.Process | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Deployment:
    sandbox: BotApiSandbox
    gateway: GatewaySandbox
    proxy: RoundRobin
    database_url: str
    workers: list[Worker] = field(default_factory=list)

    def worker_for(self, token: str | None) -> Worker:
        return next(w for w in self.workers if w.token == token)

    async def start(self, worker: Worker) -> None:
        worker.process = await start_real(worker.env, worker.log.parent, worker.log)
        async with aiohttp.ClientSession() as http:
            await until(lambda: _healthy(http, worker))

    async def kill(self, worker: Worker) -> None:
        assert worker.process is not None
        worker.process.send_signal(signal.SIGKILL)  # no shutdown, no lease released
        await worker.process.wait()
        assert worker.process.returncode == -signal.SIGKILL

    async def stop_all(self) -> None:
        # One after the other, as a rolling restart does. Stopped at the same moment, two
        # workers' last_seen flushes of one user conflict on PostgreSQL (store/users.py
        # flush_seen; issue 16 part 4's caches, reported) and one exits with a traceback.
        for worker in self.workers:
            if worker.process is not None and worker.process.returncode is None:
                worker.process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(worker.process.wait(), WAIT)

    def logs(self) -> str:
        return "\n".join(w.log.read_text() for w in self.workers if w.log.exists())

    async def query(self, sql: str, *args: object) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self.database_url)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()


async def until(check: Callable[[], Awaitable[bool]], timeout: float = WAIT) -> None:
    """Waits for a state of the running deployment, read over HTTP or from its database."""
    async with asyncio.timeout(timeout):
        while not await check():  # noqa: ASYNC110 - polling other processes' state
            await asyncio.sleep(0.05)


async def reply_with(sandbox: BotApiSandbox, user_id: int, needle: str) -> int:
    """Waits for a bot message to the user containing `needle`; its id."""
    found: list[int] = []

    async def said() -> bool:
        found[:] = [m.message_id for m in sandbox.bot_messages(user_id) if needle in m.text]
        return bool(found)

    await until(said)
    return found[-1]


async def _healthy(http: aiohttp.ClientSession, worker: Worker) -> bool:
    assert worker.process is not None
    if worker.process.returncode is not None:
        raise AssertionError(f"{worker.name} exited: {worker.log.read_text()[-3000:]}")
    try:
        async with http.get(f"{worker.base}/healthz") as answer:
            return answer.status == 200
    except aiohttp.ClientConnectionError:
        return False


@asynccontextmanager
async def deployment(
    tmp_path: Path, database_url: str, workers: int = 2, **settings: str
) -> AsyncIterator[Deployment]:
    """The sandbox Bot API and gateway, the proxy and `workers` started workers; every
    worker is stopped with SIGTERM at the end (a killed one stays dead)."""
    ports = [free_port() for _ in range(workers)]
    gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3")
    async with (
        BotApiSandbox(tokens=TOKENS) as sandbox,
        gateway,
        round_robin([f"http://127.0.0.1:{p}" for p in ports], PATH) as proxy,
    ):
        found = Deployment(sandbox, gateway, proxy, database_url)
        for n, port in enumerate(ports):
            name = "ab"[n] if n < 2 else str(n)
            env = clean_env(
                TELEGRAM_BOT_TOKEN=TOKENS[n % len(TOKENS)],
                TELEGRAM_API_BASE_URL=sandbox.base_url,
                VMS_GATEWAY_URL=gateway.base_url,
                VMS_GATEWAY_API_KEY=GATEWAY_KEY,
                DATABASE_URL=database_url,
                DATABASE_PATH=str(tmp_path / f"unused-{name}.sqlite3"),
                WEBHOOK_URL=proxy.url,
                WEBHOOK_SECRET=SECRET,
                WEBHOOK_LISTEN=f"127.0.0.1:{port}",
                WEBHOOK_LEASE_SECONDS=LEASE_SECONDS,
                LOG_LEVEL="INFO",
                **settings,
            )
            log = tmp_path / f"worker-{name}.log"
            found.workers.append(Worker(name, TOKENS[n % len(TOKENS)], port, log, env))
        try:
            await asyncio.gather(*(found.start(w) for w in found.workers))
            await until(lambda: _webhook_set(sandbox, proxy))
            yield found
        finally:
            await found.stop_all()


async def _webhook_set(sandbox: BotApiSandbox, proxy: RoundRobin) -> bool:
    return bool(sandbox.webhook.info()["url"] == proxy.url)
