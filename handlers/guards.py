"""Guards that run before any feature: who is writing, personal-data filter, group chats."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, MessageHandler, TypeHandler, filters

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services.privacy import contains_rrn, mentions_password
from handlers.feature import (
    GROUP_NOT_OURS,
    GROUP_PRIVACY,
    GROUP_PRIVATE_ONLY,
    GROUP_TRACK,
    AnyHandler,
    Feature,
)
from handlers.keyboards import open_private_chat

logger = logging.getLogger(__name__)


async def track_user(update: Update, context: BotContext) -> None:
    """Records the visit and sets the language for the rest of this update."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    users = context.services.users
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        # Someone in a group has not opened a chat with us: read their language, keep no record.
        context.lang = await users.language_of(user.id, user.language_code)
        return
    context.visit = await users.visit(user.id, user.language_code)
    context.lang = context.visit.user.language  # type: ignore[assignment]


async def block_resident_numbers(update: Update, context: BotContext) -> None:
    """Deletes any message holding a resident registration number (or, in a private chat, one
    that speaks of a password), warns, and stops processing: no flow or answer reads it."""
    message = update.effective_message
    if message is None:
        return
    said = message.text or message.caption
    if contains_rrn(said):
        what = "rrn"
        # Nothing below may echo the text: it must not reach the store or the logs.
        logger.warning(
            "update %s: dropped a message shaped like a resident number", update.update_id
        )
    elif message.chat.type == ChatType.PRIVATE and mentions_password(said):
        # In a group people talk about passwords ("비밀번호 까먹었어요"): the bot keeps quiet.
        what = "password"
        logger.warning("update %s: dropped a message that mentions a password", update.update_id)
    else:
        return
    try:
        await message.delete()
        key = f"privacy.{what}_blocked"
    except TelegramError:
        key = f"privacy.{what}_blocked_not_deleted"
    await context.bot.send_message(message.chat_id, t(context.lang, key))
    raise ApplicationHandlerStop


async def ignore_edited_commands(update: Update, context: BotContext) -> None:
    """An edited message that is (now) a command does nothing: the command ran, or not, when
    it was sent. Telegram lets anyone edit a message days later; re-running /forget's question,
    /status's gateway call or a staff command on such an edit would surprise, and editing
    "hello" into "/staff" must not be a way in. Silent, as Telegram clients show edits only
    as "edited": there is no new message to answer."""
    raise ApplicationHandlerStop


# Commands that show nothing personal: answered in groups as in a private chat.
PUBLIC_COMMANDS = frozenset({"help", "privacy"})
# What a command typed in a group continues as in the private chat (t.me/<bot>?start=<payload>);
# each is a /start payload (handlers/start.py DEEP_LINKS, or a flow's start_payloads).
PRIVATE_PAYLOADS = {
    "start": None,
    "link": "link",
    "howto": "howto",
    "status": "status",
    "send": "send",
    "lang": "lang",
}


def _command_parts(text: str) -> tuple[str, str]:
    """ "/link@my_bot now" → ("link", "my_bot"); the addressee is "" when none is named."""
    name, _, addressee = text.split(maxsplit=1)[0][1:].partition("@")
    return name.lower(), addressee


async def ignore_other_bots_commands(update: Update, context: BotContext) -> None:
    """A command naming another bot (/start@other_bot) is not ours, in any chat: no answer, no
    refusal, no "unknown command", and it does not close the open flow. Telegram clients add
    the name when a command is picked from another bot's menu, so it is typed by mistake and
    meant for that bot. /start@<this bot> goes on like /start."""
    message = update.effective_message
    if message is None or not message.text:
        return
    addressee = _command_parts(message.text)[1]
    ours = context.bot.username
    if addressee and (ours is None or addressee.lower() != ours.lower()):
        raise ApplicationHandlerStop


async def private_chat_only(update: Update, context: BotContext) -> None:
    """In groups, shows nothing personal: invites to a private chat on commands, else is quiet.

    The invitation's link carries what was asked (/link → ?start=link), so it continues there.
    """
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(raw(context.lang, "callback.stale"))
    elif update.message and update.message.text and update.message.text.startswith("/"):
        # Another bot's command never gets here (ignore_other_bots_commands).
        name = _command_parts(update.message.text)[0]
        if name in PUBLIC_COMMANDS:
            return
        await update.message.reply_text(
            t(context.lang, "group.private_only"),
            reply_markup=open_private_chat(
                context.lang, context.bot.username, PRIVATE_PAYLOADS.get(name)
            ),
        )
    raise ApplicationHandlerStop


def _guards() -> list[tuple[int, AnyHandler]]:
    return [
        (GROUP_TRACK, TypeHandler(Update, track_user)),
        (
            GROUP_PRIVACY,
            MessageHandler(
                (filters.TEXT | filters.CAPTION) & filters.UpdateType.MESSAGES,
                block_resident_numbers,
            ),
        ),
        (GROUP_NOT_OURS, MessageHandler(filters.COMMAND, ignore_other_bots_commands)),
        # Edited commands stop here, in one place for every command (see the guard); in groups
        # too, where they would otherwise get the private-chat invitation again. Edited plain
        # text goes on: the privacy guard above has already checked it.
        (
            GROUP_PRIVATE_ONLY,
            MessageHandler(
                filters.UpdateType.EDITED_MESSAGE & filters.COMMAND, ignore_edited_commands
            ),
        ),
        (GROUP_PRIVATE_ONLY, TypeHandler(Update, private_chat_only)),
    ]


FEATURE = Feature("guards", guards=_guards)
