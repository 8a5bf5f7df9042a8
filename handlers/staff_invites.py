"""/staff invites: admins see the invite links that still work and revoke them.

A link is the secret, so it is never shown again: each open invite is listed by when it stops
working and who made it, with a revoke button named by the start of its token's hash. The
staff guard lets staff through on "staff:" buttons; admins only is checked here, again.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import Html, raw, t
from handlers import staff_buttons
from handlers.common import edit_in_place
from handlers.feature import Feature
from handlers.formats import when


async def invites_screen(context: BotContext) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The open invites, soonest to expire first, each with its revoke button."""
    lang, staff, tz = context.lang, context.services.staff, context.services.settings.tz
    invites = await staff.open_invites()
    if not invites:
        return t(lang, "staff.invites.none"), None
    names = await staff.names()
    lines = [t(lang, "staff.invites.title")]
    rows = []
    for invite in invites:
        expires = when(lang, invite.expires_at, context.services.clock.now(), tz)
        name = names.get(invite.created_by) or str(invite.created_by)
        lines.append(t(lang, "staff.invites.line", expires=expires, name=name))
        label = raw(lang, "staff.invites.revoke", expires=expires)
        rows.append(
            [InlineKeyboardButton(label, callback_data=staff_buttons.revoke_invite(invite.ref))]
        )
    return Html("\n".join(lines)), InlineKeyboardMarkup(rows)


async def revoke_button(update: Update, context: BotContext) -> None:
    """Revokes one open invite (admins only) and shows what is left."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    staff, lang = context.services.staff, context.lang
    if not staff.is_admin(user.id):
        await query.answer(raw(lang, "staff.admin_only"), show_alert=True)
        return
    press = staff_buttons.parse(query.data or "")
    assert press is not None and press.invite is not None  # the handler's pattern
    if not await staff.revoke_invite(user.id, press.invite):  # audited as staff.invite.revoke
        await query.answer(raw(lang, "staff.invites.gone"), show_alert=True)
        return
    await query.answer()
    text, markup = await invites_screen(context)
    await edit_in_place(
        context, query, Html(t(lang, "staff.invites.revoked") + "\n\n" + text), markup
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The revoke buttons, for group 0 (/staff invites itself is handlers/staff.py's)."""
    return [CallbackQueryHandler(revoke_button, pattern=re.compile(staff_buttons.INVITE_PATTERN))]


FEATURE = Feature("staff invites", handlers=handlers)
