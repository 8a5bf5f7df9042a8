"""A typed callback context, so handlers write `context.services`, not `context.bot_data["db"]`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.i18n import Lang

if TYPE_CHECKING:
    from bot.services.container import Services


class BotData:
    """Process-wide state; never persisted (it holds live objects, not data)."""

    def __init__(self) -> None:
        self.services: Services | None = None


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

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are attached when the runtime starts")
        return services


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
