"""/link: prove which VMS member you are with a one-time code (a persistent conversation)."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import BotContext
from bot.i18n import t
from bot.services import linking
from bot.services.privacy import mask_id
from handlers import link_views
from handlers.common import from_button, reply
from handlers.conversations import end_conversations, persistent_conversation

logger = logging.getLogger(__name__)

ASK_ID, ASK_CODE = "ask_id", "ask_code"
_PENDING = "link_request"  # user_data key: the flow in progress, cleared when it ends
# A code lives ten minutes; a half-finished link must not read text typed days later. The
# conversation timeout below is a job (lost on restart), so the start time is kept too.
FLOW_LIFETIME = timedelta(minutes=30)


async def start_link(update: Update, context: BotContext) -> str:
    """Asks for the VMS ID (showing the current link, if any)."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    end_conversations(context.application, user.id, keep="link")
    since = context.services.clock.now().isoformat()
    context.user_data[_PENDING] = {"since": since}  # type: ignore[index]
    current = await context.services.links.current(user.id)
    if current is None:
        text = t(context.lang, "link.ask_id")
    else:
        shown = link_views.pair(context.lang, current.vms_id, current.id_1365_masked)
        text = t(context.lang, "link.already", pair=shown)
    await context.bot.send_message(chat.id, text)
    return ASK_ID


async def receive_id(update: Update, context: BotContext) -> str | int:
    """Requests a code for the ID the user typed."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if _stale(context):
        return await _expire(update, context)
    try:
        sent = await context.services.links.request_code(message.text)
    except linking.BadVmsId:
        await message.reply_text(t(context.lang, "link.bad_id"))
        return ASK_ID
    except linking.TooManyRequests as exc:
        minutes = max(1, math.ceil(exc.retry_after / 60))
        await message.reply_text(t(context.lang, "link.too_many", minutes=minutes))
        return ASK_ID
    except linking.Unavailable:
        await message.reply_text(t(context.lang, "link.unavailable"))
        return ASK_ID
    pending = context.user_data.setdefault(_PENDING, {})  # type: ignore[union-attr]
    pending.update(request_id=sent.request_id, vms_id=sent.vms_id)
    minutes = max(1, round((sent.expires_at - context.services.clock.now()).total_seconds() / 60))
    key = "link.code_sent.email" if sent.channel == "email" else "link.code_sent.sms"
    await message.reply_text(
        t(context.lang, key, destination=sent.destination_masked, minutes=minutes)
    )
    return ASK_CODE


async def receive_code(update: Update, context: BotContext) -> str | int:
    """Confirms the code; on success shows the pair and both consents."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    pending = (context.user_data or {}).get(_PENDING) or {}
    if _stale(context) or "request_id" not in pending:
        return await _expire(update, context)
    links = context.services.links
    try:
        linked = await links.confirm(
            user.id, pending["request_id"], pending["vms_id"], message.text
        )
    except linking.BadCode:
        await message.reply_text(t(context.lang, "link.bad_code"))
        return ASK_CODE
    except linking.WrongCode as exc:
        await message.reply_text(t(context.lang, "link.wrong_code", attempts=exc.attempts_left))
        return ASK_CODE
    except (linking.CodeExpired, linking.RequestLocked) as exc:
        key = "link.expired" if isinstance(exc, linking.CodeExpired) else "link.locked"
        await message.reply_text(t(context.lang, key))
        return _finish(context)
    except linking.Unavailable:
        await message.reply_text(t(context.lang, "link.unavailable"))
        return ASK_CODE
    shown = link_views.pair(context.lang, linked.link.vms_id, linked.link.id_1365_masked)
    consents = link_views.consents(context.lang, linked.member)
    await message.reply_text(t(context.lang, "link.done", pair=shown, consents=consents))
    if linked.previous_holder is not None:
        await _tell_previous_holder(context, linked.previous_holder, linked.link.vms_id)
    return _finish(context)


async def _tell_previous_holder(context: BotContext, telegram_id: int, vms_id: str) -> None:
    lang = await context.services.users.language_of(telegram_id, None)
    try:
        await context.bot.send_message(
            telegram_id, t(lang, "link.taken_over", vms_id=mask_id(vms_id))
        )
    except TelegramError as exc:
        # They may have blocked the bot; the link is already moved, which is what matters.
        logger.info("could not tell the previous holder of a link: %s", type(exc).__name__)


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos and the like while linking."""
    await reply(update, context, "link.text_only")


async def cancel(update: Update, context: BotContext) -> int:
    """Stops linking; nothing was saved."""
    await reply(update, context, "link.cancelled")
    return _finish(context)


def _stale(context: BotContext) -> bool:
    since = ((context.user_data or {}).get(_PENDING) or {}).get("since")
    if since is None:
        return True
    return context.services.clock.now() - datetime.fromisoformat(since) > FLOW_LIFETIME


async def _expire(update: Update, context: BotContext) -> int:
    """Ends a flow left open too long (or restored from before a restart) and says so."""
    await reply(update, context, "link.stale")
    return _finish(context)


async def timed_out(update: object, context: BotContext) -> None:
    """The conversation timed out: forget the ID that was typed."""
    context.user_data.pop(_PENDING, None)  # type: ignore[union-attr]


def _finish(context: BotContext) -> int:
    context.user_data.pop(_PENDING, None)  # type: ignore[union-attr]
    return ConversationHandler.END


def conversation() -> BaseHandler[Update, BotContext, object]:
    """The persistent /link conversation, for group 0 before the plain handlers."""
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
    return persistent_conversation(
        "link",
        entry_points=[
            CommandHandler("link", start_link),
            # The deep link t.me/<bot>?start=link, printed on a center's poster.
            CommandHandler("start", start_link, filters=filters.Regex(r"^/start link$")),
            CallbackQueryHandler(from_button(start_link), pattern=r"^menu:link$"),
        ],
        states={
            ASK_ID: [MessageHandler(text, receive_id), MessageHandler(other, not_text)],
            ASK_CODE: [MessageHandler(text, receive_code), MessageHandler(other, not_text)],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        conversation_timeout=FLOW_LIFETIME,
    )
