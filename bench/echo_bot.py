"""The baseline bot for bench/cpu_per_update.py: bare PTB, one handler, the same reply text.

Run as its own process: `python -m bench.echo_bot TOKEN API_ROOT REPLY_FILE [--rate-limiter]`. It
logs like the PTB examples do (INFO, httpx quieted), answers /help and /start, and stops on
SIGTERM. With --rate-limiter it uses PTB's AIORateLimiter as our bot does, so a burst above
Telegram's ~30 messages/s is held to the same pace for both.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, CommandHandler, ContextTypes, Defaults

os.environ.setdefault("PTB_TIMEDELTA", "true")


def main(token: str, api_root: str, reply_file: str, rate_limiter: bool = False) -> None:
    """Polls the given Bot API server until SIGTERM, replying with the file's text."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    text = Path(reply_file).read_text(encoding="utf-8")

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(text)

    builder = (
        Application.builder()
        .token(token)
        .base_url(f"{api_root}/bot")
        .defaults(Defaults(parse_mode=ParseMode.HTML))
    )
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    app = builder.build()
    app.add_handler(CommandHandler(["start", "help"], reply))
    app.run_polling(poll_interval=0.0, timeout=10, allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main(*sys.argv[1:4], rate_limiter="--rate-limiter" in sys.argv[4:])
