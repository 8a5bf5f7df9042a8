"""/start (with deep links), /help and the start menu."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import t
from bot.services.staff import INVITE_PAYLOAD_PREFIX
from handlers import keyboards, staff
from handlers.help_requests import ask_center_button
from handlers.language import show_language_picker
from handlers.status import status_command


async def start(update: Update, context: BotContext) -> None:
    """Greets the user with the start menu, or follows a deep link (t.me/<bot>?start=help)."""
    payload = context.args[0] if context.args else None
    follow = DEEP_LINKS.get(payload) if payload else None
    if payload and payload.startswith(INVITE_PAYLOAD_PREFIX):
        follow = staff.join  # t.me/<bot>?start=staff-<token>, from /staff invite
    if follow is not None:
        await follow(update, context)
        return
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    text: str = t(context.lang, "start.greeting", name=user.first_name)
    if payload is not None:
        text = t(context.lang, "start.deeplink_unknown") + "\n\n" + text
    await message.reply_text(text, reply_markup=keyboards.start_menu(context.lang))


async def help_command(update: Update, context: BotContext) -> None:
    """Explains what the bot does and lists its commands."""
    chat = update.effective_chat
    assert chat is not None
    markup = InlineKeyboardMarkup([[ask_center_button(context.lang)]])
    await context.bot.send_message(chat.id, t(context.lang, "help.body"), reply_markup=markup)


async def menu_button(update: Update, context: BotContext) -> None:
    """Routes a start-menu button to the feature it names."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    if query.data == "menu:help":
        await help_command(update, context)
    else:
        await show_language_picker(update, context)


# Deep-link payloads a center can print on a poster or send in a notice: t.me/<bot>?start=help.
# Payloads that enter a flow (link, howto) are the flows' own: handlers/flows.py routes them.
DEEP_LINKS = {
    "help": help_command,
    "lang": show_language_picker,
    "status": status_command,
}


def handlers() -> list[CommandHandler[BotContext, None] | CallbackQueryHandler[BotContext, None]]:
    """The start and help handlers, for group 0."""
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CallbackQueryHandler(menu_button, pattern=keyboards.MENU_PATTERN),
    ]
