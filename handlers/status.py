"""/status: one message, refreshed in place, and the record list behind 📋 실적 목록.

Not a flow: every button carries what it acts on (handlers/status_buttons.py builds them), so a
press on an old copy still means something, and a forged one gets a polite toast.
"""

from __future__ import annotations

import math

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services import status as service
from bot.services.errors import NotLinked
from handlers import status_buttons
from handlers import status_views as views
from handlers.common import edit_in_place
from handlers.feature import Feature
from handlers.guide import open_guide


async def _render(
    context: BotContext, user_id: int, *, refresh: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The status message for this user; RefreshTooSoon passes through to the caller."""
    lang = context.lang
    services = context.services
    try:
        view = await services.status.show(user_id, refresh=refresh)
    except NotLinked:
        return t(lang, "status.not_linked"), views.not_linked_keyboard(lang)
    except service.NothingCached:
        return t(lang, "status.unavailable"), views.retry_keyboard(lang)
    now = services.clock.now()
    step = service.next_step(view, now)
    text = views.status_text(lang, view, step, now, services.settings.tz)
    return text, views.status_keyboard(lang, step, view.summary)


async def status_command(update: Update, context: BotContext) -> None:
    """/status and the deep link t.me/<bot>?start=status: a new status message."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    text, markup = await _render(context, user.id)
    await context.bot.send_message(chat.id, text, reply_markup=markup)


async def press(update: Update, context: BotContext) -> None:
    """Any st: button; data no pattern admits (forged, from a newer version) gets a toast."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    pressed = status_buttons.parse(query.data)
    if pressed is None:
        await query.answer(raw(context.lang, "status.list.gone"))
    elif pressed.action == "open":
        await query.answer()
        await status_command(update, context)
    elif pressed.action in ("refresh", "home"):
        await _refresh(query, context, user.id, forced=pressed.action == "refresh")
    elif pressed.action == "list":
        assert pressed.filter is not None and pressed.page is not None
        await _list(query, context, user.id, pressed.filter, pressed.page)
    elif pressed.action == "record":
        assert pressed.filter is not None and pressed.page is not None and pressed.ref is not None
        await _record(query, context, user.id, pressed.ref, pressed.filter, pressed.page)
    else:
        assert pressed.site is not None
        await query.answer()
        await open_guide(update, context, pressed.site)


async def _refresh(
    query: CallbackQuery, context: BotContext, user_id: int, *, forced: bool
) -> None:
    try:
        text, markup = await _render(context, user_id, refresh=forced)
    except service.RefreshTooSoon as wait:
        seconds = max(1, math.ceil(wait.wait.total_seconds()))
        await query.answer(raw(context.lang, "status.refresh.too_soon", seconds=seconds))
        return
    await query.answer()
    await edit_in_place(context, query, text, markup)


async def _list(
    query: CallbackQuery, context: BotContext, user_id: int, filter: service.Filter, page: int
) -> None:
    lang = context.lang
    try:
        shown = await context.services.status.page(user_id, filter, page)
    except (NotLinked, service.NothingCached):
        await query.answer(raw(lang, "status.list.no_cache"), show_alert=True)
        return
    except LookupError:  # a forged page number, or the list shrank since the button was made
        await query.answer(raw(lang, "status.list.gone"))
        return
    await query.answer()
    text = views.list_text(lang, shown, context.services.clock.now(), context.services.settings.tz)
    await edit_in_place(context, query, text, views.list_keyboard(lang, shown))


async def _record(
    query: CallbackQuery,
    context: BotContext,
    user_id: int,
    ref: str,
    filter: service.Filter,
    page: int,
) -> None:
    lang = context.lang
    try:
        line = await context.services.status.record(user_id, ref)
    except (NotLinked, service.NothingCached, LookupError):
        # Unknown, gone since a refresh, or another user's: all the same to this user.
        await query.answer(raw(lang, "status.record.gone"))
        return
    await query.answer()
    services = context.services
    text = views.record_text(lang, line, services.clock.now(), services.settings.tz)
    await edit_in_place(context, query, text, views.record_keyboard(lang, filter, page, line))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The /status command and its buttons, for group 0."""
    return [
        CommandHandler("status", status_command),
        CallbackQueryHandler(press, pattern=status_buttons.PATTERN),
    ]


FEATURE = Feature("status", handlers=handlers)
