"""A tiny webhook receiver on 127.0.0.1 for the sandbox to POST to, and a backoff stand-in."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.loopback import serve_on_loopback

from .conftest import FakeClock

# A bound on waiting for what a broken sandbox would never deliver; not a speed claim.
WAIT = 20.0


@dataclass(frozen=True)
class Received:
    update: dict[str, Any]
    secret: str | None
    status: int  # what the receiver answered (0: it never answered)


class Receiver:
    """Answers each POST with the next status of `script` (200 when it runs out); a status of
    0 means "hang until the test ends" (a timeout). While `gate` is clear, requests are held
    after they are counted, so a test can see how many are in at once."""

    def __init__(self) -> None:
        self.script: list[int] = []
        self.received: list[Received] = []
        self.current = 0
        self.peak = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.finished = asyncio.Event()  # set at teardown: hung handlers return
        self._changed = asyncio.Condition()
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        update = json.loads(await request.text())
        status = self.script.pop(0) if self.script else 200
        self.received.append(
            Received(update, request.headers.get("X-Telegram-Bot-Api-Secret-Token"), status)
        )
        self.current += 1
        self.peak = max(self.peak, self.current)
        await self._notify()
        try:
            await self.gate.wait()
            if status == 0:
                await self.finished.wait()
            return web.Response(status=status or 200)
        finally:
            self.current -= 1
            await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Callable[[Receiver], bool]) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self)), WAIT)

    async def wait_received(self, count: int) -> list[Received]:
        await self.wait_until(lambda r: len(r.received) >= count)
        return self.received

    @property
    def ids(self) -> list[int]:
        return [r.update["update_id"] for r in self.received]


@asynccontextmanager
async def receiver_running() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner, base = await serve_on_loopback(app, "127.0.0.1", 0)
    receiver.url = f"{base}/hook"
    try:
        yield receiver
    finally:
        receiver.finished.set()
        receiver.gate.set()
        await runner.cleanup()


class Backoff:
    """The sandbox's webhook_sleep: records each wait and moves the fake clock by it instead
    of sleeping; while `open` is clear it holds the retry until the test opens it."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.waits: list[float] = []
        self.open = asyncio.Event()
        self.open.set()
        self.jump = 0.0  # extra seconds added to the clock at the next wait (expiry tests)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds + self.jump)
        self.jump = 0.0
        await self.open.wait()
