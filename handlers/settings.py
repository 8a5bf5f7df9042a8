"""/settings: a persistent conversation for language and reminders."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.i18n import raw, t
from handlers import keyboards
from handlers.common import edit_in_place, from_button, reply
from handlers.conversations import end_conversations, persistent_conversation

MENU = "menu"


def _menu_text(context: BotContext, reminders_on: bool) -> str:
    return t(
        context.lang,
        "settings.menu",
        language=raw(context.lang, f"lang.name.{context.lang}"),
        reminders=raw(
            context.lang, "settings.reminders.on" if reminders_on else "settings.reminders.off"
        ),
    )


async def _reminders_on(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    assert user is not None
    record = await context.services.users.get(user.id)
    return record.reminders if record is not None else True


async def open_settings(update: Update, context: BotContext) -> str:
    """Shows the settings menu as a new message."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    end_conversations(context.application, user.id, keep="settings")
    on = await _reminders_on(update, context)
    await context.bot.send_message(
        chat.id, _menu_text(context, on), reply_markup=keyboards.settings_menu(context.lang, on)
    )
    return MENU


async def settings_action(update: Update, context: BotContext) -> str | int:
    """Applies one settings button: reminders on/off, language picker, back, close."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    action = query.data.split(":", 1)[1]
    if action == "close":
        await query.answer()
        await edit_in_place(query, t(context.lang, "settings.closed"))
        return ConversationHandler.END
    if action == "lang":
        await query.answer()
        await edit_in_place(
            query,
            t(context.lang, "lang.prompt"),
            keyboards.language_picker(context.lang, back_to="set:back"),
        )
        return MENU
    on = await _reminders_on(update, context)
    if action in ("rem_on", "rem_off"):
        wanted = action == "rem_on"
        if wanted != on:
            await context.services.users.set_reminders(user.id, wanted)
            on = wanted
        await query.answer(
            raw(context.lang, "settings.reminders_now_on" if on else "settings.reminders_now_off")
        )
    else:
        await query.answer()
    await edit_in_place(query, _menu_text(context, on), keyboards.settings_menu(context.lang, on))
    return MENU


async def language_in_settings(update: Update, context: BotContext) -> str:
    """Sets the language from inside settings and shows the menu again in it."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    context.lang = await context.services.users.choose_language(
        user.id, query.data.split(":", 1)[1]
    )
    await query.answer(raw(context.lang, "lang.set"))
    on = await _reminders_on(update, context)
    await edit_in_place(query, _menu_text(context, on), keyboards.settings_menu(context.lang, on))
    return MENU


async def use_the_buttons(update: Update, context: BotContext) -> str:
    """Reminds the user that settings change by buttons; the menu stays open."""
    await reply(update, context, "fallback.settings_text")
    return MENU


async def cancel(update: Update, context: BotContext) -> int:
    """Leaves settings."""
    await reply(update, context, "cancel.done")
    return ConversationHandler.END


def conversation() -> BaseHandler[Update, BotContext, object]:
    """The persistent settings conversation, for group 0 before the plain handlers."""
    return persistent_conversation(
        "settings",
        entry_points=[
            CommandHandler("settings", open_settings),
            CallbackQueryHandler(from_button(open_settings), pattern=r"^menu:settings$"),
        ],
        states={
            MENU: [
                CallbackQueryHandler(settings_action, pattern=keyboards.SETTINGS_PATTERN),
                CallbackQueryHandler(language_in_settings, pattern=keyboards.LANG_PATTERN),
                MessageHandler(filters.TEXT & ~filters.COMMAND, use_the_buttons),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancel)],
    )
