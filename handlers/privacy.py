"""/privacy, /unlink and /forget: what is kept, and taking it back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services import linking
from bot.services.container import Services
from bot.services.errors import Unavailable
from bot.services.forget import TRUNCATE_WAL, forget_prompt_fresh, forget_stamp
from core.retry import RetryPolicy
from handlers import keyboards, link_views, privacy_buttons
from handlers.common import edit_in_place
from handlers.feature import Due, Feature


def _yes_no(
    lang: str, area: privacy_buttons.Area, data: Callable[[bool], str]
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(raw(lang, f"{area}.button.yes"), callback_data=data(True)),
                InlineKeyboardButton(raw(lang, f"{area}.button.no"), callback_data=data(False)),
            ]
        ]
    )


def _press(update: Update, area: privacy_buttons.Area) -> privacy_buttons.Press:
    query = update.callback_query
    assert query is not None and query.data is not None
    press = privacy_buttons.parse(query.data)
    assert press is not None and press.area == area  # the handler's pattern
    return press


async def privacy(update: Update, context: BotContext) -> None:
    """Explains what is kept, what for, for how long, and how to delete it."""
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, t(context.lang, "privacy.body"))


async def unlink(update: Update, context: BotContext) -> None:
    """Asks whether to unlink the VMS account."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    current = await context.services.links.current(user.id)
    if current is None:
        await context.bot.send_message(
            chat.id, t(context.lang, "unlink.none"), reply_markup=keyboards.link_only(context.lang)
        )
        return
    shown = link_views.pair(context.lang, current.vms_id, current.id_1365_masked)
    await context.bot.send_message(
        chat.id,
        t(context.lang, "unlink.confirm", pair=shown),
        reply_markup=_yes_no(
            context.lang,
            "unlink",
            partial(privacy_buttons.unlink, tag=linking.link_tag(current.link_id)),
        ),
    )


async def unlink_answer(update: Update, context: BotContext) -> None:
    """Unlinks on yes; a stale or repeated press finds nothing to unlink and says so."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    press = _press(update, "unlink")
    current = await context.services.links.current(user.id)
    if current is None or linking.link_tag(current.link_id) != press.tag:
        # Offered for a link that is gone or was replaced since: nothing to do here.
        await query.answer(raw(context.lang, "callback.stale"), show_alert=True)
        await edit_in_place(context, query, t(context.lang, "unlink.stale"))
        return
    await query.answer()
    if not press.yes:
        await edit_in_place(context, query, t(context.lang, "unlink.kept"))
        return
    try:
        removed = await context.services.links.unlink(user.id)
    except Unavailable:
        await edit_in_place(context, query, t(context.lang, "unlink.unavailable"))
        return
    except linking.SendUnsettled:
        await edit_in_place(context, query, t(context.lang, "unlink.send_unsettled"))
        return
    key = "unlink.done" if removed else "unlink.none"
    await edit_in_place(context, query, t(context.lang, key), keyboards.link_only(context.lang))


async def forget(update: Update, context: BotContext) -> None:
    """Asks for confirmation before deleting everything."""
    chat = update.effective_chat
    assert chat is not None
    stamp = forget_stamp(context.services.clock.now())
    await context.bot.send_message(
        chat.id,
        t(context.lang, "forget.confirm"),
        reply_markup=_yes_no(context.lang, "forget", partial(privacy_buttons.forget, stamp=stamp)),
    )


async def forget_answer(update: Update, context: BotContext) -> None:
    """On yes to a fresh prompt, deletes the user from every table and revokes the link."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    lang = context.lang
    press = _press(update, "forget")
    if not press.yes:
        await query.answer()
        await edit_in_place(context, query, t(lang, "forget.kept"))
        return
    if not forget_prompt_fresh(press.stamp, context.services.clock.now()):
        await query.answer(raw(lang, "callback.stale"), show_alert=True)
        await edit_in_place(context, query, t(lang, "forget.stale"))
        return
    await query.answer()
    # Never waits for a send in flight: it may still reach 1365, but its result message
    # cannot reach someone the bot no longer knows, so they are told now.
    in_flight = await context.services.sending.in_flight(user.id)
    # Deleting the user row takes their open flow, link and guide progress with it.
    await context.services.forget.forget(user.id)
    await edit_in_place(
        context, query, t(lang, "forget.done_in_flight" if in_flight else "forget.done")
    )


def handlers() -> list[CommandHandler[BotContext, None] | CallbackQueryHandler[BotContext, None]]:
    """Privacy handlers, for group 0."""
    return [
        CommandHandler("privacy", privacy),
        CommandHandler("unlink", unlink),
        CallbackQueryHandler(unlink_answer, pattern=privacy_buttons.UNLINK_PATTERN),
        CommandHandler("forget", forget),
        CallbackQueryHandler(forget_answer, pattern=privacy_buttons.FORGET_PATTERN),
    ]


# --- due work: the WAL emptied after an erase, once no reader holds it -----------------------


async def _truncate_wal(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await services.forget.truncate_owed(key, payload)


FEATURE = Feature(
    "privacy",
    handlers=handlers,
    # A reader holding the WAL after an erase (a backup, a sqlite3 shell) is usually gone in
    # minutes; about a day of retries covers one left open, and close() truncates too.
    due_work={
        TRUNCATE_WAL: Due(
            _truncate_wal,
            RetryPolicy(max_attempts=100, base=timedelta(seconds=30), cap=timedelta(minutes=30)),
        )
    },
)
