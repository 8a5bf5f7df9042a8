"""The last line of defence: log with the update id, apologise in the user's language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.i18n import raw, t
from handlers.press_answers import MUST_ANSWER

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Logs the failure, says sorry without details, and stops this update's other handlers."""
    try:
        await _report(update, context)
    except Exception:  # the store itself may be what failed; never let the handler crash
        logger.exception("error handler failed while reporting update %s", _update_id(update))
    # Later groups must not run on a half-handled update (a failed guard could let unchecked
    # text through); raising this from an error handler tells PTB to stop the update.
    raise ApplicationHandlerStop


def _update_id(update: object) -> int | None:
    return update.update_id if isinstance(update, Update) else None


async def _report(update: object, context: BotContext) -> None:
    error = context.error
    update_id = _update_id(update)
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_user:
        # The user blocked the bot: nothing can be sent; remember it for broadcasts.
        logger.info("update %s: user blocked the bot", update_id)
        await context.services.users.blocked_us(update.effective_user.id)
        return
    logger.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    if not isinstance(update, Update):
        return
    # The error handler gets a fresh context, so the language is looked up again.
    user = update.effective_user
    lang = await context.services.users.language_of(user.id, user.language_code) if user else "ko"
    if update.callback_query is not None:
        try:
            # Told to raise if the press was answered already: then the apology goes below.
            await context.bot.answer_callback_query(
                update.callback_query.id,
                raw(lang, "error.generic"),
                show_alert=True,
                rate_limit_args=MUST_ANSWER,  # type: ignore[arg-type]  # BotContext types it None
            )
            return
        except TelegramError:
            pass  # most handlers answer a press first; then the apology goes to the chat
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, t(lang, "error.generic"))
