"""Small Telegram helpers shared by handlers."""

from __future__ import annotations

from html.parser import HTMLParser

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import BadRequest


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


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
