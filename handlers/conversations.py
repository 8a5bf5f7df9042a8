"""One open conversation per user: starting one ends the others."""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.context import BotContext

Handlers = list[BaseHandler[Update, BotContext, Any]]


def persistent_conversation(
    name: str,
    entry_points: Handlers,
    states: dict[object, Handlers],
    fallbacks: Handlers,
    **options: Any,
) -> BaseHandler[Update, BotContext, object]:
    """A conversation stored across restarts, keyed by chat and user, re-enterable.

    Buttons are tracked per chat and user rather than per message on purpose: any message of
    the open conversation works (the guide checks its own message tokens). PTB warns about
    exactly that choice when a CallbackQueryHandler is involved; the warning is silenced here
    and only here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(
            entry_points=entry_points,
            states=states,  # type: ignore[arg-type]
            fallbacks=fallbacks,
            name=name,
            persistent=True,
            allow_reentry=True,
            **options,
        )


def end_conversations(
    app: Application[Any, Any, Any, Any, Any, Any], user_id: int, *, keep: str | None = None
) -> None:
    """Ends the user's open conversations, all or all but `keep`.

    Only one handler per group runs, so with two conversations open the first registered
    would swallow free text meant for the other (an ID typed for /link read as a settings
    hint). PTB has no public call to end a conversation for a given user; the persistent
    conversations' state dicts are the only place that state lives, and popping a key also
    makes the next persistence run delete the stored row.
    """
    for name, states in app._conversation_handler_conversations.items():
        if name == keep:
            continue
        for key in [k for k in states if user_id in k]:
            states.pop(key)
