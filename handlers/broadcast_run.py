"""The Telegram side of sending a broadcast: the courier, the progress message, /broadcast cancel.

The courier has its own `telegram.Bot` with its own small connection pool and no rate limiter:
the application's AIORateLimiter queues every call in one line, and a broadcast in that line
would hold volunteers' replies up behind it. The sender paces itself below Telegram's limit
(bot/services/broadcast_sender.py), so replies keep the rest of the 30/s and the application's
own connections; a 429 reaches the sender, which pauses exactly as long as told.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
from datetime import timedelta
from typing import Any

import aiohttp
from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import BotContext
from bot.i18n import Html, t
from bot.services.broadcast_sender import IN_FLIGHT, Progress, Result
from bot.services.broadcasts import RUN_BROADCAST
from bot.services.container import Services
from core.bot_api_request import AiohttpRequest
from core.tls import client_context
from handlers.broadcast_resend import offer_markup
from handlers.feature import Due, Feature
from handlers.staff_guard import require_staff

logger = logging.getLogger(__name__)

# A broadcast number as staff type it: ASCII digits (str.isdigit() also takes '²', which
# int() refuses), and short enough for SQLite's INTEGER; anything else gets the usage line.
_NUMBER = re.compile(r"[0-9]{1,9}")

# Telegram's descriptions are the only way it tells these apart (PTB has no subclasses).
_GONE = ("chat not found", "user is deactivated")
_NOT_MODIFIED = "message is not modified"
# Failures before a request left this machine (no connection made, none free in time):
# Telegram cannot have seen it (core/bot_api_request.py keeps them as the cause).
_NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)


def classify(exc: TelegramError) -> Result:
    """A failed Bot API call as the sender sees it (see Result)."""
    text = exc.message.lower()
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        return Result("flood", retry_after=seconds)
    if isinstance(exc, Forbidden):
        return Result("gone" if "user is deactivated" in text else "blocked")
    if isinstance(exc, BadRequest):
        if any(reason in text for reason in _GONE):
            return Result("gone")
        return Result("rejected", exc.message)
    if isinstance(exc, NetworkError):  # TimedOut is one too
        cause = exc.__cause__
        if isinstance(cause, _NOT_SENT):
            return Result("transient", type(cause).__name__)
        if cause is None and type(exc) is NetworkError:
            # An HTTP 5xx answer: Telegram did not take the message.
            return Result("transient", "server error")
        return Result("unknown", type(exc).__name__)
    return Result("rejected", exc.message)


class TelegramCourier:
    """Sends through a Bot of its own, opened for the length of one run."""

    def __init__(
        self,
        token: str,
        base_url: str,
        services: Services,
        budget: contextlib.AbstractAsyncContextManager[None] | None = None,
    ) -> None:
        self._token = token
        # The bot-wide 30/s shared with the application's limiter (bot.rate_limit.BotBudget,
        # given by the composition root).
        self._budget: contextlib.AbstractAsyncContextManager[None] = (
            budget if budget is not None else contextlib.nullcontext()
        )
        self._base_url = base_url
        self._services = services
        self._bot: Bot | None = None
        self._shown: dict[int, str] = {}  # progress message id → its text, to skip no-op edits

    async def open(self) -> None:
        request = AiohttpRequest(IN_FLIGHT + 1, pool_timeout=30.0, ssl_context=client_context())
        bot = Bot(self._token, base_url=self._base_url, request=request)
        await bot.initialize()
        self._bot = bot

    async def close(self) -> None:
        bot, self._bot = self._bot, None
        if bot is not None:
            await bot.shutdown()

    def _open_bot(self) -> Bot:
        if self._bot is None:
            raise RuntimeError("the courier is not open")
        return self._bot

    async def send(self, chat_id: int, text: str) -> Result:
        try:
            async with self._budget:
                await self._open_bot().send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            return classify(exc)
        return Result("sent")

    async def show_progress(
        self, chat_id: int, message_id: int | None, progress: Progress
    ) -> int | None:
        """Posts the progress message, or edits it; a failure only skips this update."""
        text = progress_text(await self._lang(chat_id), progress)
        bot = self._open_bot()
        try:
            async with self._budget:
                return await self._show(bot, chat_id, message_id, text)
        except TelegramError as exc:
            if _NOT_MODIFIED not in exc.message.lower():
                logger.warning("broadcast progress not shown: %s", type(exc).__name__)
        return message_id

    async def _show(self, bot: Bot, chat_id: int, message_id: int | None, text: str) -> int | None:
        if message_id is None:
            message = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
            self._shown[message.message_id] = text
            return message.message_id
        if self._shown.get(message_id) != text:
            await bot.edit_message_text(text, chat_id, message_id, parse_mode=ParseMode.HTML)
            self._shown[message_id] = text
        return message_id

    async def report(self, chat_id: int, progress: Progress) -> None:
        lang = await self._lang(chat_id)
        text = report_text(lang, progress)
        # Unknown deliveries may never have arrived: staff may resend to exactly those.
        markup = offer_markup(lang, progress.broadcast_id, progress.tally.unknown)
        try:
            async with self._budget:
                await self._open_bot().send_message(
                    chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
                )
        except TelegramError as exc:
            logger.warning("broadcast report not sent: %s", type(exc).__name__)

    async def _lang(self, chat_id: int) -> str:
        return await self._services.users.language_of(chat_id, None)


def _eta(lang: str, seconds: int) -> Html:
    if seconds >= 60:
        return t(lang, "broadcast_run.eta_minutes", n=math.ceil(seconds / 60))
    return t(lang, "broadcast_run.eta_seconds", n=max(1, seconds))


def progress_text(lang: str, progress: Progress) -> Html:
    tally = progress.tally
    counts = {
        "id": progress.broadcast_id,
        "sent": tally.sent,
        "failed": tally.failed,
        "blocked": tally.blocked + tally.gone,
        "remaining": tally.remaining,
    }
    if progress.ending == "running":
        return t(lang, "broadcast_run.progress", eta=_eta(lang, progress.eta_seconds), **counts)
    key = "progress_done" if progress.ending == "done" else "progress_stopped"
    return t(lang, f"broadcast_run.{key}", **counts)


def report_text(lang: str, progress: Progress) -> Html:
    tally = progress.tally
    head = {
        "done": t(lang, "broadcast_run.report_done", id=progress.broadcast_id),
        "cancelled": t(
            lang, "broadcast_run.report_cancelled", id=progress.broadcast_id, queued=tally.queued
        ),
        "aborted": t(
            lang,
            "broadcast_run.report_aborted",
            id=progress.broadcast_id,
            reason=progress.reason or "",
        ),
    }.get(progress.ending, "")
    lines = [
        head,
        t(
            lang,
            "broadcast_run.report_lines",
            sent=tally.sent,
            failed=tally.failed,
            blocked=tally.blocked,
            gone=tally.gone,
        ),
    ]
    if tally.unknown:
        lines.append(t(lang, "broadcast_run.report_unknown", n=tally.unknown))
    return Html("\n\n".join(lines))


async def cancel_command(update: Update, context: BotContext) -> None:
    """Stops the newest (or the named) broadcast: "/broadcast cancel [number]"."""
    message = update.effective_message
    if message is None or not await require_staff(update, context):
        return
    args = (context.args or [])[1:]
    broadcast_id: int | None = None
    if args:
        if _NUMBER.fullmatch(args[0]) is None:
            await message.reply_text(t(context.lang, "broadcast_run.cancel_usage"))
            return
        broadcast_id = int(args[0])
    by = update.effective_user.id if update.effective_user else None
    cancelled = await context.services.broadcasts.cancel(broadcast_id, by=by)
    if cancelled is None:
        await message.reply_text(t(context.lang, "broadcast_run.nothing_to_cancel"))
        return
    await message.reply_text(
        t(
            context.lang,
            "broadcast_run.cancelled",
            id=cancelled.broadcast_id,
            sent=cancelled.tally.sent,
            queued=cancelled.tally.queued,
        )
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """ "/broadcast cancel" only; every other /broadcast is the composer's."""
    # Any case, as the composer's filter (handlers/broadcast.py CANCEL_ARGUMENT) leaves it:
    # "/broadcast Cancel" must stop the sending, not fall between the two handlers. New
    # messages only: an edit of an old "/broadcast cancel" must not stop a later broadcast.
    cancel = filters.Regex(re.compile(r"^/broadcast(@\w+)?\s+cancel\b", re.IGNORECASE))
    return [
        CommandHandler("broadcast", cancel_command, filters=filters.UpdateType.MESSAGE & cancel)
    ]


async def _run(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await services.broadcast_sender.run_due(key, payload)


async def _resume_after_a_crash(bot: Bot, services: Services) -> None:
    await services.broadcast_sender.process_started()


FEATURE = Feature(
    "broadcast sending",
    # Only "/broadcast cancel"; the composer's /broadcast handlers must not take it first.
    handlers=handlers,
    # A run only starts the sending task and renews its heartbeat, so the default retry policy
    # is about the store failing, not about Telegram. It sends through the courier above,
    # which the composition root attaches (it holds the token and the bot-wide budget).
    due_work={RUN_BROADCAST: Due(_run)},
    # Each process: after a crash on SQLite, the dead run's lease is let go at once.
    on_process_start=(_resume_after_a_crash,),
)
