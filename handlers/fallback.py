"""Answers when nothing else matched: unknown commands, stray text, old buttons.

/cancel never gets here: the flow router answers it, with or without an open flow.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import raw, t
from handlers import answers, link
from handlers.feature import Feature


async def unknown_command(update: Update, context: BotContext) -> None:
    """Names the unknown command and points to /help."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0][:40]
    await message.reply_text(t(context.lang, "fallback.unknown_command", command=command))


async def stray_message(update: Update, context: BotContext) -> None:
    """Free text, stickers, photos and the like: an answer to a plain question, or a menu."""
    if await link.stray_code(update, context):
        return
    await answers.reply_to_text(update, context)


async def stale_button(update: Update, context: BotContext) -> None:
    """Answers a button that no handler owns any more (old message, or forged data)."""
    query = update.callback_query
    assert query is not None
    await query.answer(raw(context.lang, "callback.stale"), show_alert=True)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The catch-alls, added last in group 0 (the answers' own buttons just before them)."""
    return [
        *answers.handlers(),
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE, stray_message),
        CallbackQueryHandler(stale_button),
    ]


# Catch-alls: last in the root's list, so they only see what nothing above wanted.
FEATURE = Feature("fallback", handlers=handlers)
