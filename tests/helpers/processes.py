"""Running run_bot.py as a real process: its environment, its output, its store."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from sandbox.botapi import BotApiSandbox

RUN_BOT = str(Path(__file__).resolve().parents[2] / "run_bot.py")


SETTING_NAMES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "VMS_GATEWAY_URL",
    "VMS_GATEWAY_API_KEY",
    "DATABASE_PATH",
    "DATABASE_URL",
    "ADMIN_TELEGRAM_IDS",
    "TIMEZONE",
    "BROADCAST_RATE",
    "LOG_LEVEL",
    "LINK_CODES_PER_HOUR",
    "CENTER_CONTACT",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_WORKERS",
    "WEBHOOK_LEASE_SECONDS",
    "BROADCAST_LEASE_SECONDS",
    "POLLING_PROBE_SECONDS",
)


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    # No 3-second listen for another poller at every start: tests/cli/test_polling_safety.py
    # turns it on where it is what is tested.
    env["POLLING_PROBE_SECONDS"] = "0"
    env.update(settings)
    return env


async def run(
    args: list[str], cwd: Path, env: dict[str, str], stdin: bytes = b"", timeout: float = 30
) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        RUN_BOT,
        *args,
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin), timeout)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def start_demo(cwd: Path, env: dict[str, str] | None = None) -> asyncio.subprocess.Process:
    """The console demo as a person starts it, with pipes for typing and reading."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        RUN_BOT,
        "demo",
        cwd=cwd,
        env=env if env is not None else clean_env(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def start_real(env: dict[str, str], cwd: Path, log: Path) -> asyncio.subprocess.Process:
    # Logs go to a file: an unread pipe could fill up and stall the bot.
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            RUN_BOT,
            "real",
            cwd=cwd,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=sink,
        )


async def says(sandbox: BotApiSandbox, chat_id: int, after: int, needle: str) -> int:
    """Waits for a bot message newer than `after` that contains `needle`; returns its id."""
    while True:
        message = await sandbox.wait_bot_message(chat_id, after_message_id=after, timeout=30)
        if needle in message.text:
            return message.message_id
        after = message.message_id


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


async def until(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    """Waits until `check()` is true: the bot is another process, so its store is the only
    thing to watch (no event crosses the process boundary); fails after `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            while not check():  # noqa: ASYNC110
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise AssertionError(f"the bot never got to: {what}") from None
