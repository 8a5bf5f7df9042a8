"""/staff: who the staff are, invites and revoking them (admins), removing staff (admins), the
audit log (admins).

The staff guard (handlers/staff_guard.py) has already refused /staff and every "staff:"
button to non-staff; the admin-only steps here check the role again themselves, so a staff
member forging an admin's button is refused too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.i18n import Html, raw, t
from bot.services.staff import BY_BOT, AuditEntry
from handlers import staff_buttons
from handlers.commands import drop_staff_menu, publish_staff_menu
from handlers.common import edit_in_place
from handlers.feature import Feature
from handlers.formats import day, when
from handlers.staff_guard import require_staff
from handlers.staff_invites import invites_screen

LOG_SIZE = 20


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def _name(names: Mapping[int, str], telegram_id: int) -> str:
    """Colleagues by first name when the bot has seen it (StaffService.names), else by id."""
    return names.get(telegram_id) or str(telegram_id)


async def _list_screen(
    context: BotContext, viewer: int
) -> tuple[Html, InlineKeyboardMarkup | None]:
    staff, lang = context.services.staff, context.lang
    names = await staff.names()
    lines: list[str] = [t(lang, "staff.list.title")]
    lines += [t(lang, "staff.list.admin", name=_name(names, a)) for a in sorted(staff.admins)]
    members = await staff.members()
    for m in members:
        since = day(lang, m.added_at.astimezone(context.services.settings.tz).date())
        lines.append(t(lang, "staff.list.member", name=_name(names, m.telegram_id), date=since))
    if not members:
        lines.append(t(lang, "staff.list.none"))
    if not staff.is_admin(viewer):
        return Html("\n".join(lines)), None
    lines += ["", t(lang, "staff.list.admin_hint")]
    rows = [
        [
            _button(
                raw(lang, "staff.button.remove", name=_name(names, m.telegram_id)),
                staff_buttons.member("rm", m.telegram_id),
            )
        ]
        for m in members
    ]
    rows.append([_button(raw(lang, "staff.button.log"), staff_buttons.LOG)])
    return Html("\n".join(lines)), InlineKeyboardMarkup(rows)


# Details that name a person: shown by first name, or as gone once they used /forget.
_PEOPLE = ("member", "invited_by")


def _who(context: BotContext, names: Mapping[int, str], telegram_id: int | None) -> str:
    if telegram_id is None:
        return raw(context.lang, "staff.log.actor_gone")
    return _name(names, telegram_id)


def _what(context: BotContext, names: Mapping[int, str], entry: AuditEntry) -> str:
    detail = dict(entry.detail)
    for key in _PEOPLE:
        if key in detail:
            value = detail[key]
            detail[key] = _who(context, names, value if isinstance(value, int) else None)
    try:
        return raw(context.lang, f"staff.log.{entry.action}", **detail)
    except (KeyError, IndexError):
        # An action newer than this code (tests keep every audited one in the catalog).
        return raw(context.lang, "staff.log.other", action=entry.action)


def _actor(context: BotContext, names: Mapping[int, str], entry: AuditEntry) -> str:
    """Who did it: a colleague, the bot itself, or someone who has since used /forget."""
    if entry.actor is None and entry.detail.get(BY_BOT) is True:
        return raw(context.lang, "staff.log.actor_bot")
    return _who(context, names, entry.actor)


async def _log_text(context: BotContext) -> Html:
    lang, tz = context.lang, context.services.settings.tz
    entries = await context.services.staff.recent_actions(LOG_SIZE)
    now = context.services.clock.now()
    if not entries:
        return Html(t(lang, "staff.log.title") + "\n" + t(lang, "staff.log.empty"))
    lines = [t(lang, "staff.log.title")]
    names = await context.services.staff.names()
    for e in entries:
        lines.append(
            t(
                lang,
                "staff.log.line",
                when=when(lang, e.at, now, tz),
                actor=_actor(context, names, e),
                what=_what(context, names, e),
            )
        )
    return Html("\n".join(lines))


async def staff_command(update: Update, context: BotContext) -> None:
    """/staff, /staff invite, /staff invites, /staff log."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if not await require_staff(update, context):
        return  # the guard refused it already; this holds should the guard ever miss one
    staff, lang = context.services.staff, context.lang
    sub = context.args[0].lower() if context.args else ""
    if sub == "":
        text, markup = await _list_screen(context, user.id)
        await message.reply_text(text, reply_markup=markup)
    elif sub == "invite":
        if not staff.is_admin(user.id):
            await message.reply_text(t(lang, "staff.invite.admin_only"))
            return
        invite = await staff.invite(user.id)
        link = f"https://t.me/{context.bot.username}?start={invite.payload}"
        expires = when(
            lang, invite.expires_at, context.services.clock.now(), context.services.settings.tz
        )
        # The link is the secret: shown to the admin only, never logged.
        await message.reply_text(t(lang, "staff.invite.created", expires=expires, link=link))
    elif sub == "invites":
        if not staff.is_admin(user.id):
            await message.reply_text(t(lang, "staff.admin_only"))
            return
        text, markup = await invites_screen(context)
        await message.reply_text(text, reply_markup=markup)
    elif sub == "log":
        if not staff.is_admin(user.id):
            await message.reply_text(t(lang, "staff.admin_only"))
            return
        await message.reply_text(await _log_text(context))
    else:
        await message.reply_text(t(lang, "staff.usage"))


async def staff_button(update: Update, context: BotContext) -> None:
    """The buttons of /staff: admins only, checked here again (the guard lets staff through)."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    staff, lang = context.services.staff, context.lang
    press = staff_buttons.parse(query.data or "")
    assert press is not None  # the handler's pattern
    if not staff.is_admin(user.id):
        await query.answer(raw(lang, "staff.admin_only"), show_alert=True)
        return
    action, target = press.action, press.member
    if action == "list":
        await query.answer()
        await edit_in_place(context, query, *await _list_screen(context, user.id))
    elif action == "log":
        await query.answer()
        await context.bot.send_message(user.id, await _log_text(context))
    elif target is None or target not in {m.telegram_id for m in await staff.members()}:
        await query.answer(raw(lang, "staff.remove.gone"), show_alert=True)
    elif action == "rm":
        await query.answer()
        markup = InlineKeyboardMarkup(
            [
                [
                    _button(
                        raw(lang, "staff.button.remove_yes"), staff_buttons.member("rmok", target)
                    ),
                    _button(raw(lang, "staff.button.remove_no"), staff_buttons.LIST),
                ]
            ]
        )
        name = _name(await staff.names(), target)
        await edit_in_place(context, query, t(lang, "staff.remove.confirm", name=name), markup)
    else:
        await _remove(update, context, target)


async def _remove(update: Update, context: BotContext, target: int) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    staff, lang = context.services.staff, context.lang
    names = await staff.names()  # before the removal, which forgets their name
    if not await staff.remove(target, removed_by=user.id):  # audited as staff.remove
        await query.answer(raw(lang, "staff.remove.gone"), show_alert=True)
        return
    await query.answer()
    await drop_staff_menu(context.bot, target, context.services)
    done = t(lang, "staff.remove.done", name=_name(names, target))
    text, markup = await _list_screen(context, user.id)
    await edit_in_place(context, query, Html(done + "\n\n" + text), markup)


async def join(update: Update, context: BotContext) -> None:
    """Someone opened t.me/<bot>?start=staff-<token>: they become staff if it is still good."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None and context.args
    staff = context.services.staff
    result = await staff.join(context.args[0], user.id)
    if result == "joined":
        await staff.note_name(user.id, user.first_name)
        await staff.menu_set(
            user.id, await publish_staff_menu(context.bot, user.id, context.services)
        )
    await message.reply_text(t(context.lang, f"staff.join.{result}"))


def handlers() -> list[CommandHandler[BotContext, None] | CallbackQueryHandler[BotContext, None]]:
    """/staff and its buttons, for group 0."""
    return [
        # New messages only: an edit of an old message never re-runs a staff command.
        CommandHandler("staff", staff_command, filters=filters.UpdateType.MESSAGE),
        # Only this screen's data: other staff features have their own "staff:" buttons.
        CallbackQueryHandler(staff_button, pattern=re.compile(staff_buttons.STAFF_PATTERN)),
    ]


FEATURE = Feature("staff", handlers=handlers)
