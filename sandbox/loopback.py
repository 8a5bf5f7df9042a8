"""Serving an aiohttp app on loopback only, as every sandbox server does."""

from __future__ import annotations

import ipaddress

from aiohttp import web


async def serve_on_loopback(
    app: web.Application, host: str, port: int, **runner_options: object
) -> tuple[web.AppRunner, str]:
    """Starts `app` on host:port (port 0 picks a free one); returns the runner and base URL.

    Anything but a loopback address is refused: sandbox traffic must never leave the machine.
    """
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError("sandbox servers only listen on loopback")
    # access_log=None: request lines can contain a bot token and are noise for operators.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.25, **runner_options)  # type: ignore[arg-type]
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_host, bound_port = runner.addresses[0][:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    return runner, f"http://{shown}:{bound_port}"
