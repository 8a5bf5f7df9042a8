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
from datetime import datetime, timedelta, tzinfo

from telegram import InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import CATALOGS, Html, raw, t
from bot.services.flows import Flow
from bot.services.help_requests import (
    REQUEST_ID_ROOM,
    AskerSummary,
    Copy,
    HelpRequest,
    Opened,
    Refusal,
    TooMany,
    too_long,
)
from core.types import LANGUAGES
from handlers.answers import center_contact, center_rows
from handlers.broadcast_run import classify
from handlers.common import reply
from handlers.feature import GROUP_HELP_REPLIES, AnyHandler, Feature
from handlers.flows import FlowHandler, close_flow, open_flow, send_flow_message
from handlers.formats import when
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


def asker_lines(lang: str, asker: AskerSummary, now: datetime, tz: tzinfo) -> Html:
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
            when=when(lang, view.fetched_at, now, tz),
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
        # Measured as Telegram will: the whole staff copy, in each language staff may read.
        asker = await context.services.help_requests.asker(user.id)
        longest = too_long(
            *(_copy_text(context, lang, REQUEST_ID_ROOM, asker, message.text) for lang in LANGUAGES)
        )
        if longest is not None:
            # Nothing is kept (the question is never stored): they shorten it and send again.
            await reply(
                update, context, "help.ask.too_long", over=longest.over, limit=longest.limit
            )
            return  # the flow stays open: they can send it shorter
        opened = await context.services.help_requests.open(user.id)
        await close_flow(update, context, flow)
        if not isinstance(opened, Opened):
            await _say(update, context, _refusal_text(context.lang, opened))
            return
        copies, refused = await _send_copies(context, opened, message.text, asker=user.id)
        if await context.services.help_requests.delivered(opened.request, copies):
            await reply(update, context, "help.ask.sent")
            return
        # Nobody got it and nothing was kept: say so plainly, with the real reason (no staff
        # reachable, or Telegram failed us), the center's own contact and the way back.
        lang = context.lang
        why = "help.ask.failed" if refused else "help.ask.nobody"
        await message.reply_text(
            Html(t(lang, why) + "\n\n" + center_contact(context)),
            reply_markup=InlineKeyboardMarkup(center_rows(lang)),
        )

    async def other(self, update: Update, context: BotContext, flow: Flow) -> None:
        await reply(update, context, "help.ask.text_only")


async def _say(update: Update, context: BotContext, text: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text)


def _copy_text(
    context: BotContext, lang: str, request_id: int, asker: AskerSummary, question: str
) -> Html:
    return t(
        lang,
        "help.staff.copy",
        id=request_id,
        asker=asker_lines(lang, asker, context.services.clock.now(), context.services.settings.tz),
        question=question,
    )


async def _send_copies(
    context: BotContext, opened: Opened, question: str, *, asker: int
) -> tuple[list[Copy], bool]:
    """The copies delivered, and whether Telegram refused or lost one for a reason other
    than that staff member being out of reach (blocked, gone)."""
    services = context.services
    copies: list[Copy] = []
    refused = False
    for staff_id in opened.staff:
        if staff_id == asker:
            continue
        known = await services.users.get(staff_id)
        if known is None or known.blocked_at is not None:
            # An admin who never wrote to the bot, or someone who blocked it: Telegram would
            # refuse the message ("chat not found", 403), so it is not sent.
            continue
        lang = await services.users.language_of(staff_id, None)
        text = _copy_text(context, lang, opened.request.id, opened.asker, question)
        try:
            sent = await context.bot.send_message(staff_id, text)
        except TelegramError as exc:
            # A staff member who blocked the bot meanwhile: the others still get it.
            logger.warning("a help request copy could not be sent: %s", type(exc).__name__)
            kind = classify(exc).kind
            if kind == "blocked":
                await services.users.blocked_us(staff_id)
            refused = refused or kind not in ("blocked", "gone")
            continue
        copies.append(Copy(sent.chat_id, sent.message_id))
    return copies, refused


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


async def _say_undelivered(
    update: Update, context: BotContext, exc: TelegramError, volunteer: int
) -> None:
    """Tells the staff member why the answer did not go: only a 403 is "blocked"."""
    result = classify(exc)
    if result.kind in ("blocked", "gone"):
        # No longer counted as reachable, nor their request as waiting (open_count); both
        # come back if they write again.
        await context.services.users.blocked_us(volunteer)
        key = "help.answer.blocked" if result.kind == "blocked" else "help.answer.account_gone"
        await reply(update, context, key)
    elif result.kind == "rejected":
        await reply(update, context, "help.answer.rejected", reason=result.detail or "")
    else:  # a 429, or the network: Telegram may or may not have it
        await reply(update, context, "help.answer.undelivered")


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
    volunteer_lang = await services.users.language_of(request.telegram_id, None)
    relayed = t(volunteer_lang, "help.answer.to_volunteer", id=request.id, answer=message.text)
    longest = too_long(relayed)  # as Telegram counts it, the heading included
    if longest is not None:
        await reply(update, context, "help.answer.too_long", over=longest.over, limit=longest.limit)
        return
    answered = await services.help_requests.answer(request, user.id)
    if answered is None:
        await reply(update, context, "help.answer.already")
        return
    try:
        await context.bot.send_message(request.telegram_id, relayed)
    except TelegramError as exc:
        logger.warning("a help answer could not be delivered: %s", type(exc).__name__)
        await services.help_requests.undo(request, user.id)
        await _say_undelivered(update, context, exc, request.telegram_id)
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


def _guards() -> list[tuple[int, AnyHandler]]:
    return [
        (
            GROUP_HELP_REPLIES,
            MessageHandler(filters.REPLY & filters.UpdateType.MESSAGE, staff_reply),
        )
    ]


FEATURE = Feature("help requests", flows=(HelpRequestFlow(),), guards=_guards)
