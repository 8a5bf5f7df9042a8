"""The webhook endpoint: a POST from Telegram is stored in the inbox, committed, and only
then answered 200, so an update acknowledged is never lost (PTB's own webhook answers
before it handles the update). Any worker may receive any POST: the inbox is shared.

- A wrong or missing X-Telegram-Bot-Api-Secret-Token: 401, nothing stored (compared in
  constant time, so the secret cannot be guessed byte by byte from response times).
- A body that is not an update: 400, nothing stored; Telegram does not retry a 4xx forever
  (it gives up on the update after a day), and nothing here can crash the server.
- A redelivered update_id: 200, stored once.
- The database failing: 503, and Telegram sends the update again later.
GET /healthz answers 200 with the inbox lag while the database answers, else 503.
GET /metrics (when given WebhookMetrics) answers Prometheus text (bot/web/metrics.py).
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable, Sequence

from aiohttp import web
from telegram import Bot

from bot.services.inbox import Accepted, InboxService
from bot.web.metrics import CONTENT_TYPE, WebhookMetrics

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram"
# Telegram's rule for secret_token: 1-256 characters, A-Z, a-z, 0-9, _ and -.
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# An update is a few kilobytes; a body far larger is not one (aiohttp answers 413).
MAX_BODY_BYTES = 1024 * 1024


def check_secret(secret: str) -> str:
    """The secret as Telegram accepts it, or ValueError saying why not."""
    if _SECRET_RE.fullmatch(secret) is None:
        raise ValueError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return secret


def build_webhook_app(
    inbox: InboxService,
    secret: str,
    *,
    path: str = DEFAULT_PATH,
    on_stored: Callable[[], None] | None = None,
    metrics: WebhookMetrics | None = None,
) -> web.Application:
    """The aiohttp app for WEBHOOK_LISTEN: POST `path` (Telegram), GET /healthz and, with
    `metrics`, GET /metrics.

    `on_stored` is called after a new update is committed (a worker in this process may
    wake up at once instead of at its next poll).
    """
    expected = check_secret(secret).encode()

    def count(outcome: str) -> None:
        if metrics is not None:
            metrics.received.labels(outcome).inc()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            count("unauthorized")
            return web.Response(status=401, text="wrong secret token")
        try:
            body = await request.read()
            accepted = await inbox.accept(body)
        except web.HTTPException:
            count("malformed")
            raise  # 413 for a body over the limit
        except Exception as exc:
            # The update's content is never logged: it can quote anything a user typed.
            logger.error("webhook: could not store an update (%s)", type(exc).__name__)
            count("failed")
            return web.Response(status=503, text="try again")
        count(accepted.value)
        if accepted is Accepted.MALFORMED:
            return web.Response(status=400, text="not a Telegram update")
        if accepted is Accepted.STORED and on_stored is not None:
            on_stored()
        return web.Response(status=200)

    async def healthz(request: web.Request) -> web.Response:
        report = await inbox.health()
        return web.json_response(report, status=200 if report["database"] == "ok" else 503)

    async def scrape(request: web.Request) -> web.Response:
        assert metrics is not None
        return web.Response(body=await metrics.render(), headers={"Content-Type": CONTENT_TYPE})

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", healthz)
    if metrics is not None:
        app.router.add_get("/metrics", scrape)
    return app


def parse_listen(listen: str) -> tuple[str, int]:
    """WEBHOOK_LISTEN "host:port" ("[::1]:8443" for IPv6; port 0 picks a free one)."""
    host, sep, port = listen.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError("WEBHOOK_LISTEN must look like host:port, e.g. 127.0.0.1:8443")
    return host.strip("[]"), int(port)


async def serve_webhook(app: web.Application, listen: str) -> web.AppRunner:
    """Starts serving on WEBHOOK_LISTEN; the caller cleans the runner up at shutdown."""
    host, port = parse_listen(listen)
    # No access log: request lines are noise, and a misconfigured URL could carry a token.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner


def listening_url(runner: web.AppRunner, path: str = DEFAULT_PATH) -> str:
    """http://host:port/path of a started runner (for tests and the log line)."""
    host, port = runner.addresses[0][:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


async def register_webhook(
    bot: Bot,
    url: str,
    secret: str,
    allowed_updates: Sequence[str],
    *,
    max_connections: int = 40,
) -> None:
    """setWebhook at start-up: Telegram POSTs to `url` from now on, with the secret header.

    Pending updates are kept (never drop_pending_updates): they are what users sent while
    the bot was away.
    """
    await bot.set_webhook(
        url,
        secret_token=check_secret(secret),
        allowed_updates=list(allowed_updates),
        max_connections=max_connections,
    )
