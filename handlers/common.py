"""Small Telegram helpers shared by handlers."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from html.parser import HTMLParser
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.i18n import t

R = TypeVar("R")
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, R]]


def from_button(callback: Callback[R]) -> Callback[R]:
    """The same feature opened by a menu button: answers the press first, then runs it."""

    async def run(update: Update, context: BotContext) -> R:
        if update.callback_query is not None:
            await update.callback_query.answer()
        return await callback(update, context)

    run.__doc__ = callback.__doc__
    return run


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


async def edit_in_place(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edits the button's message; a double press that would change nothing sends nothing."""
    message = query.message
    if isinstance(message, Message) and shows_already(message, text, markup):
        # Telegram answers an identical edit with 400 "message is not modified".
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # Two presses racing past the check above: the second edit is the no-op.
        if "message is not modified" not in exc.message.lower():
            raise
