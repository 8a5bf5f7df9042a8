"""/stats for center staff: the counts as one message, then the weekly chart as a photo.

The staff guard (handlers/staff_guard.py) already refused everyone else; `require_staff` is
checked again here so a member removed a moment ago gets the same refusal.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import BotContext
from bot.i18n import t
from handlers import stats_views as views
from handlers.desk_buttons import desk_rows
from handlers.feature import Feature
from handlers.staff_guard import require_staff

CHART_FILE = "weekly_sends.png"


async def stats_command(update: Update, context: BotContext) -> None:
    """Sends the center's counts, then the chart (the text goes out even if the chart fails)."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    if not await require_staff(update, context):
        return
    services, lang = context.services, context.lang
    tz = services.settings.tz
    stats = await services.stats.overview()
    desk = desk_rows(update, context, "today")
    await context.bot.send_message(
        chat.id,
        views.stats_text(lang, stats, services.clock.now(), tz),
        reply_markup=InlineKeyboardMarkup(desk) if desk else None,
    )
    png = await services.stats.chart(views.chart_texts(lang, tz), stats.weekly)
    if png is not None:
        await context.bot.send_photo(
            chat.id, InputFile(png, filename=CHART_FILE), caption=t(lang, "stats.chart.caption")
        )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The /stats command, for group 0."""
    # New messages only: an edit of an old message never re-runs a staff command.
    return [CommandHandler("stats", stats_command, filters=filters.UpdateType.MESSAGE)]


FEATURE = Feature("stats", handlers=handlers)
