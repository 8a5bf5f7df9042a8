"""Staff commands and staff buttons are refused to everyone else, before any feature runs.

One guard for all of them, so a new staff feature cannot forget the check: a volunteer who
types /broadcast (or /broadcast@bot) gets "센터 담당자만 쓸 수 있는 명령이에요" and nothing
else, and a button whose data starts with the staff prefix is refused the same way when the
presser is not staff (forged callback data). Staff flows also call `require_staff` on each
step, because someone may be removed from the staff while their flow is open.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services.staff import STAFF_COMMANDS
from handlers import staff_buttons
from handlers.commands import publish_staff_menu
from handlers.feature import GROUP_STAFF_ONLY, AnyHandler, Feature


def command_of(text: str | None) -> str | None:
    """'/broadcast@yeongye_bot now' → 'broadcast'; None for text that is not a command."""
    if not text or not text.startswith("/"):
        return None
    head = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    return head.split("@", 1)[0].lower() or None


async def staff_only(update: Update, context: BotContext) -> None:
    """Stops staff commands and staff buttons from anyone who is not staff."""
    user = update.effective_user
    if user is None:
        return
    is_staff = await staff_at_start(context, user.id)
    if is_staff:
        await _know_staff(context, user.id, user.first_name)
    query = update.callback_query
    if query is not None:
        if staff_buttons.is_staff_data(query.data or "") and not is_staff:
            await query.answer(raw(context.lang, "staff.only_button"), show_alert=True)
            raise ApplicationHandlerStop
        return
    # effective_message: an edited message too. Editing "hello" into "/staff" must meet the
    # same refusal as typing it (handlers/guards.py drops edited commands anyway; this guard
    # does not rely on that).
    message = update.effective_message
    if message is None or command_of(message.text) not in STAFF_COMMANDS:
        return
    if not is_staff:
        await message.reply_text(t(context.lang, "staff.only"))
        raise ApplicationHandlerStop


async def _know_staff(context: BotContext, telegram_id: int, first_name: str) -> None:
    """Remembers a staff member's first name (for colleagues' lists) and, if not set yet,
    gives them the staff menu, once for the whole deployment: an admin who had never
    written has none until now."""
    staff = context.services.staff
    if await staff.seen(telegram_id, first_name):
        await staff.menu_set(
            telegram_id, await publish_staff_menu(context.bot, telegram_id, context.services)
        )


async def require_staff(update: Update, context: BotContext) -> bool:
    """For staff flows: True if the user is (still) staff; otherwise answers and returns False."""
    user = update.effective_user
    if user is not None and await _is_staff(context, user.id):
        return True
    if update.callback_query is not None:
        await update.callback_query.answer(raw(context.lang, "staff.only_button"), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(t(context.lang, "staff.only"))
    return False


async def _is_staff(context: BotContext, telegram_id: int) -> bool:
    return await context.services.staff.is_staff(telegram_id)


async def staff_at_start(context: BotContext, telegram_id: int) -> bool:
    """Whether the user was staff as this update started: from the visit the user-tracking
    guard read (no second trip to the store), else asked now. For checks at the start of an
    update; a staff flow's steps ask the store (require_staff)."""
    visit = context.visit_of(telegram_id)
    if visit is None:
        return await _is_staff(context, telegram_id)
    return context.services.staff.is_admin(telegram_id) or visit.staff


def _guards() -> list[tuple[int, AnyHandler]]:
    return [(GROUP_STAFF_ONLY, TypeHandler(Update, staff_only))]


FEATURE = Feature("staff guard", guards=_guards)
