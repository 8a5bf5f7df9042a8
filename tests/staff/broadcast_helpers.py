"""Shared by the broadcast sender tests: volunteers made by talking to the bot, a launch, a run."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.runtime import BotRuntime
from bot.services.broadcast_sender import BroadcastSender
from bot.services.broadcasts import Audience, Launched
from bot.services.container import Backend
from sandbox.botapi import BotApiSandbox
from tests.journey import User

T = TypeVar("T")

TEXT_KO = "<b>센터 안내</b> 이번 달 봉사실적을 1365로 전송하셨나요?"
TEXT_EN = "<b>Center notice</b> Did you send this month's hours to 1365?"


def backend_of(bot: BotRuntime) -> Backend:
    backend = bot.app.bot_data.backend
    assert backend is not None
    return backend


def sender_of(bot: BotRuntime) -> BroadcastSender:
    return backend_of(bot).sender


async def volunteers(
    make: Callable[..., User], ids: range | list[int], language_code: str = "ko"
) -> list[User]:
    """Volunteers who started the bot, as Telegram users do."""
    made = [make(i, language_code=language_code) for i in ids]
    for volunteer in made:
        await volunteer.send("/start")
    return made


async def launch(
    bot: BotRuntime, *, by: int | None = None, progress_chat_id: int | None = None
) -> Launched:
    return await backend_of(bot).services.broadcasts.launch(
        created_by=by,
        audience=Audience("all"),
        text_ko=TEXT_KO,
        text_en=TEXT_EN,
        progress_chat_id=progress_chat_id,
    )


async def run_to_end(bot: BotRuntime, broadcast_id: int) -> None:
    """What the running bot's poller does, once: start the sending; then wait for its end."""
    await bot.poller.run_due()
    await asyncio.wait_for(sender_of(bot).wait(broadcast_id), 30)


async def until(
    read: Callable[[], Awaitable[T]], holds: Callable[[T], bool], timeout: float = 10
) -> T:
    """Reads (from the store) until `holds`: the event a test waits on is a write that
    follows a Telegram call, which the test cannot observe otherwise."""

    async def poll() -> T:
        while not holds(value := await read()):  # noqa: ASYNC110 - the store has no event
            await asyncio.sleep(0.005)
        return value

    return await asyncio.wait_for(poll(), timeout)


def copies(sandbox: BotApiSandbox, chat_id: int, needle: str) -> int:
    return sum(needle in m.text for m in sandbox.bot_messages(chat_id))


class VirtualTime:
    """Seconds that pass only when the sender sleeps: 429 waits cost no wall time, and every
    pause is recorded. `gate`, when set, makes each sleep wait for a release first."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self.gate: asyncio.Semaphore | None = None

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if self.gate is not None:
            await self.gate.acquire()
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)
