"""Builds the one Application that production, the console demo, tests and benchmarks all run.

`build_application` is the composition root's one function: the store, the gateway port, the
services, the features (app/features.py) with their handlers, due work and start-up work, the
Bot API client and its rate limiter. Every way of running the bot starts here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from aiohttp import web
from telegram.constants import ParseMode
from telegram.ext import Application, Defaults

from app.features import Wiring
from bot.context import CONTEXT_TYPES, BotApplication
from bot.gateway import GatewayEndpoint, configured_endpoint
from bot.i18n import raw
from bot.processor import PerUserUpdateProcessor
from bot.rate_limit import BotBudget, SharedBotBudget, SharedBudgetLimiter
from bot.services.container import Backend
from bot.services.help_requests import HelpRequest
from bot.settings import Settings
from bot.web.miniapp.api import Desk
from bot.web.miniapp.server import add_desk
from core.bot_api_request import AiohttpRequest
from core.clock import Clock, SystemClock
from core.tls import client_context
from handlers import broadcast_run, trial
from handlers.desk_wording import DeskWording
from handlers.help_requests import Relayed, relay_answer
from handlers.press_answers import PressAnswers
from handlers.trial_notice import TrialNotice
from linkage.client import GatewayClient
from linkage.none import NoGateway
from store.budget import BudgetRepository
from store.db import Database

__all__ = ["BotApplication", "build_application"]

BOT_API_CONNECTIONS = 8
BOT_API_POOL_WAIT = 30.0  # seconds


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
    db = await Database.open(settings.postgres_url or settings.database_path, clock=clock)
    port: GatewayClient = (
        NoGateway()
        if endpoint is None
        else GatewayClient(endpoint.url, endpoint.api_key.get_secret_value())
    )
    backend = Backend.create(
        settings, clock, db, port, gateway_id=None if endpoint is None else endpoint.identity
    )
    try:
        # Before any start-up work of this deployment: what began later was done for us too.
        await backend.start_up.opened()
        return _wire(settings, backend, rate_limit, endpoint)
    except BaseException:
        # The store's worker thread would otherwise keep the process alive after the error.
        await backend.close()
        raise


def desk_routes(
    app: BotApplication, settings: Settings, backend: Backend
) -> Callable[[web.Application], None]:
    """The staff desk on an aiohttp app: the services, the chat's answer path and wording."""
    assert settings.telegram_bot_token is not None
    services = backend.services

    async def relay(
        request: HelpRequest, staff_id: int, staff_name: str | None, text: str
    ) -> Relayed:
        return await relay_answer(app.bot, services, request, staff_id, staff_name, text)

    desk = Desk(
        services=services,
        token=settings.telegram_bot_token.get_secret_value(),
        relay=relay,
        wording=DeskWording(),
        text=raw,
    )
    return functools.partial(add_desk, desk=desk, path=settings.web_path)


def _budget(backend: Backend) -> BotBudget:
    """SQLite is one process, whose own bucket is the whole budget; on PostgreSQL any number
    of workers may share the database, and then the budget is a row in it."""
    if backend.db.dialect == "postgres":
        return SharedBotBudget(BudgetRepository(backend.db))
    return BotBudget()


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
        # A few keep-alive connections carry Telegram's ~30 messages/s; a request waits for a
        # free one instead of failing after PTB's default 1 s. aiohttp's client, not PTB's
        # default httpx: a third of the CPU per call (core/bot_api_request.py).
        .request(
            AiohttpRequest(
                BOT_API_CONNECTIONS, pool_timeout=BOT_API_POOL_WAIT, ssl_context=client_context()
            )
        )
        # One connection for long polling, as PTB's default, with the shared TLS context.
        .get_updates_request(AiohttpRequest(1, ssl_context=client_context()))
        # Later work is due work in the store, run by backend.poller on the injectable clock;
        # PTB's JobQueue (an APScheduler in memory) would only cost memory and wake-ups.
        .job_queue(None)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
    )
    # One budget for every message the bot sends, replies and broadcasts alike (None: the
    # limiter is off, as for the bench's and some tests' unthrottled runs).
    budget = _budget(backend) if rate_limit else None
    limiter: Any = None
    if budget is not None:
        # Telegram allows about 30 messages a second per bot, broadcasts included: replies and
        # the broadcast sender (which paces itself outside this limiter) share one budget of
        # 30/s (bot/rate_limit.py). Retry politely after a 429.
        limiter = SharedBudgetLimiter(budget, max_retries=3)
    if endpoint is not None and endpoint.announce_trial:
        limiter = TrialNotice(limiter, trial.line_for(backend.services))
    # Outermost: a press answered by a worker that died before recording it is run again by
    # another, whose answer Telegram refuses; the rest of the press must still happen.
    builder = builder.rate_limiter(PressAnswers(limiter))
    app = builder.build()
    app.bot_data.services = backend.services
    app.bot_data.backend = backend
    app.bot_data.budget = budget
    # Guide mode is decided here, once: with no gateway, the features that need one are off
    # and guide mode's are on (handlers/feature.py: `when`, `replaces_flows`).
    guide_mode = endpoint is None
    assert guide_mode == (backend.services.guide_mode is not None)
    wiring = Wiring.choose(guide_mode=guide_mode)
    wiring.add_handlers(app)
    # Background work is due work in the store, run by backend.poller (BotRuntime ticks it);
    # every kind any feature declares is registered here, and nowhere else.
    wiring.register_due_work(backend.poller, app.bot, backend.services)
    if settings.web_url is not None:
        app.bot_data.desk = desk_routes(app, settings, backend)
        app.bot_data.desk_listen = settings.web_listen
    # Run once per start by BotRuntime, before the first update is answered; the part that
    # is the deployment's, once for workers starting together (bot/services/start_up.py).
    app.bot_data.start_up = functools.partial(
        wiring.start_up, app.bot, backend.services, backend.start_up
    )
    # The broadcast sender (its due work declared by handlers/broadcast_run.py) sends through
    # a Bot of its own, beside the application's rate limiter rather than in its queue.
    backend.sender.attach(
        broadcast_run.TelegramCourier(
            settings.telegram_bot_token.get_secret_value(),
            f"{settings.bot_api_root}/bot",
            backend.services,
            budget,
        )
    )
    return app
