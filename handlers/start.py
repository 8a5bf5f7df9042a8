"""/start (with deep links), /help and the start menu."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import Html, t
from bot.services import status as status_service
from bot.services.errors import NotLinked
from bot.services.staff import INVITE_PAYLOAD_PREFIX
from handlers import keyboards, link_views, menu_buttons, staff, status_views
from handlers.answers import can_ask, center_contact
from handlers.feature import Feature
from handlers.language import show_language_picker
from handlers.staff_guard import staff_at_start
from handlers.status import status_command


async def start(update: Update, context: BotContext) -> None:
    """Greets the user, or shows a linked volunteer where they stand; follows deep links."""
    payload = context.args[0] if context.args else None
    follow = DEEP_LINKS.get(payload) if payload else None
    if payload and payload.startswith(INVITE_PAYLOAD_PREFIX):
        follow = staff.join  # t.me/<bot>?start=staff-<token>, from /staff invite
    if follow is not None:
        await follow(update, context)
        return
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    text, markup = await _where_they_stand(context, user.id, user.first_name)
    if payload is not None:
        text = Html(t(context.lang, "start.deeplink_unknown") + "\n\n" + text)
    await message.reply_text(text, reply_markup=markup)


async def _where_they_stand(
    context: BotContext, user_id: int, name: str
) -> tuple[Html, InlineKeyboardMarkup]:
    """The first-time greeting, or for a linked volunteer: the pair, consents, next step.

    The next step is /status's own decision (bot/services/status.py next_step), with its
    buttons, so /start never calls "all fine" what /status shows as failed.
    """
    lang = context.lang
    services = context.services
    current = await services.links.current(user_id)
    if current is None:
        return t(lang, "start.greeting", name=name), keyboards.start_menu(lang)
    try:
        view = await services.status.show(user_id)
    except NotLinked:  # revoked elsewhere meanwhile: they start over
        return t(lang, "start.greeting", name=name), keyboards.start_menu(lang)
    except status_service.NothingCached:
        pair = link_views.pair(lang, current.vms_id, current.id_1365_masked)
        text = t(lang, "start.returning.unavailable", name=name, pair=pair)
        return text, keyboards.returning_menu(lang, [])
    now = services.clock.now()
    step = status_service.next_step(view, now)
    member = view.summary.member
    pair = link_views.pair(lang, member.vms_id, member.id_1365_masked)
    lines = [
        *status_views.consent_lines(lang, member, step),
        *status_views.failed_lines(lang, view.summary),
    ]
    if view.stale:
        lines.append(t(lang, "status.stale"))
    text = t(lang, "start.returning", name=name, pair=pair, consents=Html("\n".join(lines)))
    text = Html(
        text + "\n\n" + status_views.next_block(lang, view, step, now, services.settings.tz)
    )
    return text, keyboards.returning_menu(lang, status_views.step_buttons(lang, step, view.summary))


async def help_command(update: Update, context: BotContext) -> None:
    """Explains what the bot does, lists its commands and says how to reach the center."""
    chat = update.effective_chat
    assert chat is not None
    user = update.effective_user
    assert user is not None
    lang, services = context.lang, context.services
    # Guide mode (no gateway): /link, /status and /send lead through the sites instead.
    lines = "help.vms_lines" if services.guide_mode is None else "help.vms_lines.guide_mode"
    text = t(lang, "help.body", vms_lines=t(lang, lines), contact=center_contact(context))
    if await staff_at_start(context, user.id):
        text = Html(text + t(lang, "help.staff_lines"))
    markup = None
    if await can_ask(context, user.id):  # only where a staff member can receive it
        if chat.type == ChatType.PRIVATE:
            ask = keyboards.ask_center_button(context.lang)
        else:  # a button press in a group is refused: the question is written in private
            ask = keyboards.ask_center_link(context.lang, context.bot.username)
        markup = InlineKeyboardMarkup([[ask]])
    await context.bot.send_message(chat.id, text, reply_markup=markup)


async def menu_button(update: Update, context: BotContext) -> None:
    """Routes a start-menu button to the feature it names."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    if query.data == menu_buttons.HELP:
        await help_command(update, context)
    else:
        await show_language_picker(update, context)


# Deep-link payloads a center can print on a poster or send in a notice: t.me/<bot>?start=help.
# Payloads that enter a flow (link, howto, send) are the flows' own: handlers/flows.py routes
# them.
DEEP_LINKS = {
    "help": help_command,
    "lang": show_language_picker,
    "status": status_command,
}


def handlers() -> list[CommandHandler[BotContext, None] | CallbackQueryHandler[BotContext, None]]:
    """The start and help handlers, for group 0."""
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CallbackQueryHandler(menu_button, pattern=menu_buttons.MENU_PATTERN),
    ]


FEATURE = Feature("start", handlers=handlers)
