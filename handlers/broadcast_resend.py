"""Resending a finished broadcast to the people whose delivery is unknown.

A kill -9 (or a call whose answer was lost) leaves a few deliveries 'unknown': they may or may
not have arrived, and the sender never sends them again by itself. The final report offers
"확인 안 된 n명에게 다시 보내기"; pressing it asks first (a copy may arrive twice), and the
confirmation makes one new broadcast of those people, once per broadcast, whoever presses it
and however often (bot/services/broadcasts.py BroadcastService.resend_unknown).

Every button here starts with the staff prefix, so the staff guard refuses non-staff before
this runs; each press checks the role again, since staff may be removed meanwhile.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import raw, t
from handlers import staff_buttons
from handlers.common import edit_in_place
from handlers.feature import Feature
from handlers.staff_guard import require_staff


def _button(
    label: str, action: staff_buttons.ResendAction, broadcast_id: int
) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=staff_buttons.resend(action, broadcast_id))


def offer_markup(lang: str, broadcast_id: int, unknown: int) -> InlineKeyboardMarkup | None:
    """The final report's button, when some deliveries are unknown."""
    if unknown <= 0:
        return None
    label = raw(lang, "broadcast_run.resend.button", n=unknown)
    return InlineKeyboardMarkup([[_button(label, "bcre", broadcast_id)]])


async def resend_button(update: Update, context: BotContext) -> None:
    """Asks before resending, resends on the confirmation, or leaves it."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    if not await require_staff(update, context):
        return
    press = staff_buttons.parse(query.data or "")
    assert press is not None and press.broadcast is not None  # the handler's pattern
    action, broadcast_id = press.action, press.broadcast
    lang, broadcasts = context.lang, context.services.broadcasts
    if action == "bcno":
        await query.answer()
        await edit_in_place(context, query, t(lang, "broadcast_run.resend.kept", id=broadcast_id))
        return
    offer = await broadcasts.resend_offer(broadcast_id)
    if offer is None:
        await query.answer(raw(lang, "broadcast_run.resend.none"), show_alert=True)
        return
    if offer.already is not None:
        await query.answer(
            raw(lang, "broadcast_run.resend.already", id=offer.already), show_alert=True
        )
        return
    if offer.recipients == 0:
        await query.answer(raw(lang, "broadcast_run.resend.nobody"), show_alert=True)
        return
    if action == "bcre":
        await query.answer()
        markup = InlineKeyboardMarkup(
            [
                [
                    _button(
                        raw(lang, "broadcast_run.resend.go", n=offer.recipients),
                        "bcgo",
                        broadcast_id,
                    )
                ],
                [_button(raw(lang, "broadcast_run.resend.no"), "bcno", broadcast_id)],
            ]
        )
        text = t(lang, "broadcast_run.resend.confirm", id=broadcast_id, n=offer.recipients)
        await context.bot.send_message(chat.id, text, reply_markup=markup)
        return
    resend = await broadcasts.resend_unknown(broadcast_id, by=user.id, progress_chat_id=chat.id)
    if resend is None:
        await query.answer(raw(lang, "broadcast_run.resend.nobody"), show_alert=True)
    elif not resend.created:  # a second press that came in while the first was writing
        await query.answer(
            raw(lang, "broadcast_run.resend.already", id=resend.broadcast_id), show_alert=True
        )
    else:
        await query.answer()
        text = t(
            lang,
            "broadcast_run.resend.launched",
            id=resend.broadcast_id,
            of=broadcast_id,
            n=resend.recipients,
        )
        await edit_in_place(context, query, text)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The resend buttons, for group 0."""
    return [CallbackQueryHandler(resend_button, pattern=re.compile(staff_buttons.RESEND_PATTERN))]


# The final report's "resend to the unknown" buttons.
FEATURE = Feature("broadcast resend", handlers=handlers)
