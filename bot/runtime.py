"""Starting and stopping the bot in the same order everywhere: production, demo and tests.

One path for every way of receiving updates: initialise, check that this process may receive
them, run the features' start-up work, start the Application, start receiving, start the
due-work ticker; stop in the reverse order. BotRuntime receives by polling; webhook mode
(app/webhook.py) overrides only the receiving steps.

Polling is one process per bot (Telegram allows one getUpdates consumer), and PTB's
start_polling deletes any webhook first, which would silently break a webhook deployment. So
before polling, BotRuntime refuses while getWebhookInfo shows a webhook (unless told to take
it over) and, in real mode, listens a few seconds for another poller (`probe_seconds`): that
one's next getUpdates ends ours with 409 Conflict, and this process stops instead of fighting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta
from typing import Literal
from urllib.parse import urlsplit

from aiohttp import web
from telegram.error import Conflict, TelegramError

from bot.background import DuePoller
from bot.context import BotApplication
from bot.processor import PerUserUpdateProcessor

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# How often the running bot looks for due work. Only the looking is on wall-clock time:
# what is due is decided by the injectable clock the store and services share.
DUE_WORK_EVERY_SECONDS = 5.0
DUE_WORK_STOP_GRACE_SECONDS = 10.0

Elsewhere = Literal["polling", "webhook_set", "webhook_took_over"]


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: enough to recognise a webhook, never its path (some
    deployments put the bot's token there)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "?"


class UpdatesElsewhere(Exception):
    """This bot's updates go to someone else: another poller ("polling"), a webhook set
    before polling starts ("webhook_set"), or one set while this process polls
    ("webhook_took_over")."""

    def __init__(self, reason: Elsewhere, url: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url


class BotRuntime:
    """Owns one Application's lifecycle: initialise, poll, stop cleanly, close the store."""

    def __init__(
        self,
        app: BotApplication,
        *,
        poll_timeout: float = 10.0,
        due_work_every: float = DUE_WORK_EVERY_SECONDS,
        take_over_webhook: bool = False,
        probe_seconds: float = 0.0,
    ) -> None:
        """`take_over_webhook`: poll even though a webhook is set (it is deleted).
        `probe_seconds`: listen that long for another poller before polling (real mode)."""
        self.app = app
        self._poll_timeout = poll_timeout
        self._due_work_every = due_work_every
        self._take_over_webhook = take_over_webhook
        self._probe_seconds = probe_seconds
        self._started = False
        self._stop_ticking = asyncio.Event()
        self._ticker: asyncio.Task[None] | None = None
        self._desk_runner: web.AppRunner | None = None
        # Set when receiving became impossible while running (a webhook took over).
        self.failed = asyncio.Event()
        self.failure: UpdatesElsewhere | None = None

    @property
    def processor(self) -> PerUserUpdateProcessor:
        processor = self.app.update_processor
        assert isinstance(processor, PerUserUpdateProcessor)
        return processor

    @property
    def poller(self) -> DuePoller:
        """The due-work poller; `await runtime.poller.run_due()` runs what is due now."""
        backend = self.app.bot_data.backend
        assert backend is not None
        return backend.poller

    async def start(self) -> None:
        """Initialises the app, checks it may receive updates, runs the start-up work,
        starts receiving and due work. UpdatesElsewhere: another consumer has the updates."""
        self._started = True
        await self.app.initialize()
        # Before anything is done on the bot's behalf: a process that may not receive stops.
        await self._check_can_receive()
        # What the features declared (command menus, standing due items, retiring the
        # sandbox's links…), gathered by the composition root (app/features.py).
        start_up = self.app.bot_data.start_up
        if start_up is not None:
            await start_up()
        await self.app.start()
        await self._start_receiving()
        await self._start_desk()
        # Started once the bot can send (future due work messages users), stopped before.
        self._stop_ticking.clear()
        self._ticker = asyncio.create_task(
            self.poller.run_every(self._due_work_every, self._stop_ticking), name="due-work"
        )
        logger.info("bot @%s is running", self.app.bot.username)

    async def stop(self) -> None:
        """Stops receiving, lets in-flight updates finish, closes the store."""
        if self._started:
            self._started = False
            # Receiving first: from the stop signal on, no new update is taken (webhook workers
            # finish what they hold); then due work, which may still message users.
            await self._stop_receiving()
            await self._stop_desk()
            await self._stop_due_work()
            if self.app.running:
                await self.app.stop()
            await self.app.shutdown()
            logger.info("bot stopped")
        # app.build_application opened the store and the gateway client; close them even when
        # start() failed half-way.
        backend = self.app.bot_data.backend
        if backend is not None:
            await backend.close()

    # --- receiving: polling here, a webhook in app/webhook.py ------------------------------

    async def _check_can_receive(self) -> None:
        """Polling refuses a bot with a webhook (PTB would delete it) and, when probing, a
        bot another process already polls."""
        bot = self.app.bot
        info = await bot.get_webhook_info()
        if info.url:
            if not self._take_over_webhook:
                raise UpdatesElsewhere("webhook_set", origin(info.url))
            logger.warning("taking over from the webhook at %s: it is deleted", origin(info.url))
            # Deleted here, not by start_polling: the probe below needs getUpdates.
            await bot.delete_webhook()
        if self._probe_seconds > 0:
            try:
                # No offset: nothing is confirmed, whatever comes back is fetched again.
                await bot.get_updates(limit=1, timeout=int(self._probe_seconds))
            except Conflict as exc:
                raise UpdatesElsewhere(
                    "webhook_set" if "webhook" in exc.message.lower() else "polling"
                ) from None

    async def _start_receiving(self) -> None:
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0.0,
            timeout=timedelta(seconds=self._poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
            error_callback=self._polling_error,
        )

    async def _stop_receiving(self) -> None:
        if self.app.updater is not None and self.app.updater.running:
            if self.failure is None:
                await self.app.updater.stop()
                return
            # PTB confirms the last offset with one more getUpdates, which the webhook now
            # refuses (409); its traceback would only repeat the one line the operator gets.
            updater_log = logging.getLogger("telegram.ext.Updater")
            level = updater_log.level
            updater_log.setLevel(logging.CRITICAL)
            try:
                await self.app.updater.stop()
            finally:
                updater_log.setLevel(level)

    async def _start_desk(self) -> None:
        """The staff desk on WEB_LISTEN, a server of its own (webhook mode serves it on the
        webhook's server instead, app/webhook.py)."""
        add = self.app.bot_data.desk
        listen = self.app.bot_data.desk_listen
        if add is None or listen is None:
            return
        from bot.web.webhook import serve_webhook

        web_app = web.Application(client_max_size=64 * 1024)
        add(web_app)
        self._desk_runner = await serve_webhook(web_app, listen)
        logger.info("staff desk: serving on %s", listen)

    async def _stop_desk(self) -> None:
        runner, self._desk_runner = self._desk_runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def desk_url(self) -> str | None:
        """http://host:port/ where the desk's own server listens (tests), if it runs."""
        if self._desk_runner is None:
            return None
        host, port = self._desk_runner.addresses[0][:2]
        return f"http://{host}:{port}"

    def _polling_error(self, exc: TelegramError) -> None:
        """PTB retries getUpdates after any error; a 409 says why in one line instead of a
        traceback a second. Must not raise (it would end PTB's polling loop)."""
        if isinstance(exc, Conflict):
            if "webhook" in exc.message.lower():
                # A webhook deployment started: updates go there now, polling gets nothing.
                self._fail(UpdatesElsewhere("webhook_took_over"))
            else:
                # Another process started polling; it stops by itself (its probe sees this).
                logger.warning("getUpdates answered 409: another process polls this bot")
            return
        logger.error("polling for updates failed (%s); retrying", type(exc).__name__)

    def _fail(self, failure: UpdatesElsewhere) -> None:
        if self.failure is None:
            self.failure = failure
            self.failed.set()

    async def _stop_due_work(self) -> None:
        """Lets the pass under way finish, or cancels it after a grace period: items it had
        claimed stay leased and run again once the lease expires (handlers are idempotent)."""
        ticker, self._ticker = self._ticker, None
        if ticker is None:
            return
        self._stop_ticking.set()
        _, pending = await asyncio.wait({ticker}, timeout=DUE_WORK_STOP_GRACE_SECONDS)
        if pending:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker

    async def __aenter__(self) -> BotRuntime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


class StopSignals:
    """SIGINT and SIGTERM, caught from the moment this is entered until it is left.

    Entered before the bot starts: a signal that arrives while it is still starting (it may
    already be answering updates) asks for a clean stop instead of killing the process.
    Shutdown then runs in the event loop, not in a signal frame.
    """

    _SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self._stop = asyncio.Event()

    def __enter__(self) -> StopSignals:
        loop = asyncio.get_running_loop()
        for sig in self._SIGNALS:
            loop.add_signal_handler(sig, self._stop.set)
        return self

    def __exit__(self, *exc: object) -> None:
        loop = asyncio.get_running_loop()
        for sig in self._SIGNALS:
            loop.remove_signal_handler(sig)

    async def wait(self) -> None:
        """Returns once a stop signal has arrived (at once if one already did)."""
        await self._stop.wait()
