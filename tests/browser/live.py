"""The real bot, served for a browser: sandbox Bot API, sandbox gateway, the PTB Application
and the mini app's server, on an event loop of their own in a background thread.

Playwright's sync API (pytest-playwright) drives the browser from the test's thread; the
bot's side runs as in tests/conftest.py, only on another loop, so a test reaches it through
`live.run(coroutine)` and `live.read(function)`, both waiting for the answer.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import HttpUrl

from app import build_application
from bot.runtime import BotRuntime
from bot.services.container import Backend
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.browser.initdata import init_data, launch_fragment, tampered
from tests.browser.themes import THEMES
from tests.conftest import ADMIN_ID, GATEWAY_KEY, TOKEN, make_settings
from tests.journey import User

T = TypeVar("T")
DESK_PATH = "/desk/"
WAIT = 30.0  # seconds: a bound on a hung call, never a pause


class LoopThread:
    """One event loop in a daemon thread for the whole session."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="live-bot", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = WAIT) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(WAIT)
        self.loop.close()


class Live:
    """One test's bot and page server. `url(...)` is what Telegram would open for a user."""

    def __init__(self, loop: LoopThread, tmp_path: Path) -> None:
        self._loop = loop
        self._tmp = tmp_path
        self.clock = FakeClock()
        self._stack: list[Callable[[], Awaitable[Any]]] = []

    # -- life --------------------------------------------------------------------------

    def start(self, **overrides: object) -> Live:
        try:
            self.run(self._start(overrides))
        except BaseException:
            self.stop()
            raise
        return self

    async def _start(self, overrides: dict[str, object]) -> None:
        self.sandbox = BotApiSandbox(tokens=[TOKEN])
        await self.sandbox.__aenter__()
        self._stack.append(lambda: self.sandbox.__aexit__(None, None, None))
        self.gateway = GatewaySandbox(
            api_key=GATEWAY_KEY, db_path=self._tmp / "gateway.sqlite3", clock=self.clock
        )
        await self.gateway.__aenter__()
        self._stack.append(lambda: self.gateway.__aexit__(None, None, None))
        values: dict[str, object] = {
            # The desk on a port of its own (polling mode's WEB_LISTEN), at WEB_URL's path.
            "web_url": HttpUrl(f"http://127.0.0.1{DESK_PATH}"),
            "web_listen": "127.0.0.1:0",
            **overrides,
        }
        settings = make_settings(self.sandbox, self._tmp / "bot.sqlite3", self.gateway, **values)
        app = await build_application(settings, clock=self.clock)
        self.bot = BotRuntime(app, poll_timeout=0.5)
        await self.bot.start()
        self._stack.append(self.bot.stop)
        assert self.bot.desk_url is not None, "the desk's server did not start"
        self.base_url = self.bot.desk_url + DESK_PATH

    def stop(self) -> None:
        self.run(self._stop())

    async def _stop(self) -> None:
        self.sandbox.holds.release_all()
        while self._stack:
            await self._stack.pop()()

    # -- reaching the bot's side -------------------------------------------------------

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self._loop.run(coro)

    def read(self, fn: Callable[[], T]) -> T:
        """`fn()` on the bot's loop: sandbox and store state is only touched there."""

        async def call() -> T:
            return fn()

        return self.run(call())

    @property
    def backend(self) -> Backend:
        backend = self.bot.app.bot_data.backend
        assert backend is not None
        return backend

    def user(self, user_id: int, **kwargs: Any) -> User:
        return User(self.sandbox, self.bot, user_id, **kwargs)

    def volunteers(self, ids: list[int] | range, language_code: str = "ko") -> list[User]:
        """Volunteers who started the bot, as Telegram users do."""
        made = [self.user(i, language_code=language_code) for i in ids]

        async def start_all() -> None:
            for volunteer in made:
                await volunteer.send("/start")

        self.run(start_all())
        return made

    def ask(self, volunteer: User, question: str) -> None:
        """The volunteer leaves a question for the center, as in chat (/help → 질문 남기기).
        The button shows only when some staff member can receive it: the admin has started
        the bot."""

        async def asking() -> None:
            await self.user(ADMIN_ID, first_name="관리").send("/start")
            await volunteer.send("/help")
            await volunteer.click("✍️ 센터에 질문 남기기")
            await volunteer.send(question)

        self.run(asking())

    def link(self, volunteer: User, vms_id: str) -> None:
        """The volunteer links their VMS account with the code the sandbox gateway sends."""

        async def linking() -> None:
            await volunteer.send("/link")
            await volunteer.send(vms_id)
            code = await self.gateway.delivered_code(vms_id)
            assert code is not None
            await volunteer.send(code)
            await volunteer.send("/status")  # what staff see comes from this cache

        self.run(linking())

    def messages_to(self, chat_id: int) -> list[str]:
        return self.read(lambda: [m.text for m in self.sandbox.bot_messages(chat_id)])

    def run_due(self) -> None:
        """What the running bot's due-work ticker does on its next pass, now."""
        self.run(self.bot.poller.run_due())

    def advance(self, delta: timedelta) -> None:
        self.read(lambda: self.clock.advance(delta))

    # -- the page as Telegram opens it -------------------------------------------------

    def url(
        self,
        user_id: int = ADMIN_ID,
        *,
        language_code: str = "ko",
        theme: str = "light",
        age: timedelta = timedelta(0),
        forged: bool = False,
        page: str = "",
    ) -> str:
        data = init_data(
            TOKEN, user_id, signed_at=self.clock.now() - age, language_code=language_code
        )
        if forged:
            data = tampered(data)
        return self.base_url + launch_fragment(data, THEMES[theme], page=page)
