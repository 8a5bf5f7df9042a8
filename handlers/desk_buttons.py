"""The button under /broadcast, /remind and /stats that opens the staff desk at that page.

Only where Telegram would open it: WEB_URL set and HTTPS (settings.web_app_url), and a private
chat (Telegram refuses web_app buttons elsewhere). These commands are staff-only already, so a
volunteer never gets to see one.
"""

from __future__ import annotations

from typing import Literal

from telegram import InlineKeyboardButton, Update, WebAppInfo
from telegram.constants import ChatType

from bot.context import BotContext
from bot.i18n import raw

# The page names the desk's tabs go by (static/app.js), opened by the URL's fragment.
Page = Literal["today", "broadcast", "reminders"]


def desk_rows(update: Update, context: BotContext, page: Page) -> list[list[InlineKeyboardButton]]:
    """One row with the desk's button, or none."""
    url = context.services.settings.web_app_url
    chat = update.effective_chat
    if url is None or chat is None or chat.type != ChatType.PRIVATE:
        return []
    address = url.split("#", 1)[0] + "#" + page
    text = raw(context.lang, f"desk.open.{page}")
    return [[InlineKeyboardButton(text, web_app=WebAppInfo(address))]]
