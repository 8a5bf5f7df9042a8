"""/link: prove which VMS member you are with a one-time code (a flow: ask_id → ask_code)."""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import t
from bot.services import linking
from bot.services.flows import Flow
from bot.services.privacy import mask_id
from handlers import formats, guide_keyboards, link_views
from handlers.common import reply
from handlers.flows import FlowHandler, advance_flow, close_flow, open_flow

logger = logging.getLogger(__name__)

ASK_ID, ASK_CODE = "ask_id", "ask_code"


class LinkFlow(FlowHandler):
    """Asks for the VMS ID, has the gateway send a code, and confirms the code."""

    name = "link"
    commands = ("link",)
    start_payloads = ("link",)  # the deep link t.me/<bot>?start=link, printed on a poster
    entry_buttons = ("menu:link",)
    # A code lives ten minutes; a half-finished link must not read text typed days later.
    lifetime = timedelta(minutes=30)
    expired_key = "link.stale"

    async def enter(self, update: Update, context: BotContext) -> None:
        """Asks for the VMS ID (showing the current link, if any)."""
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None and user is not None
        current = await context.services.links.current(user.id)
        await open_flow(update, context, self, ASK_ID)
        if current is None:
            text = t(context.lang, "link.ask_id")
        else:
            shown = link_views.pair(context.lang, current.vms_id, current.id_1365_masked)
            text = t(context.lang, "link.already", pair=shown)
        await context.bot.send_message(chat.id, text)

    async def text(self, update: Update, context: BotContext, flow: Flow) -> None:
        if flow.step == ASK_CODE and "request_id" in flow.data:
            await receive_code(update, context, flow)
        else:
            await receive_id(update, context, flow)

    async def other(self, update: Update, context: BotContext, flow: Flow) -> None:
        """Stickers, photos and the like while linking."""
        await reply(update, context, "link.text_only")

    async def cancel(self, update: Update, context: BotContext, flow: Flow) -> None:
        """Stops linking; nothing was saved."""
        await close_flow(update, context, flow)
        await reply(update, context, "link.cancelled")


async def receive_id(update: Update, context: BotContext, flow: Flow) -> None:
    """Requests a code for the ID the user typed; the request is stored before answering."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    try:
        sent = await context.services.links.request_code(user.id, message.text)
    except linking.BadVmsId:
        await message.reply_text(t(context.lang, "link.bad_id"))
        return
    except linking.TooManyRequests as exc:
        wait = formats.duration(context.lang, max(1, math.ceil(exc.retry_after / 60)))
        await message.reply_text(t(context.lang, "link.too_many", wait=wait))
        return
    except linking.Unavailable:
        await message.reply_text(t(context.lang, "link.unavailable"))
        return
    # Only the opaque request id is kept: the VMS ID itself never reaches the flows table.
    if await advance_flow(update, context, flow, ASK_CODE, request_id=sent.request_id) is None:
        return  # another flow replaced this one meanwhile; the code goes unused
    minutes = max(1, round((sent.expires_at - context.services.clock.now()).total_seconds() / 60))
    key = "link.code_sent.email" if sent.channel == "email" else "link.code_sent.sms"
    await message.reply_text(
        t(context.lang, key, destination=sent.destination_masked, minutes=minutes)
    )


async def receive_code(update: Update, context: BotContext, flow: Flow) -> None:
    """Confirms the code; on success shows the pair and both consents."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    links = context.services.links
    try:
        linked = await links.confirm(user.id, str(flow.data["request_id"]), message.text)
    except linking.BadCode:
        await message.reply_text(t(context.lang, "link.bad_code"))
        return
    except linking.WrongCode as exc:
        await message.reply_text(t(context.lang, "link.wrong_code", attempts=exc.attempts_left))
        return
    except (linking.CodeExpired, linking.RequestLocked) as exc:
        await close_flow(update, context, flow)
        key = "link.expired" if isinstance(exc, linking.CodeExpired) else "link.locked"
        await message.reply_text(t(context.lang, key))
        return
    except linking.Unavailable:
        await message.reply_text(t(context.lang, "link.unavailable"))
        return
    await close_flow(update, context, flow)
    shown = link_views.pair(context.lang, linked.link.vms_id, linked.link.id_1365_masked)
    consents = link_views.consents(context.lang, linked.member)
    # A consent still to do comes with the guide's button for it (1365 first).
    markup = guide_keyboards.consent_keyboard(context.lang, linked.member)
    text = t(context.lang, "link.done", pair=shown, consents=consents)
    await message.reply_text(text, reply_markup=markup)
    if linked.previous_holder is not None:
        await _tell_previous_holder(context, linked.previous_holder, linked.link.vms_id)


async def _tell_previous_holder(context: BotContext, telegram_id: int, vms_id: str) -> None:
    lang = await context.services.users.language_of(telegram_id, None)
    try:
        await context.bot.send_message(
            telegram_id, t(lang, "link.taken_over", vms_id=mask_id(vms_id))
        )
    except TelegramError as exc:
        # They may have blocked the bot; the link is already moved, which is what matters.
        logger.info("could not tell the previous holder of a link: %s", type(exc).__name__)
