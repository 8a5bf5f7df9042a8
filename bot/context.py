"""A typed callback context, so handlers write `context.services`, not `context.bot_data["db"]`."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.i18n import Lang

if TYPE_CHECKING:
    from bot.rate_limit import BotBudget
    from bot.services.container import Backend, Services
    from bot.services.users import Visit


# The Application every way of running the bot is built as (app/build.py).
BotApplication = Application[Any, Any, Any, Any, Any, Any]


class BotData:
    """Process-wide state; never persisted (it holds live objects, not data)."""

    def __init__(self) -> None:
        self.services: Services | None = None
        # The store, gateway client and poller: for the composition root (app/) and tests,
        # which reach it as application.bot_data.backend; handlers use `context.services` only.
        self.backend: Backend | None = None
        # The features' start-up work (menus, standing due items…), given by the composition
        # root; BotRuntime runs it once per start, before the first update is answered.
        self.start_up: Callable[[], Awaitable[None]] | None = None
        # The bot-wide message budget (None: unthrottled), for /metrics' count of 429s.
        self.budget: BotBudget | None = None
        # The staff desk (WEB_URL set): adds its routes to an aiohttp app (the webhook's, or
        # one of its own on `desk_listen` when polling). None: no desk.
        self.desk: Callable[[web.Application], None] | None = None
        self.desk_listen: str | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Context with the services and the language of the user behind the update."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        # Set by the user-tracking guard before any feature handler runs.
        self.lang: Lang = "ko"
        # What the store said about the sender as this update started (the user-tracking
        # guard, private chats): the guards and the router read it instead of asking again.
        # One update's only: PTB makes a context per update.
        self.visit: Visit | None = None

    def visit_of(self, telegram_id: int) -> Visit | None:
        """The visit read at this update's start, if it is this user's."""
        visit = self.visit
        return visit if visit is not None and visit.user.telegram_id == telegram_id else None

    def flow_opened(self) -> None:
        """This update opened a flow: the visit no longer says "none open"."""
        if self.visit is not None and not self.visit.flow_open:
            self.visit = dataclasses.replace(self.visit, flow_open=True)

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are attached when the runtime starts")
        return services


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
