"""The staff desk's API under 20 staff clicking at once, against the chat path's cost.

One process: the sandbox Bot API, the sandbox gateway, and the production-built bot polling it
with its desk server on a free loopback port (as tests/miniapp run it), on the event loop
`run_bot.py real` uses (uvloop where installed: app/event_loop.py). The desk's clients run
in a second process (this module with --client), so signing initData and parsing answers do not
take the server's CPU time and the figures are the server's. --volunteers volunteers have
started the bot, 30 of them have an open question; --staff staff members are stored. Then
--rounds rounds, each one "click" per staff member at once, cycling through what the pages
load: today, the segments with live counts, open questions, a preview, a fresh idempotency key.
Every request carries initData signed with the bot's token and is checked like any other
(signature, role in the store).

The chat path, for comparison: the same staff send /stats at once through the sandbox Bot API
and each waits until the bot has handled the update (what a staff member waits for in chat).
Printed: p50 / p95 / max of each, and the ratio.

    python -m bench.miniapp_api [--staff 20] [--volunteers 200] [--rounds 10] [--profile out.html]
    python -m bench.miniapp_api --workers 2   (the same rounds served by 2 webhook workers on
                                               PostgreSQL behind a proxy: bench/miniapp_workers.py)

Printed too: the load average before and after the desk's rounds (the machine is shared;
compare runs with that, and compare the ratios and the CPU per request, which move less).
--profile writes a pyinstrument profile of the server's side of the rounds (the bot's event
loop; aiosqlite's thread is not in it) as HTML, and its text beside it."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import init_data_py
from pydantic import HttpUrl, SecretStr

from app import build_application, event_loop
from bot.runtime import BotRuntime
from bot.services.container import Backend
from bot.settings import Settings
from core.clock import SystemClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.help_requests import Copy, HelpRequestRepository

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:BENCH-TOKEN-not-a-real-one"
GATEWAY_KEY = "bench-center-key-not-a-real-one"
ADMIN = 9001
STAFF_FROM = 20_000


def _init_data(user_id: int) -> str:
    user = json.dumps({"id": user_id, "first_name": "담당", "language_code": "ko"})
    return init_data_py.sign({"user": user}, TOKEN)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def _line(name: str, ms: list[float]) -> str:
    return (
        f"{name:<28} n={len(ms):>4}  p50 {statistics.median(ms):6.1f} ms"
        f"  p95 {_pct(ms, 0.95):6.1f} ms  max {max(ms):6.1f} ms"
    )


KINDS = ("today", "segments", "questions", "preview", "nonce")
BY_KIND: dict[str, list[float]] = {k: [] for k in KINDS}


async def _click(
    client: aiohttp.ClientSession, base: str, signed: dict[int, str], staff_id: int, n: int
) -> float:
    headers = {"Authorization": f"tma {signed[staff_id]}"}
    started = time.perf_counter()
    match n % 5:
        case 0:
            request = client.get(base + "api/today", headers=headers)
        case 1:
            request = client.get(base + "api/segments", headers=headers)
        case 2:
            request = client.get(base + "api/questions", headers=headers)
        case 3:
            body = {"text_ko": "<b>안내</b> 이번 달 실적을 보내 주세요."}
            request = client.post(base + "api/preview", json=body, headers=headers)
        case _:
            request = client.get(base + "api/nonce", headers=headers)
    async with request as response:
        text = await response.text()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status == 200, text
    BY_KIND[KINDS[n % 5]].append(elapsed)
    return elapsed


async def clients(base: str, team: list[int], rounds: int) -> dict[str, list[float]]:
    """The client process: a warm-up click each, then `rounds` rounds of all at once.

    Each staff member's initData is signed once, as Telegram hands it to the page once when it
    opens and every call carries the same. The 20 "phones" share this one process, so its own
    CPU per request adds to the latency it measures (it sends and reads the 20 one after
    another): aiohttp's client, a third of httpx's CPU per request here, keeps that small."""
    api: list[float] = []
    signed = {member: _init_data(member) for member in team}
    connector = aiohttp.TCPConnector(limit=len(team) * 2)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
        await asyncio.gather(*(_click(client, base, signed, m, 0) for m in team))  # warm up
        for kind in KINDS:
            BY_KIND[kind].clear()
        for r in range(rounds):
            api += await asyncio.gather(
                *(_click(client, base, signed, m, r + i) for i, m in enumerate(team))
            )
    return {"api": api, **BY_KIND}


async def _client_process(base: str, team: list[int], rounds: int) -> dict[str, list[float]]:
    """Runs clients() in a child process and reads its timings (one JSON line)."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.miniapp_api",
        "--client",
        base,
        "--team",
        ",".join(map(str, team)),
        "--rounds",
        str(rounds),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"the client process failed ({child.returncode})")
    result: dict[str, list[float]] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def run(staff: int, volunteers: int, rounds: int, profile: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            BotApiSandbox(tokens=[TOKEN]) as sandbox,
            GatewaySandbox(
                api_key=GATEWAY_KEY, db_path=Path(tmp) / "gw.sqlite3", clock=SystemClock()
            ) as gateway,
        ):
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                telegram_bot_token=SecretStr(TOKEN),
                telegram_api_base_url=HttpUrl(sandbox.base_url),
                database_path=Path(tmp) / "bot.sqlite3",
                admin_telegram_ids=(ADMIN,),
                vms_gateway_url=HttpUrl(gateway.base_url),
                vms_gateway_api_key=SecretStr(GATEWAY_KEY),
                log_level="WARNING",
                web_url=HttpUrl("https://desk.example.org/desk/"),
                web_listen="127.0.0.1:0",
            )
            app = await build_application(settings, rate_limit=False)
            runtime = BotRuntime(app, poll_timeout=0.5)
            await runtime.start()
            try:
                await _scenario(runtime, sandbox, staff, volunteers, rounds, profile)
            finally:
                await runtime.stop()


async def _say(runtime: BotRuntime, sandbox: BotApiSandbox, user_id: int, text: str) -> float:
    started = time.perf_counter()
    sent = await sandbox.user_send(user_id, text, chat_id=user_id, first_name="담당")
    await runtime.processor.wait_processed(sent.update_id, timeout=120)
    return (time.perf_counter() - started) * 1000


async def _questions(backend: Backend, count: int) -> None:
    """Open questions from the first `count` volunteers, delivered to the admin's chat (as the
    chat flow stores them), so 오늘 and the question list show a desk with work on it."""
    repo = HelpRequestRepository(backend.db)
    now = backend.services.clock.now()
    for n, user_id in enumerate(range(1, count + 1)):
        made, _, _ = await repo.open_if_allowed(
            user_id,
            user_id.to_bytes(32, "big"),  # a keyed hash per person, as the chat stores
            now,
            question=f"{n}번째 질문이에요. 실적이 1365에 아직 안 보여요.",
            expires_at=now + timedelta(days=3),
            max_open=3,
            not_since=now - timedelta(minutes=1),
        )
        assert made is not None
        await repo.add_copies(made.id, [Copy(ADMIN, 10_000 + n)])


async def _scenario(
    runtime: BotRuntime,
    sandbox: BotApiSandbox,
    staff: int,
    volunteers: int,
    rounds: int,
    profile: Path | None,
    questions: int = 30,
) -> None:
    services = runtime.app.bot_data.services
    assert services is not None and runtime.desk_url is not None
    for user_id in range(1, volunteers + 1):
        await _say(runtime, sandbox, user_id, "/start")
    assert runtime.app.bot_data.backend is not None
    await _questions(runtime.app.bot_data.backend, min(questions, volunteers))
    team = [STAFF_FROM + n for n in range(staff)]
    for member in team:
        await _say(runtime, sandbox, member, "/start")
        await services.staff.add(member, added_by=ADMIN)
    base = runtime.desk_url + "/desk/"
    load = os.getloadavg()
    profiler = _profiler(profile)
    cpu_before = time.process_time()
    timings = await _client_process(base, team, rounds)
    # The server's own CPU per request (this process: the bot and the sandbox; the clients ran
    # in the child): unlike the wall times, this hardly moves with the machine's load.
    cpu_ms = (time.process_time() - cpu_before) * 1000 / (len(team) * (rounds + 1))
    load_after = os.getloadavg()
    if profiler is not None and profile is not None:
        profiler.stop()
        _write_profile(profiler, profile)
    api = timings.pop("api")
    chat: list[float] = []
    await asyncio.gather(*(_say(runtime, sandbox, m, "/stats") for m in team))  # warm up
    for _ in range(max(1, rounds // 5)):  # /stats draws a chart each time: fewer rounds
        chat += await asyncio.gather(*(_say(runtime, sandbox, m, "/stats") for m in team))
    print(f"{staff} staff at once, {volunteers} volunteers")
    print(f"load average before the desk's rounds: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"load average after them:               {' '.join(f'{x:.2f}' for x in load_after)}")
    print(_line("desk API (one click)", api))
    print(f"  server CPU per request: {cpu_ms:.2f} ms")
    for kind, ms in timings.items():
        print(_line(f"  {kind}", ms))
    print(_line("chat /stats (one command)", chat))
    print(f"ratio chat/desk p95: {_pct(chat, 0.95) / _pct(api, 0.95):.1f}")
    print(f"desk p95 under 50 ms: {'yes' if _pct(api, 0.95) < 50 else 'NO'}")


def _profiler(path: Path | None) -> Any:
    """A pyinstrument profiler, started, if a profile was asked for (a dev dependency)."""
    if path is None:
        return None
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    return profiler


def _write_profile(profiler: Any, path: Path) -> None:
    path.write_text(profiler.output_html(), encoding="utf-8")
    text = profiler.output_text(unicode=True, color=False)
    path.with_suffix(".txt").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile (HTML) here")
    parser.add_argument(
        "--workers", type=int, help="also serve the rounds from N webhook workers on PostgreSQL"
    )
    parser.add_argument("--client", help=argparse.SUPPRESS)  # the child: the desk's base URL
    parser.add_argument("--team", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        team = [int(i) for i in args.team.split(",")]
        print(json.dumps(event_loop.run(clients(args.client, team, args.rounds))))
        return
    # The loop `run_bot.py real` runs the bot and its desk server on (app/event_loop.py).
    event_loop.run(run(args.staff, args.volunteers, args.rounds, args.profile))
    if args.workers:
        from bench.miniapp_workers import run_workers

        print()
        asyncio.run(run_workers(args.workers, args.staff, args.volunteers, args.rounds))


if __name__ == "__main__":
    main()
