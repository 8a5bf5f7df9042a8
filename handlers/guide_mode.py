"""Guide mode's Telegram side: /link, /status and /send lead through the sites, "📤 VMS에서
보냈어요" is noted, and 24 hours later "1365에서 보이나요?" (due work) with its answers.

On instead of the link and send flows when no gateway answers (its FEATURE, below: the
composition root chooses once): the rest of the handlers never ask whether a gateway exists.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import Bot, Update
from telegram.error import Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services.container import Services
from bot.services.flows import NO_DATA, NoData
from bot.services.guide_mode import CHECK, LATER, GuideModeService
from handlers import guide_mode_buttons as buttons
from handlers import guide_mode_views as views
from handlers import menu_buttons, send_buttons, status_buttons
from handlers.feature import Due, Feature
from handlers.flows import FlowHandler
from handlers.formats import when
from handlers.guide import open_guide


def _service(context: BotContext) -> GuideModeService:
    service = context.services.guide_mode
    assert service is not None, "guide-mode handlers are registered only in guide mode"
    return service


def _which(update: Update) -> str:
    """link, status or send: from the command, the /start payload or the entry button."""
    query = update.callback_query
    if query is not None:
        return {menu_buttons.LINK: "link", status_buttons.OPEN: "status"}.get(
            query.data or "", "send"
        )
    message = update.effective_message
    words = (message.text or "").split() if message is not None else []
    name = words[0].lstrip("/").split("@")[0].lower() if words else ""
    if name == "start" and len(words) > 1:
        name = words[1].lower()
    return name if name in ("link", "status", "send") else "status"


class GuideModeEntry(FlowHandler[NoData]):
    """Takes /link, /status and /send (commands, deep links, menu buttons) in guide mode.

    A flow handler only for the router's entry points; it opens no flow (nothing to wait for)
    and closes the one that was open, as any other command does.
    """

    name = "guide_mode"
    codec = NO_DATA
    commands = ("link", "status", "send")
    start_payloads = ("link", "status", "send")
    entry_buttons = (menu_buttons.LINK, status_buttons.OPEN, send_buttons.START)
    lifetime = timedelta(minutes=1)

    async def enter(self, update: Update, context: BotContext) -> None:
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None and user is not None
        services = context.services
        await services.flows.close(user.id)  # the router has answered an entry button
        reported = await _service(context).reported(user.id)
        text, markup = views.entry(
            context.lang, _which(update), reported, services.clock.now(), services.settings.tz
        )
        await context.bot.send_message(chat.id, text, reply_markup=markup)


async def press(update: Update, context: BotContext) -> None:
    """The gm: buttons; each carries what it means, so an old copy still works or says so."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and query.data is not None and user is not None and chat is not None
    service, lang, tz = _service(context), context.lang, context.services.settings.tz
    now = context.services.clock.now()
    press = buttons.parse(query.data)
    if press is None:  # forged, or a button of a later release
        await query.answer(raw(lang, "gm.stale"))
        return
    if press.action == "guide":
        await query.answer()
        await open_guide(update, context, "1365")
    elif press.action == "sent":
        await query.answer()
        outcome = await service.sent_on_vms(user.id)
        await context.bot.send_message(chat.id, views.sent(lang, outcome, now, tz))
    elif press.action in ("yes", "no"):
        if not await service.answer(user.id, press.action == "yes"):
            await query.answer(raw(lang, "gm.stale"), show_alert=True)
            return
        await query.answer()
        await _take_buttons_off(query)
        if press.action == "yes":
            await context.bot.send_message(chat.id, t(lang, "gm.yes"))
        else:
            markup = views.not_seen_keyboard(lang)
            await context.bot.send_message(chat.id, t(lang, "gm.no"), reply_markup=markup)
    elif press.action == "later":
        await query.answer()
        markup = views.later_keyboard(lang, service.later_choices())
        await context.bot.send_message(chat.id, t(lang, "gm.later.ask"), reply_markup=markup)
    else:
        assert press.later is not None
        at = await service.remind_later(user.id, press.later)
        if at is None:
            await query.answer(raw(lang, "gm.stale"), show_alert=True)
            return
        await query.answer()
        await _take_buttons_off(query)
        time = when(lang, at, now, tz)
        await context.bot.send_message(chat.id, t(lang, "gm.later.set", time=time))


async def _take_buttons_off(query: Any) -> None:
    """An answered question keeps its text; its buttons are used up."""
    try:
        await query.edit_message_reply_markup(None)
    except Exception:  # already without buttons (a double tap): what was wanted
        return


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CallbackQueryHandler(press, pattern=buttons.PATTERN)]


# --- due work: the question 24 hours after a send, and the chosen reminder -----------------------


async def _ask(
    bot: Bot, services: Services, key: str, payload: dict[str, Any], *, reminder: bool
) -> None:
    service = services.guide_mode
    assert service is not None
    telegram_id = await service.due_question(key)
    if telegram_id is None:
        return  # answered meanwhile, or forgotten
    reported = await service.reported(telegram_id)
    assert reported.last_send is not None
    lang = await services.users.language_of(telegram_id, None)
    text, markup = views.question(
        lang,
        reported.last_send.sent_at,
        services.clock.now(),
        services.settings.tz,
        reminder=reminder,
    )
    try:
        await bot.send_message(telegram_id, text, reply_markup=markup)
    except Forbidden:
        await services.users.blocked_us(telegram_id)


async def _ask_first(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await _ask(bot, services, key, payload, reminder=False)


async def _ask_again(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await _ask(bot, services, key, payload, reminder=True)


# Only with no gateway: then /link, /status and /send lead through the sites instead, and the
# link and send flows are not registered.
FEATURE = Feature(
    "guide mode",
    when="guide",
    flows=(GuideModeEntry(),),
    replaces_flows=("link", "send"),
    handlers=handlers,
    due_work={CHECK: Due(_ask_first), LATER: Due(_ask_again)},
)
