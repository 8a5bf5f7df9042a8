"""'센터에 문의': the volunteer's question as a flow, the staff copies, and staff replies.

A volunteer presses "센터에 문의" (from /help, or any screen that uses ASK_CENTER) and writes
one message. Every admin and staff member gets a copy with the volunteer's masked status
summary. A staff member answers by replying to their copy (Telegram's reply); the bot relays
the answer, the request closes, and the other staff are told who answered, as a reply to
their own copy. Staff replies are read in their own handler group, before the flow router,
so a staff member in the middle of another flow can still answer.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta, tzinfo

from telegram import InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.i18n import CATALOGS, Html, raw, t
from bot.services.flows import Flow
from bot.services.help_requests import (
    MAX_ANSWER,
    MAX_QUESTION,
    AskerSummary,
    Copy,
    HelpRequest,
    Opened,
    Refusal,
    TooMany,
)
from core.types import LANGUAGES
from handlers.answers import center_contact, center_rows
from handlers.common import reply
from handlers.flows import FlowHandler, close_flow, open_flow, send_flow_message
from handlers.formats import date_time
from handlers.keyboards import ASK_CENTER

# The button other screens (/help, the center's contact, the guide's stuck answers) use to
# open a request; it lives in keyboards so those screens need not import this module.
from handlers.staff_guard import require_staff

logger = logging.getLogger(__name__)

WRITE = "write"


def _refusal_text(lang: str, refusal: Refusal) -> Html:
    if isinstance(refusal, TooMany):
        return t(lang, "help.ask.too_many", count=refusal.open)
    minutes = max(1, -(-int(refusal.wait / timedelta(seconds=1)) // 60))
    return t(lang, "help.ask.too_soon", minutes=minutes)


def asker_lines(lang: str, asker: AskerSummary, tz: tzinfo) -> Html:
    """What staff see about the volunteer: masked VMS ID, consents, unsent and failed."""
    if not asker.linked:
        return t(lang, "help.staff.not_linked")
    lines = [t(lang, "help.staff.linked", vms_id=asker.vms_id_masked)]
    view = asker.status
    if view is None:
        lines.append(t(lang, "help.staff.no_status"))
        return Html("\n".join(lines))
    member = view.summary.member

    def agreed(ok: bool) -> str:
        return raw(lang, "help.staff.agreed" if ok else "help.staff.not_agreed")

    # A 1365 consent whose account is gone carries nothing: never "done" (as in /status).
    consent_1365 = (
        agreed(member.consent_1365.agreed)
        if member.account_1365 == "active"
        else raw(lang, "help.staff.account_gone")
    )
    lines.append(
        t(
            lang,
            "help.staff.consents",
            consent_1365=consent_1365,
            consent_vms=agreed(member.consent_vms.agreed),
        )
    )
    lines.append(
        t(
            lang,
            "help.staff.counts",
            unsent=view.summary.unsent.count,
            failed=view.summary.failed.count,
            when=date_time(lang, view.fetched_at, tz),
        )
    )
    return Html("\n".join(lines))


class HelpRequestFlow(FlowHandler):
    """One question, written in one message."""

    name = "help_request"
    start_payloads = ("ask",)
    entry_buttons = (ASK_CENTER,)
    lifetime = timedelta(minutes=30)
    expired_key = "help.ask.expired"

    async def enter(self, update: Update, context: BotContext) -> None:
        user = update.effective_user
        assert user is not None
        refusal = await context.services.help_requests.may_ask(user.id)
        if refusal is not None:
            await context.services.flows.close(user.id)
            await _say(update, context, _refusal_text(context.lang, refusal))
            return
        flow = await open_flow(update, context, self, WRITE)
        await send_flow_message(update, context, flow, t(context.lang, "help.ask.prompt"))

    async def text(self, update: Update, context: BotContext, flow: Flow) -> None:
        message, user = update.message, update.effective_user
        assert message is not None and message.text is not None and user is not None
        if len(message.text) > MAX_QUESTION:
            await reply(update, context, "help.ask.too_long", max=MAX_QUESTION)
            return  # the flow stays open: they can send it shorter
        opened = await context.services.help_requests.open(user.id)
        await close_flow(update, context, flow)
        if not isinstance(opened, Opened):
            await _say(update, context, _refusal_text(context.lang, opened))
            return
        copies = await _send_copies(context, opened, message.text, asker=user.id)
        if await context.services.help_requests.delivered(opened.request, copies):
            await reply(update, context, "help.ask.sent")
            return
        # Nobody got it and nothing was kept: say so plainly, with the center's own contact
        # and the way back to asking once someone can be reached.
        lang = context.lang
        await message.reply_text(
            Html(t(lang, "help.ask.nobody") + "\n\n" + center_contact(context)),
            reply_markup=InlineKeyboardMarkup(center_rows(lang)),
        )

    async def other(self, update: Update, context: BotContext, flow: Flow) -> None:
        await reply(update, context, "help.ask.text_only")


async def _say(update: Update, context: BotContext, text: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text)


async def _send_copies(
    context: BotContext, opened: Opened, question: str, *, asker: int
) -> list[Copy]:
    services = context.services
    copies: list[Copy] = []
    for staff_id in opened.staff:
        if staff_id == asker:
            continue
        known = await services.users.get(staff_id)
        if known is None or known.blocked_at is not None:
            # An admin who never wrote to the bot, or someone who blocked it: Telegram would
            # refuse the message ("chat not found", 403), so it is not sent.
            continue
        lang = await services.users.language_of(staff_id, None)
        text = t(
            lang,
            "help.staff.copy",
            id=opened.request.id,
            asker=asker_lines(lang, opened.asker, services.settings.tz),
            question=question,
        )
        try:
            sent = await context.bot.send_message(staff_id, text)
        except TelegramError as exc:
            # A staff member who blocked the bot meanwhile: the others still get it.
            logger.warning("a help request copy could not be sent: %s", type(exc).__name__)
            if isinstance(exc, Forbidden):
                await services.users.blocked_us(staff_id)
            continue
        copies.append(Copy(sent.chat_id, sent.message_id))
    return copies


async def staff_reply(update: Update, context: BotContext) -> None:
    """A reply to a help request's copy is the answer; anything else passes on untouched."""
    message = update.message
    if message is None or message.reply_to_message is None:
        return
    target = message.reply_to_message
    if target.from_user is None or target.from_user.id != context.bot.id:
        return
    if message.text is not None and message.text.startswith("/"):
        return  # a command typed as a reply is still a command
    services = context.services
    request = await services.help_requests.request_behind(message.chat_id, target.message_id)
    if request is None and not is_help_copy(target.text):
        return
    if not await require_staff(update, context):
        raise ApplicationHandlerStop  # removed from the staff since the copy came
    if request is None:
        # A copy whose request is gone (the volunteer used /forget): nothing to answer.
        await reply(update, context, "help.answer.gone")
        raise ApplicationHandlerStop
    await _answer(update, context, message, request)
    raise ApplicationHandlerStop


def _copy_headings() -> re.Pattern[str]:
    """The first line of a staff copy in any language ("📩 문의 #12"), as Telegram gives the
    text back (without the HTML)."""
    heads = []
    for lang in LANGUAGES:
        first = CATALOGS[lang]["help.staff.copy"].split("\n", 1)[0]
        plain = re.sub(r"<[^>]+>", "", first)
        heads.append(re.escape(plain).replace(re.escape("{id}"), r"\d+"))
    return re.compile("|".join(f"(?:{h})" for h in heads))


_COPY_HEADING = _copy_headings()


def is_help_copy(text: str | None) -> bool:
    """Whether a bot message is a help request's staff copy, even once its request is gone."""
    return text is not None and _COPY_HEADING.match(text) is not None


async def _answer(
    update: Update, context: BotContext, message: Message, request: HelpRequest
) -> None:
    user = update.effective_user
    assert user is not None
    services = context.services
    if not message.text:
        await reply(update, context, "help.answer.text_only")
        return
    if len(message.text) > MAX_ANSWER:
        await reply(update, context, "help.answer.too_long", max=MAX_ANSWER)
        return
    answered = await services.help_requests.answer(request, user.id)
    if answered is None:
        await reply(update, context, "help.answer.already")
        return
    volunteer_lang = await services.users.language_of(request.telegram_id, None)
    try:
        await context.bot.send_message(
            request.telegram_id,
            t(volunteer_lang, "help.answer.to_volunteer", id=request.id, answer=message.text),
        )
    except TelegramError as exc:
        logger.warning("a help answer could not be delivered: %s", type(exc).__name__)
        await services.help_requests.undo(request, user.id)
        if isinstance(exc, Forbidden):
            # They blocked the bot: no longer counted as reachable, nor their request as
            # waiting (open_count); both come back if they write again.
            await services.users.blocked_us(request.telegram_id)
            await reply(update, context, "help.answer.blocked")
        else:
            await reply(update, context, "help.answer.undelivered")
        return
    await reply(update, context, "help.answer.relayed")
    for copy in answered.copies:
        if copy.chat_id == message.chat_id:
            continue
        lang = await services.users.language_of(copy.chat_id, None)
        try:
            await context.bot.send_message(
                copy.chat_id,
                t(lang, "help.answer.by_other", name=user.first_name),
                reply_parameters=ReplyParameters(copy.message_id, allow_sending_without_reply=True),
            )
        except TelegramError as exc:
            logger.warning("a staff copy could not be told: %s", type(exc).__name__)
