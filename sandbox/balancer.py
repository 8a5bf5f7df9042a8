"""A round-robin HTTP proxy on loopback: the stand-in for nginx in front of several webhook
workers (README "여러 대로 운영하기 / Running several workers"), for tests and benches.

Each POST goes to the next worker in turn, with its body and Telegram's secret header. A
worker that refuses the connection (killed) is passed over for the next one, as nginx's
`proxy_next_upstream error` does; when none answers, 502 (Telegram then sends it again).
`lose_once(update_id)` makes the proxy answer 502 after a worker's 200 for that update, once:
the worker has committed it and Telegram, believing it failed, sends the same update again.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

from .loopback import serve_on_loopback

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class RoundRobin:
    def __init__(self, targets: Sequence[str], path: str) -> None:
        self.targets = list(targets)  # worker base URLs, http://127.0.0.1:PORT
        self.path = path
        self.url = ""  # where the Bot API POSTs, once started
        self._next = 0
        self._lose: set[int] = set()
        self.lost: list[int] = []  # update ids answered 502 after a worker's 200
        self.acknowledged: Counter[int] = Counter()  # update id → 200s from workers
        self.by_target: Counter[str] = Counter()  # worker → 200s it gave
        self._changed = asyncio.Condition()
        self._session: aiohttp.ClientSession | None = None

    def lose_once(self, update_id: int) -> None:
        self._lose.add(update_id)

    async def wait_acknowledged(self, count: int, timeout: float) -> None:
        """Waits until workers have answered 200 to `count` POSTs in all."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.acknowledged.total() >= count), timeout
            )

    async def handle(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {SECRET_HEADER: request.headers.get(SECRET_HEADER, "")}
        headers["Content-Type"] = "application/json"
        for _ in range(len(self.targets)):
            target = self.targets[self._next % len(self.targets)]
            self._next += 1
            try:
                async with self._session.post(
                    f"{target}{self.path}", data=body, headers=headers
                ) as answer:
                    status = answer.status
                    await answer.read()
            except aiohttp.ClientConnectionError:
                continue  # that worker is gone: the next one
            break
        else:
            return web.Response(status=502)
        if status == 200:
            update_id = json.loads(body).get("update_id")
            async with self._changed:
                self.acknowledged[update_id] += 1
                self.by_target[target] += 1
                self._changed.notify_all()
            if update_id in self._lose:
                self._lose.discard(update_id)
                self.lost.append(update_id)
                return web.Response(status=502)
        return web.Response(status=status)


@asynccontextmanager
async def round_robin(targets: Sequence[str], path: str) -> AsyncIterator[RoundRobin]:
    """The proxy on a free loopback port; `.url` is what to give setWebhook."""
    proxy = RoundRobin(targets, path)
    app = web.Application()
    app.router.add_post(path, proxy.handle)
    # No pool limit: the Bot API already bounds its POSTs (max_connections).
    proxy._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    runner, base = await serve_on_loopback(app, "127.0.0.1", 0)
    proxy.url = f"{base}{path}"
    try:
        yield proxy
    finally:
        await runner.cleanup()
        await proxy._session.close()
