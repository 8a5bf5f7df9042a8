"""The console demo: sandbox Bot API server + the real bot + a terminal chat, in one process."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import TextIO

from pydantic import HttpUrl, SecretStr

from app import build_application
from bot.logging_setup import configure_logging
from bot.runtime import BotRuntime
from bot.settings import Settings
from core.clock import OffsetClock
from sandbox.botapi import BotApiSandbox
from sandbox.console import Console, WarningTally, run_console
from sandbox.console_texts import TEXTS
from sandbox.embedded import gateway_for

DEMO_TOKEN = "123456:SANDBOX-TOKEN-not-a-real-one"
DEMO_STAFF_ID = 9001
# The demo never touches the production database, even when DATABASE_PATH is set.
DEMO_DATABASE = Path("data/demo.sqlite3")
DEMO_GATEWAY = Path("data/demo-gateway.sqlite3")
# The sandbox Telegram's users, chats and messages: the bot's database remembers them (guide
# messages it edits, users it notifies), so they must outlive a restart as on Telegram.
DEMO_TELEGRAM = Path("data/demo-telegram.json")
# Logs go to a file: lines written to the terminal would land in the middle of the chat.
DEMO_LOG = Path("data/demo.log")


def demo_settings(settings: Settings, api_root: str) -> Settings:
    """The operator's settings with the sandbox's token, address and a demo database."""
    admins = settings.admin_telegram_ids or (DEMO_STAFF_ID,)
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(DEMO_TOKEN),
            "telegram_api_base_url": HttpUrl(api_root),
            "database_path": DEMO_DATABASE,
            "admin_telegram_ids": admins,
            # The demo always runs its own sandbox gateway, whatever the setting says: demo
            # users must never link real members.
            "vms_gateway_url": "sandbox",
            "vms_gateway_api_key": None,
        }
    )


async def run_demo(
    settings: Settings, *, source: TextIO = sys.stdin, out: TextIO = sys.stdout, lang: str = "ko"
) -> int:
    """Runs until :quit, end of input, Ctrl-C or SIGTERM; returns the exit status."""
    with _log_file(DEMO_LOG) as log_file:
        tally = WarningTally()
        configure_logging(settings.log_level, [DEMO_TOKEN], stream=log_file)
        logging.getLogger().addHandler(tally)
        logging.captureWarnings(True)  # library warnings too: none may land in the chat
        try:
            return await _run(settings, source, out, lang, tally)
        finally:
            logging.getLogger().removeHandler(tally)
            # Nothing may write to the file once it is closed (logging's shutdown flushes).
            logging.getLogger().handlers.clear()


async def _run(
    settings: Settings, source: TextIO, out: TextIO, lang: str, tally: WarningTally
) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    clock = OffsetClock()  # shared, so ":clock 25" moves the bot and the gateway together
    async with (
        BotApiSandbox(
            tokens=[DEMO_TOKEN], per_bot_per_second=30, state_path=DEMO_TELEGRAM
        ) as sandbox,
        # No trial line on every message: the console itself says it is a demo (its banner,
        # "📱 (모의 발송)", the prompt), nobody real reads it, and it shows staff what volunteers
        # will see on a real gateway.
        gateway_for(DEMO_GATEWAY, clock, out, announce_trial=False) as (endpoint, gateway),
    ):
        demo = demo_settings(settings, sandbox.base_url)
        app = await build_application(demo, clock=clock, gateway=endpoint)
        runtime = BotRuntime(app, poll_timeout=1.0)
        try:
            await runtime.start()
            staff_id = demo.admin_telegram_ids[0]
            console = Console(
                sandbox,
                runtime,
                out,
                gateway,
                lang=lang,
                staff_id=staff_id,
                log_path=DEMO_LOG,
                log_tally=tally,
            )
            await run_console(console, stop, source)
        finally:
            await runtime.stop()
    out.write(f"{_stopped_line(lang)}\n")
    logging.getLogger(__name__).debug("demo stopped")
    return 0


def _log_file(path: Path) -> TextIO:
    """Opened before anything runs, line-buffered so a crash loses no line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a", encoding="utf-8", buffering=1)


def _stopped_line(lang: str) -> str:
    return TEXTS[lang]["stopped"].format(path=DEMO_DATABASE)
