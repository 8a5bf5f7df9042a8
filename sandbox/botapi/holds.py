"""Holds: stop one Bot API call at a known point so a test can kill the bot exactly there.

A hold matches the first call of `method` to `chat_id` whose text (or caption) contains
`needle`. With `delivered=True` the call is carried out (the user has the message) and only
the answer is withheld: the bot is then exactly between Telegram's 200 and whatever it
records after it. With `delivered=False` the call waits before anything happens: the bot is
exactly between what it recorded before and the send. `reached` is set when the call gets
there; `release()` lets it go on. A hold matches once; a bot killed while held has its
request cancelled by the server (handler_cancellation), so nothing more happens for it.
`caller` names the token the held call came with: with several bot processes, each given
its own token of the one bot, a test knows which process is held (and so which to kill).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Hold:
    method: str
    chat_id: int
    needle: str
    delivered: bool
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    _go: asyncio.Event = field(default_factory=asyncio.Event)
    used: bool = False
    caller: str | None = None

    def release(self) -> None:
        self._go.set()

    def matches(self, method: str, raw: dict[str, Any], delivered: bool) -> bool:
        if self.used or self.delivered != delivered or method != self.method:
            return False
        if str(raw.get("chat_id")) != str(self.chat_id):
            return False
        text = raw.get("text", raw.get("caption", ""))
        return isinstance(text, str) and self.needle in text

    async def stop_here(self, caller: str | None = None) -> None:
        self.used = True
        self.caller = caller
        self.reached.set()
        await self._go.wait()


class Holds:
    """The holds of one sandbox, in the order they were made."""

    def __init__(self) -> None:
        self._holds: list[Hold] = []

    def add(self, method: str, chat_id: int, needle: str, *, delivered: bool) -> Hold:
        hold = Hold(method, chat_id, needle, delivered)
        self._holds.append(hold)
        return hold

    async def check(
        self, method: str, raw: dict[str, Any], *, delivered: bool, caller: str | None = None
    ) -> None:
        """Waits here if a hold is set for this call at this point."""
        for hold in self._holds:
            if hold.matches(method, raw, delivered):
                await hold.stop_here(caller)
                return

    def release_all(self) -> None:
        for hold in self._holds:
            hold.release()
