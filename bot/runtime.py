"""Starting and stopping the bot in the same order everywhere: production, demo and tests."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

from bot.app import BotApplication
from bot.processor import PerUserUpdateProcessor
from handlers.commands import publish_commands

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


class BotRuntime:
    """Owns one Application's lifecycle: initialise, poll, stop cleanly, close the store."""

    def __init__(self, app: BotApplication, *, poll_timeout: float = 10.0) -> None:
        self.app = app
        self._poll_timeout = poll_timeout
        self._started = False

    @property
    def processor(self) -> PerUserUpdateProcessor:
        processor = self.app.update_processor
        assert isinstance(processor, PerUserUpdateProcessor)
        return processor

    async def start(self) -> None:
        """Initialises the app, publishes the command menu and starts polling."""
        self._started = True
        await self.app.initialize()
        await publish_commands(self.app.bot)
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0.0,
            timeout=timedelta(seconds=self._poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
        )
        await self.app.start()
        logger.info("bot @%s is running", self.app.bot.username)

    async def stop(self) -> None:
        """Stops polling, lets in-flight updates finish, closes the store."""
        if self._started:
            self._started = False
            if self.app.updater is not None and self.app.updater.running:
                await self.app.updater.stop()
            if self.app.running:
                await self.app.stop()
            await self.app.shutdown()
            logger.info("bot stopped")
        # build_application opened the store and the gateway client; close them even when
        # start() failed half-way.
        services = self.app.bot_data.services
        if services is not None:
            await services.close()

    async def __aenter__(self) -> BotRuntime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def wait_for_stop_signal() -> None:
    """Returns on SIGINT or SIGTERM, so shutdown runs in the event loop, not in a signal frame."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
