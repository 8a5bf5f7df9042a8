"""What the service tier shares: linking as /link does, an unreadable send, and the
broadcast sender's Telegram side in memory."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bot.services.broadcast_sender import Progress, Result
from bot.services.container import Backend, Services
from sandbox.gateway import GatewaySandbox


async def link(services: Services, gateway: GatewaySandbox, telegram_id: int, vms_id: str) -> str:
    """Links `telegram_id` to the demo member `vms_id` with the code the gateway delivered;
    returns the link id. The volunteer writes first, as on Telegram (every update records
    its sender before a handler runs)."""
    await services.users.seen(telegram_id, "ko")
    sent = await services.links.request_code(telegram_id, vms_id)
    code = await gateway.delivered_code(vms_id)
    assert code is not None
    await services.links.confirm(telegram_id, sent.request_id, code)
    current = await services.links.current(telegram_id)
    assert current is not None
    return current.link_id


def without_time_zone(body: dict[str, Any]) -> dict[str, Any]:
    """A 2xx the client cannot read: `created_at` without its offset (the contract forbids).
    With `gateway.rewrite("createTransmission", …)`: a send whose outcome is unknown."""
    return {**body, "created_at": body["created_at"][:19]}


class Courier:
    """The broadcast sender's Telegram side, in memory: every send recorded, answered
    `answers[chat_id]` in turn (then "sent"); progress and reports kept for the test."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.answers: dict[int, list[Result]] = {}
        self.progress: list[Progress] = []
        self.reports: list[tuple[int, Progress]] = []
        self.opened = self.closed = 0
        # Called before each send is answered (a test's way to act mid-broadcast).
        self.before_send: Callable[[int], Awaitable[None]] | None = None

    async def open(self) -> None:
        self.opened += 1

    async def close(self) -> None:
        self.closed += 1

    async def send(self, chat_id: int, text: str) -> Result:
        if self.before_send is not None:
            await self.before_send(chat_id)
        self.sent.append((chat_id, text))
        queued = self.answers.get(chat_id)
        return queued.pop(0) if queued else Result("sent")

    async def show_progress(
        self, chat_id: int, message_id: int | None, progress: Progress
    ) -> int | None:
        self.progress.append(progress)
        return message_id if message_id is not None else 500 + progress.broadcast_id

    async def report(self, chat_id: int, progress: Progress) -> None:
        self.reports.append((chat_id, progress))

    def to(self, chat_id: int) -> list[str]:
        return [text for chat, text in self.sent if chat == chat_id]


class VirtualTime:
    """The sender's pacing clock: seconds pass only when it sleeps, each sleep recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def attach(backend: Backend) -> tuple[Courier, VirtualTime]:
    """The sender with an in-memory courier, paced on virtual time at the settings' rate."""
    courier, time = Courier(), VirtualTime()
    backend.sender.attach(courier)
    backend.sender.pace(backend.sender.rate, now=time.time, sleep=time.sleep)
    return courier, time


async def run_broadcast(backend: Backend, broadcast_id: int) -> None:
    """What the poller does with the broadcast's due item, then waits for the run's end."""
    await backend.sender.run_due(str(broadcast_id), {"broadcast_id": broadcast_id})
    await asyncio.wait_for(backend.sender.wait(broadcast_id), 10)
