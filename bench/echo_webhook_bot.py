"""The baseline bot for bench/webhook_cpu.py: bare PTB in webhook mode, one handler, the same
reply text as ours.

PTB's own webhook server needs tornado (the `webhooks` extra, not installed here), so this is
PTB's custom-webhook example on aiohttp: the POST checks the secret, decodes the update, puts
it on `application.update_queue` and answers 200 (before handling it, as PTB does). Run as its
own process: `python -m bench.echo_webhook_bot TOKEN API_ROOT REPLY_FILE PORT PATH SECRET`; it
logs like the PTB examples (INFO, httpx quieted), answers /help and /start, and stops on
SIGTERM or SIGINT. With a 7th argument `same-footing` it runs as ours does (uvloop, the Bot
API over core/bot_api_request.py's aiohttp client): the baseline for our own machinery alone.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
import sys
from pathlib import Path

from aiohttp import web
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, ContextTypes, Defaults

from app import event_loop
from core.bot_api_request import AiohttpRequest


async def main(
    token: str, api_root: str, text: str, port: int, path: str, secret: str, same_footing: bool
) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(text)

    builder = (
        Application.builder()
        .token(token)
        .base_url(f"{api_root}/bot")
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .updater(None)
    )
    if same_footing:
        builder = builder.request(AiohttpRequest(8))
    application = builder.build()
    application.add_handler(CommandHandler(["start", "help"], reply))
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, expected):
            return web.Response(status=401)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return web.Response()

    async def healthz(request: web.Request) -> web.Response:
        return web.Response()

    web_app = web.Application()
    web_app.router.add_post(path, receive)
    web_app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(web_app, access_log=None)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopped.set)
    async with application:
        await application.start()
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await stopped.wait()
        await runner.cleanup()
        await application.stop()


if __name__ == "__main__":
    token, api_root, reply_file, port, path, secret = sys.argv[1:7]
    same = sys.argv[7:] == ["same-footing"]
    text = Path(reply_file).read_text(encoding="utf-8")
    running = main(token, api_root, text, int(port), path, secret, same)
    if same:
        event_loop.run(running)
    else:
        asyncio.run(running)
