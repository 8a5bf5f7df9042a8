"""Telegram in, Telegram out: every handler, registered in one place.

Groups run in ascending order, and a handler that raises ApplicationHandlerStop ends the
update. The guards come first, then the flow router (handlers/flows.py), which takes what
belongs to the user's open flow; everything else reaches the plain handlers of group 0, where
patterns and filters do not overlap, so their order there does not matter except for the
catch-alls added last.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, TypeHandler, filters

from handlers import (
    broadcast,
    broadcast_resend,
    broadcast_run,
    errors,
    fallback,
    guards,
    guide,
    guide_mode,
    help_requests,
    language,
    privacy,
    send,
    staff,
    staff_guard,
    staff_invites,
    start,
    stats,
    status,
)
from handlers.broadcast import BROADCAST_FLOW
from handlers.flows import FlowRouter
from handlers.guide import GUIDE_FLOW
from handlers.guide_mode import GuideModeEntry
from handlers.help_requests import HelpRequestFlow
from handlers.link import LinkFlow
from handlers.remind import REMIND_FLOW
from handlers.send import SendFlow
from handlers.settings import SettingsFlow

GROUP_TRACK = -7  # who is writing, and in which language
GROUP_PRIVACY = -6  # resident registration numbers never get further than this
GROUP_NOT_OURS = -5  # commands addressed to another bot (/x@other_bot): silence, in any chat
GROUP_PRIVATE_ONLY = -4  # groups get an invitation to a private chat, nothing personal
GROUP_STAFF_ONLY = -3  # staff commands and staff buttons, refused to everyone else
# A staff member's reply to a help request's copy is the answer, whatever flow they have open.
GROUP_HELP_REPLIES = -2
GROUP_FLOWS = -1  # the open flow's text and buttons, /cancel, commands that enter flows
GROUP_FEATURES = 0

# Every flow, each one handlers file (+ one services file): see handlers/flows.py.
FLOWS = (
    LinkFlow(),
    SettingsFlow(),
    GUIDE_FLOW,
    SendFlow(),
    HelpRequestFlow(),
    BROADCAST_FLOW,
    REMIND_FLOW,
)


# With no gateway (guide mode), /link, /status and /send lead through the sites instead.
GUIDE_MODE_FLOWS = (
    GuideModeEntry(),
    *(f for f in FLOWS if not isinstance(f, LinkFlow | SendFlow)),
)


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Adds every handler; whether a gateway answers is asked here, once."""
    no_gateway = app.bot_data.services.guide_mode is not None
    app.add_handler(TypeHandler(Update, guards.track_user), group=GROUP_TRACK)
    app.add_handler(
        MessageHandler(
            (filters.TEXT | filters.CAPTION) & filters.UpdateType.MESSAGES,
            guards.block_resident_numbers,
        ),
        group=GROUP_PRIVACY,
    )
    app.add_handler(
        MessageHandler(filters.COMMAND, guards.ignore_other_bots_commands), group=GROUP_NOT_OURS
    )
    # Edited commands stop here, in one place for every command (see the guard); in groups
    # too, where they would otherwise get the private-chat invitation again. Edited plain
    # text goes on: the privacy guard above has already checked it.
    app.add_handler(
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE & filters.COMMAND, guards.ignore_edited_commands
        ),
        group=GROUP_PRIVATE_ONLY,
    )
    app.add_handler(TypeHandler(Update, guards.private_chat_only), group=GROUP_PRIVATE_ONLY)
    app.add_handler(TypeHandler(Update, staff_guard.staff_only), group=GROUP_STAFF_ONLY)
    app.add_handler(
        MessageHandler(filters.REPLY & filters.UpdateType.MESSAGE, help_requests.staff_reply),
        group=GROUP_HELP_REPLIES,
    )
    flows = GUIDE_MODE_FLOWS if no_gateway else FLOWS
    app.add_handler(TypeHandler(Update, FlowRouter(flows).route), group=GROUP_FLOWS)
    if no_gateway:
        app.add_handlers(guide_mode.handlers(), group=GROUP_FEATURES)

    app.add_handlers(guide.handlers(), group=GROUP_FEATURES)
    app.add_handlers(start.handlers(), group=GROUP_FEATURES)
    app.add_handlers(language.handlers(), group=GROUP_FEATURES)
    app.add_handlers(privacy.handlers(), group=GROUP_FEATURES)
    app.add_handlers(status.handlers(), group=GROUP_FEATURES)
    app.add_handlers(send.handlers(), group=GROUP_FEATURES)
    app.add_handlers(stats.handlers(), group=GROUP_FEATURES)
    app.add_handlers(staff.handlers(), group=GROUP_FEATURES)
    app.add_handlers(staff_invites.handlers(), group=GROUP_FEATURES)
    # /broadcast opens the composer; "/broadcast cancel" is left to the sender's handler.
    app.add_handlers(broadcast.handlers(), group=GROUP_FEATURES)
    # Only "/broadcast cancel"; the composer's /broadcast handlers must not take it first.
    app.add_handlers(broadcast_run.handlers(), group=GROUP_FEATURES)
    # The final report's "resend to the unknown" buttons.
    app.add_handlers(broadcast_resend.handlers(), group=GROUP_FEATURES)
    # Catch-alls last, so they only see what nothing above wanted.
    app.add_handlers(fallback.handlers(), group=GROUP_FEATURES)

    app.add_error_handler(errors.on_error)
