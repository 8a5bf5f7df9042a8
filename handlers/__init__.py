"""Telegram in, Telegram out: every handler, registered in one place in a deliberate order."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, TypeHandler, filters

from handlers import errors, fallback, guards, guide, language, link, privacy, settings, start

# Groups run in ascending order; a guard that raises ApplicationHandlerStop ends the update.
GROUP_TRACK = -4  # who is writing, and in which language
GROUP_PRIVACY = -3  # resident registration numbers never get further than this
GROUP_PRIVATE_ONLY = -2  # groups get an invitation to a private chat, nothing personal
GROUP_FLOWS = -1  # a new command leaves whatever flow was open
GROUP_FEATURES = 0


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Adds every handler. Order matters!"""
    app.add_handler(TypeHandler(Update, guards.track_user), group=GROUP_TRACK)
    app.add_handler(
        MessageHandler(
            (filters.TEXT | filters.CAPTION) & filters.UpdateType.MESSAGES,
            guards.block_resident_numbers,
        ),
        group=GROUP_PRIVACY,
    )
    app.add_handler(TypeHandler(Update, guards.private_chat_only), group=GROUP_PRIVATE_ONLY)
    app.add_handler(
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, guards.commands_end_flows),
        group=GROUP_FLOWS,
    )

    # Conversations first: while one is open, its states outrank the plain commands. Only one
    # handler per group runs, so the conversation that needs free text (/link: the ID, the
    # code) comes before those that only answer free text with a hint.
    app.add_handler(link.conversation(), group=GROUP_FEATURES)
    app.add_handler(settings.conversation(), group=GROUP_FEATURES)
    # The consent guide: /howto, menu:howto and its g:<token>:... buttons. Before start's
    # handlers, so the menu button and free text during the guide reach it first.
    app.add_handler(guide.conversation(), group=GROUP_FEATURES)
    app.add_handlers(start.handlers(), group=GROUP_FEATURES)
    app.add_handlers(language.handlers(), group=GROUP_FEATURES)
    app.add_handlers(privacy.handlers(), group=GROUP_FEATURES)
    # Catch-alls last, so they only see what nothing above wanted.
    app.add_handlers(fallback.handlers(), group=GROUP_FEATURES)

    app.add_error_handler(errors.on_error)
