"""Webhook mode: `run_bot.py real` with WEBHOOK_URL set. The same Application, the same
start-up work and due-work ticker as polling (bot/runtime.py); only receiving differs:

- start: the aiohttp app (bot/web/webhook.py) serves WEBHOOK_LISTEN at WEBHOOK_URL's path,
  with /healthz and /metrics; WEBHOOK_WORKERS worker tasks run the inbox; then setWebhook
  (the secret, ALLOWED_UPDATES, max_connections), so Telegram POSTs only once all is ready.
  A POST is committed to the inbox before its 200, and wakes one idle worker at once (not
  all of them: each wake-up costs a claim, a write).
- each worker claims stored updates (each user's oldest first, one at a time per user,
  bot/services/inbox.py), hands each to `application.process_update`, and marks it done; its
  lease is renewed while the update runs, so only a dead worker's rows are taken over (after
  WEBHOOK_LEASE_SECONDS). Every second it also looks again without being woken: rows left by
  a dead process, or stored by another process of the deployment.
- stop (SIGINT/SIGTERM): workers take nothing new and finish what they hold (up to
  STOP_GRACE_SECONDS; what is cut off then keeps its lease and runs at the next start). POSTs
  are still accepted meanwhile: they are committed before their 200 and run at the next start,
  while a refused POST would make Telegram back off for up to a minute. The server closes
  last, before the store. The webhook is never deleted: Telegram keeps what arrives while the
  bot is away.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from telegram import Update

from bot.context import BotApplication
from bot.runtime import ALLOWED_UPDATES, DUE_WORK_EVERY_SECONDS, BotRuntime, origin
from bot.services.inbox import Ran
from bot.settings import Settings
from bot.web.metrics import WebhookMetrics
from bot.web.webhook import build_webhook_app, listening_url, register_webhook, serve_webhook
from store.inbox import new_worker_id

logger = logging.getLogger(__name__)

# Telegram's default; each POST only writes one row, so 40 at once cost little.
MAX_CONNECTIONS = 40
# A worker not woken by a POST looks again this often (wall-clock seconds).
LOOK_EVERY_SECONDS = 1.0
# Rows a worker claims at once; while POSTs are in flight, one: the process then runs at most
# WEBHOOK_WORKERS updates at a time, so the CPU it gets goes to the 200s Telegram waits for
# first (bench/webhook_ack.py), and the inbox keeps what waits meanwhile.
CLAIM = 10
CLAIM_WHILE_RECEIVING = 1
STOP_GRACE_SECONDS = 20.0


class WebhookRuntime(BotRuntime):
    """BotRuntime that receives through a webhook and runs the inbox with worker tasks."""

    def __init__(
        self,
        app: BotApplication,
        settings: Settings,
        *,
        due_work_every: float = DUE_WORK_EVERY_SECONDS,
    ) -> None:
        super().__init__(app, due_work_every=due_work_every)
        if settings.webhook_url is None or settings.webhook_secret is None:
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        self._url = str(settings.webhook_url)
        self._secret = settings.webhook_secret.get_secret_value()
        self._listen = settings.webhook_listen
        self._path = settings.webhook_path
        self._worker_count = settings.webhook_workers
        backend = app.bot_data.backend
        assert backend is not None
        budget = app.bot_data.budget
        self.metrics = WebhookMetrics(
            backend.readings, lambda: budget.flood_answers if budget is not None else 0
        )
        # Idle workers' wake-up events, and whether an update was stored while none was idle.
        self._idle: list[asyncio.Event] = []
        self._missed = False
        self._stopping = asyncio.Event()
        self._workers: list[asyncio.Task[None]] = []
        self._runner: web.AppRunner | None = None
        self._receiving = 0  # POSTs from Telegram in flight now

    @property
    def url(self) -> str:
        """Where this process listens (http://host:port/path), once started."""
        assert self._runner is not None
        return listening_url(self._runner, self._path)

    async def _start_desk(self) -> None:
        """Served by the webhook's own server (_start_receiving)."""

    async def _check_can_receive(self) -> None:
        """Nothing to check: setWebhook takes the updates over from any poller (whose next
        getUpdates is refused with 409, and which then stops)."""

    async def _start_receiving(self) -> None:
        services = self.app.bot_data.services
        assert services is not None
        web_app = build_webhook_app(
            services.inbox,
            self._secret,
            path=self._path,
            on_stored=self._stored,
            metrics=self.metrics,
        )
        web_app.middlewares.append(self._count_receiving)
        if self.app.bot_data.desk is not None:
            self.app.bot_data.desk(web_app)  # the desk on the same server, at WEB_URL's path
        self._runner = await serve_webhook(web_app, self._listen)
        self._stopping.clear()
        process = new_worker_id()
        self._workers = [
            asyncio.create_task(self._work(f"{process}-{n}"), name=f"inbox worker {n}")
            for n in range(self._worker_count)
        ]
        await register_webhook(
            self.app.bot,
            self._url,
            self._secret,
            ALLOWED_UPDATES,
            max_connections=MAX_CONNECTIONS,
        )
        logger.info(
            "webhook: serving %s on %s with %d worker(s)",
            origin(self._url),
            self._listen,
            self._worker_count,
        )

    async def _stop_receiving(self) -> None:
        workers, self._workers = self._workers, []
        self._stopping.set()
        for idle in self._idle:
            idle.set()
        if workers:
            _, cut = await asyncio.wait(workers, timeout=STOP_GRACE_SECONDS)
            for task in cut:
                task.cancel()
            await asyncio.gather(*cut, return_exceptions=True)
            if cut:
                logger.warning("webhook: updates still running were cut off; they run again")
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @web.middleware
    async def _count_receiving(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != self._path:
            return await handler(request)
        self._receiving += 1
        try:
            return await handler(request)
        finally:
            self._receiving -= 1

    async def _work(self, worker: str) -> None:
        services = self.app.bot_data.services
        assert services is not None
        while not self._stopping.is_set():
            limit = CLAIM_WHILE_RECEIVING if self._receiving else CLAIM
            try:
                ran = await services.inbox.run_ready(worker, self._handle, limit)
            except Exception as exc:
                # The store failing: the rows stay and are claimed again once it answers.
                logger.error("webhook: inbox worker failed (%s)", type(exc).__name__)
                ran = Ran(done=0, again=False)
            self.metrics.done.inc(ran.done)
            if ran.again:
                continue  # more may be waiting: a full claim, or a held user's next update
            if self._missed:
                # Stored while every worker was busy (perhaps after this one's claim).
                self._missed = False
                continue
            await self._idle_until_woken()

    async def _idle_until_woken(self) -> None:
        if self._stopping.is_set():
            return
        woken = asyncio.Event()
        self._idle.append(woken)
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(LOOK_EVERY_SECONDS):
                    await woken.wait()
        finally:
            if woken in self._idle:
                self._idle.remove(woken)

    def _stored(self) -> None:
        """A POST committed a new update: one idle worker runs it now."""
        if self._idle:
            self._idle.pop().set()
        else:
            self._missed = True

    async def _handle(self, update: dict[str, Any]) -> None:
        # The inbox already keeps each user's order across workers and processes, so the
        # update goes straight to the handlers, past PTB's update queue and processor.
        await self.app.process_update(Update.de_json(update, self.app.bot))
