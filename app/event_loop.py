"""The event loop `run_bot.py real` runs on: uvloop where it is installed, else asyncio's own.

uvloop implements asyncio's loop on libuv, in compiled code. The bot's hot path is loop work
more than Python: each update wakes the loop for the webhook POST, each trip to aiosqlite's
thread and back, each Bot API call. On uvloop the bot process used about 10 % less CPU per
update (bench/webhook_cpu.py). Everything the bot uses (PTB, aiohttp, asyncpg, aiosqlite,
httpx) runs on it unchanged; tests run on asyncio's loop, and the subprocess tests of
`run_bot.py real` on this one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(main), on uvloop when it is installed."""
    try:
        import uvloop
    except ImportError:  # Windows, or installed without it
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)
