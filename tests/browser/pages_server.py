"""TEMPORARY until the mini app server lands (m-api): the static pages alone on a free port."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

STATIC = Path(__file__).resolve().parents[2] / "bot" / "web" / "miniapp" / "static"


async def serve(backend: Any, clock: Any) -> tuple[str, Callable[[], Awaitable[None]]]:
    app = web.Application()

    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    app.router.add_get("/miniapp/", index)
    app.router.add_static("/miniapp/", STATIC)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return f"http://127.0.0.1:{port}/miniapp/", runner.cleanup
