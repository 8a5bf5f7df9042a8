"""Builds the one Application that production, the console demo, tests and benchmarks all run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import Application, Defaults

from bot.background import RetryPolicy
from bot.context import CONTEXT_TYPES
from bot.gateway import GatewayEndpoint, configured_endpoint
from bot.processor import PerUserUpdateProcessor
from bot.rate_limit import BotBudget, SharedBudgetLimiter
from bot.services.container import Backend
from bot.settings import Settings
from bot.trial import TrialNotice
from core.clock import Clock, SystemClock
from handlers import broadcast_run, guide_mode, help_requests, register, remind, send, trial
from linkage.client import GatewayClient
from linkage.none import NoGateway
from store.db import Database

BotApplication = Application[Any, Any, Any, Any, Any, Any]
BOT_API_CONNECTIONS = 8
BOT_API_POOL_WAIT = 30.0  # seconds
# /send results may take hours; keep polling through a long gateway outage (about a day).
_SEND_RETRIES = RetryPolicy(max_attempts=30, base=timedelta(seconds=30), cap=timedelta(hours=1))
_QUESTION_RETRIES = RetryPolicy(max_attempts=40, base=timedelta(minutes=1), cap=timedelta(hours=2))


async def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rate_limit: bool = True,
    gateway: GatewayEndpoint | None = None,
) -> BotApplication:
    """Opens the store and returns the fully wired, not yet started, Application.

    `gateway` is where the embedded sandbox answers (sandbox.embedded); without it the
    settings decide: a URL is a real gateway, none is guide mode.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the application")
    endpoint = gateway or configured_endpoint(settings)
    clock = clock or SystemClock()
    db = await Database.open(settings.database_path, clock=clock)
    port: GatewayClient = (
        NoGateway()
        if endpoint is None
        else GatewayClient(endpoint.url, endpoint.api_key.get_secret_value())
    )
    backend = Backend.create(
        settings, clock, db, port, gateway_id=None if endpoint is None else endpoint.identity
    )
    try:
        return _wire(settings, backend, rate_limit, endpoint)
    except BaseException:
        # The store's worker thread would otherwise keep the process alive after the error.
        await backend.close()
        raise


def _wire(
    settings: Settings, backend: Backend, rate_limit: bool, endpoint: GatewayEndpoint | None
) -> BotApplication:
    assert settings.telegram_bot_token is not None
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{settings.bot_api_root}/bot")
        .base_file_url(f"{settings.bot_api_root}/file/bot")
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(PerUserUpdateProcessor())
        # httpcore checks every idle pooled connection (a getpeername each) before each request,
        # so a pool grown to dozens of connections by a burst made every later call pay for all
        # of them (bench/cpu_per_update.py: +1.2 ms CPU per update). Telegram takes ~30
        # messages/s; a few connections carry that, and a request waits for a free one instead
        # of failing after PTB's default 1 s.
        .connection_pool_size(BOT_API_CONNECTIONS)
        .pool_timeout(BOT_API_POOL_WAIT)
        # Later work is due work in the store, run by backend.poller on the injectable clock;
        # PTB's JobQueue (an APScheduler in memory) would only cost memory and wake-ups.
        .job_queue(None)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
    )
    # One budget for every message the bot sends, replies and broadcasts alike (None: the
    # limiter is off, as for the bench's and some tests' unthrottled runs).
    budget = BotBudget() if rate_limit else None
    limiter: Any = None
    if budget is not None:
        # Telegram allows about 30 messages a second per bot, broadcasts included: replies and
        # the broadcast sender (which paces itself outside this limiter) share one budget of
        # 30/s (bot/rate_limit.py). Retry politely after a 429.
        limiter = SharedBudgetLimiter(budget, max_retries=3)
    if endpoint is not None and endpoint.announce_trial:
        limiter = TrialNotice(limiter, trial.line_for(backend.services))
    if limiter is not None:
        builder = builder.rate_limiter(limiter)
    app = builder.build()
    app.bot_data.services = backend.services
    app.bot_data.backend = backend
    register(app)
    # Background work is due work in the store, run by backend.poller (BotRuntime ticks it);
    # kinds that need the Bot (messages to users) register their handler here.
    given_up = send.give_up_handlers(app.bot, backend.services)
    for kind, handler in send.due_handlers(app.bot, backend.services).items():
        backend.poller.register(kind, handler, _SEND_RETRIES, on_give_up=given_up.get(kind))
    # Kept questions: tried again for about two days (a question expires after 14), then
    # they wait for EXPIRE, which tells the volunteer.
    for kind, handler in help_requests.due_handlers(app.bot, backend.services).items():
        backend.poller.register(kind, handler, _QUESTION_RETRIES)
    if backend.services.guide_mode is not None:
        for kind, handler in guide_mode.due_handlers(app.bot, backend.services).items():
            backend.poller.register(kind, handler)
    backend.services.reminders.on_skipped.append(remind.skip_notice(app.bot, backend.services))
    # Told at most once: a run killed mid-way is given up, never repeated (bot/background).
    backend.poller.register(
        trial.FAREWELL, trial.farewell_handler(app.bot, backend.services), RetryPolicy(1)
    )
    # The broadcast sender (registered on the poller by Backend.create) sends through a Bot of
    # its own, beside the application's rate limiter rather than in its queue.
    backend.sender.attach(
        broadcast_run.TelegramCourier(
            settings.telegram_bot_token.get_secret_value(),
            f"{settings.bot_api_root}/bot",
            backend.services,
            budget,
        )
    )
    return app
