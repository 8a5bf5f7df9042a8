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


async def edit_in_place(
    context: BotContext,
    query: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Edits the button's message unless the press's copy of it shows exactly this already.

    No memory of what was rendered where: with several workers, any one of them may have
    edited the message since (issue 16, part 4), so only Telegram's own copy is trusted. A
    double tap's second press still carries the content from before the first edit; its
    identical edit is refused with 400 "message is not modified", which edit_pressed takes
    as done (flow messages keep their digest in the flow row, so theirs is not even sent).
    """
    message = query.message
    if isinstance(message, Message) and shows_already(message, text, markup):
        return
    await edit_pressed(query, text, markup)


async def edit_pressed(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edits the pressed message; "not modified" is not an error.

    Telegram refuses an identical edit; that happens when another copy of the message
    (a double tap, another worker's edit) already shows this content, which is what was wanted.
    """
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "message is not modified" not in exc.message.lower():
            raise
