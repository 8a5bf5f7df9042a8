"""Small Telegram helpers shared by handlers."""

from __future__ import annotations

import hashlib
import json
from html.parser import HTMLParser

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.i18n import t


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


async def reply(update: Update, context: BotContext, key: str, **values: object) -> None:
    """Answers the user's message with one catalog text in their language."""
    message = update.effective_message
    assert message is not None, "reply() answers messages; buttons edit or answer instead"
    await message.reply_text(t(context.lang, key, **values))


def plain_text(html: str) -> str:
    """What Telegram will display for this HTML, without the formatting."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def shows_already(message: Message, html: str, markup: InlineKeyboardMarkup | None) -> bool:
    """True when editing the message to this content would change nothing."""
    return message.text == plain_text(html) and message.reply_markup == markup


def digest(html: str, markup: InlineKeyboardMarkup | None) -> str:
    """A short fingerprint of what a message shows: its text and its buttons."""
    buttons = json.dumps(markup.to_dict() if markup else None, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{html}\x00{buttons}".encode()).hexdigest()[:16]


def remember(context: BotContext, chat_id: int, message_id: int, shown: str) -> None:
    """Notes what the bot just rendered on a message (a digest), for edit_in_place."""
    context.bot_data.rendered.put(chat_id, message_id, shown)


async def edit_in_place(
    context: BotContext,
    query: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Edits the button's message unless it already shows exactly this.

    "Already" is judged by what this process last rendered there, not by the copy of the
    message the press came with: a double tap or a press on an old copy carries the content
    from before the first edit, and re-sending the same edit is refused by Telegram with
    400 "message is not modified".
    """
    message = query.message
    shown = digest(text, markup)
    if isinstance(message, Message):
        last = context.bot_data.rendered.get(message.chat.id, message.message_id)
        if last == shown or (last is None and shows_already(message, text, markup)):
            return
    await edit_and_remember(context, query, text, markup, shown)


async def edit_and_remember(
    context: BotContext,
    query: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None,
    shown: str,
) -> None:
    """Edits the pressed message and remembers its digest; "not modified" is not an error.

    Telegram refuses an identical edit; that happens when another copy of the message (or a
    restart's lost memory) already shows this content, which is what was wanted.
    """
    message = query.message
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "message is not modified" not in exc.message.lower():
            raise
    if isinstance(message, Message):
        remember(context, message.chat.id, message.message_id, shown)
