"""bench/miniapp_api.py's desk rounds served by N webhook workers on one PostgreSQL, behind a
round-robin proxy (as nginx would spread the desk's requests; sandbox/balancer.py does the
same for the webhook's POSTs).

The same clicks from the same client process (20 staff at once, the same page mix, initData
signed with the bot's token); the same data (200 volunteers who sent /start, 30 open
questions delivered to the admin, the staff stored). The workers are `run_bot.py real`'s
webhook worker (bench/unlimited_worker.py) with WEB_URL set, so each serves the desk on its
webhook server. Printed beside the one-process figure: p50 / p95 / max, and the CPU per
request of the workers, of PostgreSQL (postmaster and backends) and of this process (the
sandbox Bot API and the desk's proxy).

    python -m bench.miniapp_api --workers 2
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.webhook_cpu import postmaster
from bench.webhook_kit import (
    HOOK_PATH,
    bot_env,
    cpu_seconds,
    create_database,
    free_port,
    postgres,
    spawn,
    stop,
    tree_cpu_seconds,
    until_healthy,
)
from core.clock import SystemClock
from sandbox.balancer import round_robin
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from sandbox.loopback import serve_on_loopback
from store.engine import Database
from store.help_requests import Copy, HelpRequestRepository
from store.staff import StaffRepository

WORKER = ["-m", "bench.unlimited_worker"]
_FORWARDED = ("Authorization", "Idempotency-Key", "Content-Type")


class DeskProxy:
    """Every request under /desk/ to the next worker in turn, with its body and headers."""

    def __init__(self, targets: Sequence[str]) -> None:
        self.targets = list(targets)
        self.url = ""
        self._next = 0
        self._session: aiohttp.ClientSession | None = None

    async def handle(self, request: web.Request) -> web.Response:
        assert self._session is not None
        target = self.targets[self._next % len(self.targets)]
        self._next += 1
        headers = {k: request.headers[k] for k in _FORWARDED if k in request.headers}
        async with self._session.request(
            request.method, target + request.path_qs, data=await request.read(), headers=headers
        ) as answer:
            body = await answer.read()
            kept = {"Content-Type": answer.headers.get("Content-Type", "application/json")}
            return web.Response(status=answer.status, body=body, headers=kept)


@asynccontextmanager
async def desk_proxy(targets: Sequence[str]) -> AsyncIterator[DeskProxy]:
    proxy = DeskProxy(targets)
    app = web.Application()
    app.router.add_route("*", "/desk/{tail:.*}", proxy.handle)
    proxy._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    runner, proxy.url = await serve_on_loopback(app, "127.0.0.1", 0)
    try:
        yield proxy
    finally:
        await runner.cleanup()
        await proxy._session.close()


async def _until(db: Database, sql: str, want: int) -> None:
    async with asyncio.timeout(180):
        while True:
            row = await db.fetch_one(sql)
            if row is not None and int(row[0]) >= want:
                return
            await asyncio.sleep(0.1)


async def run_workers(workers: int, staff: int, volunteers: int, rounds: int) -> None:
    # Imported here: bench.miniapp_api imports this module for --workers.
    from bench import miniapp_api as one

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        gateway = GatewaySandbox(
            api_key=one.GATEWAY_KEY, db_path=tmp / "gw.sqlite3", clock=SystemClock()
        )
        async with gateway, postgres() as server:
            if server is None:
                print("no PostgreSQL server binaries: install the package `postgresql`")
                return
            url = await create_database(server, "desk")
            ports = [free_port() for _ in range(workers)]
            bases = [f"http://127.0.0.1:{p}" for p in ports]
            async with (
                BotApiSandbox(tokens=[one.TOKEN]) as sandbox,
                round_robin(bases, HOOK_PATH) as hook,
                desk_proxy(bases) as desk,
            ):
                processes = []
                try:
                    for n, port in enumerate(ports):
                        env = bot_env(
                            sandbox.base_url,
                            gateway.base_url,
                            port,
                            DATABASE_URL=url,
                            TELEGRAM_BOT_TOKEN=one.TOKEN,
                            VMS_GATEWAY_API_KEY=one.GATEWAY_KEY,
                            ADMIN_TELEGRAM_IDS=str(one.ADMIN),
                            WEB_URL="https://desk.example.org/desk/",
                            LOG_LEVEL="WARNING",
                        )
                        env["WEBHOOK_URL"] = hook.url
                        log = tmp / f"w{n}.log"
                        process = await spawn([sys.executable, *WORKER], env, log)
                        processes.append(process)
                        # One at a time: workers starting together on a blank database race
                        # to create the schema (bench/workers.py).
                        await until_healthy(process, port, log)
                    await _scenario(
                        workers, sandbox, url, desk, processes, server, staff, volunteers, rounds
                    )
                finally:
                    for process in processes:
                        await stop(process)


async def _scenario(
    workers: int,
    sandbox: BotApiSandbox,
    url: str,
    desk: DeskProxy,
    processes: list[asyncio.subprocess.Process],
    server: object,
    staff: int,
    volunteers: int,
    rounds: int,
    questions: int = 30,
) -> None:
    from bench import miniapp_api as one

    team = [one.STAFF_FROM + n for n in range(staff)]
    for user_id in [*range(1, volunteers + 1), *team]:
        await sandbox.user_send(user_id, "/start", chat_id=user_id, first_name="담당")
    db = await Database.open(url, clock=SystemClock())
    try:
        await _until(db, "SELECT COUNT(*) FROM users", volunteers + staff)
        requests = HelpRequestRepository(db)
        now = db.clock.now()
        for n, user_id in enumerate(range(1, min(questions, volunteers) + 1)):
            made, _, _ = await requests.open_if_allowed(
                user_id,
                user_id.to_bytes(32, "big"),
                now,
                question=f"{n}번째 질문이에요. 실적이 1365에 아직 안 보여요.",
                expires_at=now + timedelta(days=3),
                max_open=3,
                not_since=now - timedelta(minutes=1),
            )
            assert made is not None
            await requests.add_copies(made.id, [Copy(one.ADMIN, 10_000 + n)])
        for member in team:
            await StaffRepository(db).add(member, added_by=one.ADMIN)
    finally:
        await db.close()
    pids = [p.pid for p in processes]
    pg = postmaster(server)  # type: ignore[arg-type]
    assert pg is not None
    load = os.getloadavg()
    before = [cpu_seconds(pid) for pid in pids]
    pg_before, mine_before = tree_cpu_seconds(pg), time.process_time()
    timings = await one._client_process(desk.url + "/desk/", team, rounds)
    calls = len(team) * (rounds + 1)
    used = sum(cpu_seconds(pid) - b for pid, b in zip(pids, before, strict=True))
    pg_used, mine_used = tree_cpu_seconds(pg) - pg_before, time.process_time() - mine_before
    load_after = os.getloadavg()
    api = timings.pop("api")
    print(f"{staff} staff at once, {volunteers} volunteers; {workers} workers on PostgreSQL")
    print(f"load average before the desk's rounds: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"load average after them:               {' '.join(f'{x:.2f}' for x in load_after)}")
    print(one._line(f"desk API, {workers} workers", api))
    print(
        f"  CPU per request: workers {used * 1000 / calls:.2f} ms,"
        f" PostgreSQL {pg_used * 1000 / calls:.2f} ms,"
        f" this process (Bot API sandbox, proxy) {mine_used * 1000 / calls:.2f} ms"
    )
    for kind, ms in timings.items():
        print(one._line(f"  {kind}", ms))
    print(f"desk p95 under 50 ms: {'yes' if one._pct(api, 0.95) < 50 else 'NO'}")
