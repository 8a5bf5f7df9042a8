"""/lang: choose Korean or English."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import t
from handlers import keyboards, menu_buttons
from handlers.common import edit_in_place
from handlers.feature import Feature


async def show_language_picker(update: Update, context: BotContext) -> None:
    """Asks which language to use."""
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(
        chat.id,
        t(context.lang, "lang.prompt"),
        reply_markup=keyboards.language_picker(context.lang),
    )


async def choose_language(update: Update, context: BotContext) -> None:
    """Stores the chosen language and confirms in it."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    context.lang = await context.services.users.choose_language(
        user.id, query.data.split(":", 1)[1]
    )
    await query.answer()
    await edit_in_place(context, query, t(context.lang, "lang.set"))


def handlers() -> list[CommandHandler[BotContext, None] | CallbackQueryHandler[BotContext, None]]:
    """The language handlers, for group 0."""
    return [
        CommandHandler("lang", show_language_picker),
        CallbackQueryHandler(choose_language, pattern=menu_buttons.LANG_PATTERN),
    ]


FEATURE = Feature("language", handlers=handlers)
