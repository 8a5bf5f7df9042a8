"""Starting and stopping the bot in the same order everywhere: production, demo and tests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta

from bot.background import DuePoller
from bot.context import BotApplication
from bot.processor import PerUserUpdateProcessor

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# How often the running bot looks for due work. Only the looking is on wall-clock time:
# what is due is decided by the injectable clock the store and services share.
DUE_WORK_EVERY_SECONDS = 5.0
DUE_WORK_STOP_GRACE_SECONDS = 10.0


class BotRuntime:
    """Owns one Application's lifecycle: initialise, poll, stop cleanly, close the store."""

    def __init__(
        self,
        app: BotApplication,
        *,
        poll_timeout: float = 10.0,
        due_work_every: float = DUE_WORK_EVERY_SECONDS,
    ) -> None:
        self.app = app
        self._poll_timeout = poll_timeout
        self._due_work_every = due_work_every
        self._started = False
        self._stop_ticking = asyncio.Event()
        self._ticker: asyncio.Task[None] | None = None

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
        """Initialises the app, runs the start-up work, starts polling and due work."""
        self._started = True
        await self.app.initialize()
        # What the features declared (command menus, standing due items, retiring the
        # sandbox's links…), gathered by the composition root (app/features.py).
        start_up = self.app.bot_data.start_up
        if start_up is not None:
            await start_up()
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0.0,
            timeout=timedelta(seconds=self._poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
        )
        await self.app.start()
        # Started once the bot can send (future due work messages users), stopped before.
        self._stop_ticking.clear()
        self._ticker = asyncio.create_task(
            self.poller.run_every(self._due_work_every, self._stop_ticking), name="due-work"
        )
        logger.info("bot @%s is running", self.app.bot.username)

    async def stop(self) -> None:
        """Stops polling, lets in-flight updates finish, closes the store."""
        if self._started:
            self._started = False
            await self._stop_due_work()
            if self.app.updater is not None and self.app.updater.running:
                await self.app.updater.stop()
            if self.app.running:
                await self.app.stop()
            await self.app.shutdown()
            logger.info("bot stopped")
        # app.build_application opened the store and the gateway client; close them even when
        # start() failed half-way.
        backend = self.app.bot_data.backend
        if backend is not None:
            await backend.close()

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
