"""'센터에 문의': the volunteer's question as a flow, the staff copies, and staff replies.

A volunteer presses "센터에 문의" (from /help, or any screen that uses help_buttons.ASK) and writes
one message. Every admin and staff member gets a copy with the volunteer's masked status
summary. A staff member answers by replying to their copy (Telegram's reply); the bot relays
the answer, the request closes, and the other staff are told who answered, as a reply to
their own copy. Staff replies are read in their own handler group, before the flow router,
so a staff member in the middle of another flow can still answer. The button is offered only
where a staff member can receive the question; a kept question is delivered later (DELIVER) or
expires (EXPIRE), both due work run here, since they send messages.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import CATALOGS, Html, raw, t
from bot.services.container import Services
from bot.services.flows import NO_DATA, Flow, NoData
from bot.services.help_requests import (
    DELIVER,
    EXPIRE,
    REQUEST_ID_ROOM,
    AskerSummary,
    Copy,
    HelpRequest,
    Opened,
    Refusal,
    TooMany,
    too_long,
)
from core.retry import RetryPolicy
from core.types import LANGUAGES
from handlers.answers import center_contact, linked
from handlers.answers import menu as questions_menu
from handlers.broadcast_run import classify
from handlers.common import reply
from handlers.feature import GROUP_HELP_REPLIES, AnyHandler, Due, Feature
from handlers.flows import FlowHandler, close_flow, open_flow, send_flow_message
from handlers.formats import when
from handlers.help_buttons import ASK

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


class HelpRequestFlow(FlowHandler[NoData]):
    """One question, written in one message."""

    name = "help_request"
    codec = NO_DATA
    start_payloads = ("ask",)
    entry_buttons = (ASK,)
    lifetime = timedelta(minutes=30)
    expired_key = "help.ask.expired"

    async def enter(self, update: Update, context: BotContext) -> None:
        user = update.effective_user
        assert user is not None
        if not await context.services.help_requests.can_ask(user.id):
            # Nobody on the staff can receive it (none, or none ever wrote to the bot): say so
            # before they write, and point at what can help instead.
            await context.services.flows.close(user.id)
            text, markup = no_receiver(context, linked=await linked(context, user.id))
            chat = update.effective_chat
            assert chat is not None
            await context.bot.send_message(chat.id, text, reply_markup=markup)
            return
        refusal = await context.services.help_requests.may_ask(user.id)
        if refusal is not None:
            await context.services.flows.close(user.id)
            await _say(update, context, _refusal_text(context.lang, refusal))
            return
        flow = await open_flow(update, context, self, WRITE)
        await send_flow_message(update, context, flow, t(context.lang, "help.ask.prompt"))

    async def text(self, update: Update, context: BotContext, flow: Flow[NoData]) -> None:
        message, user = update.message, update.effective_user
        assert message is not None and message.text is not None and user is not None
        # Measured as Telegram will: the whole staff copy, in each language staff may read.
        asker = await context.services.help_requests.asker(user.id)
        tz, now = context.services.settings.tz, context.services.clock.now()
        longest = too_long(
            *(_copy_text(now, tz, lang, REQUEST_ID_ROOM, asker, message.text) for lang in LANGUAGES)
        )
        if longest is not None:
            # Nothing is kept until it fits: they shorten it and send again.
            await reply(
                update, context, "help.ask.too_long", over=longest.over, limit=longest.limit
            )
            return  # the flow stays open: they can send it shorter
        opened = await context.services.help_requests.open(user.id, message.text)
        await close_flow(update, context, flow)
        if not isinstance(opened, Opened):
            await _say(update, context, _refusal_text(context.lang, opened))
            return
        copies = await _send_copies(context, opened.request, opened.asker, opened.staff)
        if await context.services.help_requests.delivered(opened.request, copies):
            await reply(update, context, "help.ask.sent")
            return
        # Nobody got it this time (Telegram failed us, or the staff just blocked the bot): the
        # question is kept and tried again until it expires; no button that would fail alike.
        assert opened.request.expires_at is not None
        await reply(
            update,
            context,
            "help.ask.kept",
            until=when(
                context.lang,
                opened.request.expires_at,
                context.services.clock.now(),
                context.services.settings.tz,
            ),
        )

    async def other(self, update: Update, context: BotContext, flow: Flow[NoData]) -> None:
        await reply(update, context, "help.ask.text_only")


async def _say(update: Update, context: BotContext, text: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text)


def _copy_text(
    now: datetime, tz: tzinfo, lang: str, request_id: int, asker: AskerSummary, question: str
) -> Html:
    return t(
        lang,
        "help.staff.copy",
        id=request_id,
        asker=asker_lines(lang, asker, now, tz),
        question=question,
    )


async def _send_copies(
    context: BotContext | _Due, request: HelpRequest, asker: AskerSummary, staff: list[int]
) -> list[Copy]:
    """The copies delivered to these staff members (those the service found reachable)."""
    services = context.services
    assert request.question is not None
    copies: list[Copy] = []
    for staff_id in staff:
        lang = await services.users.language_of(staff_id, None)
        text = _copy_text(
            services.clock.now(), services.settings.tz, lang, request.id, asker, request.question
        )
        try:
            sent = await context.bot.send_message(staff_id, text)
        except TelegramError as exc:
            # A staff member who blocked the bot meanwhile: the others still get it.
            logger.warning("a help request copy could not be sent: %s", type(exc).__name__)
            if classify(exc).kind == "blocked":
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


@dataclass(frozen=True)
class Relayed:
    """What became of an answer: `outcome` is relayed · text_only · too_long (`over`,
    `limit`) · expired · already · blocked · gone · rejected (`reason`) · undelivered.
    Only "relayed" closed the request; after blocked … undelivered it is open again."""

    outcome: str
    over: int = 0
    limit: int = 0
    reason: str = ""


async def relay_answer(
    bot: Bot,
    services: Services,
    request: HelpRequest,
    staff_id: int,
    staff_name: str | None,
    text: str | None,
    *,
    from_chat: int | None = None,
) -> Relayed:
    """The one way an answer reaches a volunteer, from a chat reply or the staff desk: the
    first answer closes the request, the volunteer receives it through the bot, and the
    other staff copies are told who answered (all but `from_chat`, where it was written)."""
    if not text:
        return Relayed("text_only")
    volunteer_lang = await services.users.language_of(request.telegram_id, None)
    relayed = t(volunteer_lang, "help.answer.to_volunteer", id=request.id, answer=text)
    longest = too_long(relayed)  # as Telegram counts it, the heading included
    if longest is not None:
        return Relayed("too_long", over=longest.over, limit=longest.limit)
    if request.expired_at is not None:
        return Relayed("expired")
    answered = await services.help_requests.answer(request, staff_id)
    if answered is None:
        return Relayed("already")
    try:
        await bot.send_message(request.telegram_id, relayed)
    except TelegramError as exc:
        logger.warning("a help answer could not be delivered: %s", type(exc).__name__)
        await services.help_requests.undo(request, staff_id)
        result = classify(exc)
        if result.kind in ("blocked", "gone"):
            # No longer counted as reachable, nor their request as waiting (open_count); both
            # come back if they write again.
            await services.users.blocked_us(request.telegram_id)
            return Relayed(result.kind)
        if result.kind == "rejected":
            return Relayed("rejected", reason=result.detail or "")
        return Relayed("undelivered")  # a 429, or the network: Telegram may or may not have it
    await services.help_requests.relayed(request)
    name = staff_name or await services.staff.name_of(staff_id) or str(staff_id)
    for copy in answered.copies:
        if copy.chat_id == from_chat:
            continue
        lang = await services.users.language_of(copy.chat_id, None)
        try:
            notice = await bot.send_message(
                copy.chat_id,
                t(lang, "help.answer.by_other", name=name),
                reply_parameters=ReplyParameters(copy.message_id, allow_sending_without_reply=True),
            )
        except TelegramError as exc:
            logger.warning("a staff copy could not be told: %s", type(exc).__name__)
            continue
        # A reply to this notice is about the same request: it is told that it was answered,
        # instead of being read as ordinary text.
        await services.help_requests.carried_by(request, Copy(notice.chat_id, notice.message_id))
    return Relayed("relayed")


# The chat's reply for each outcome of relay_answer.
_RELAYED_KEYS = {
    "relayed": "help.answer.relayed",
    "text_only": "help.answer.text_only",
    "too_long": "help.answer.too_long",
    "expired": "help.answer.expired",
    "already": "help.answer.already",
    "blocked": "help.answer.blocked",
    "gone": "help.answer.account_gone",
    "rejected": "help.answer.rejected",
    "undelivered": "help.answer.undelivered",
}


async def _answer(
    update: Update, context: BotContext, message: Message, request: HelpRequest
) -> None:
    user = update.effective_user
    assert user is not None
    done = await relay_answer(
        context.bot,
        context.services,
        request,
        user.id,
        user.first_name,
        message.text,
        from_chat=message.chat_id,
    )
    key = _RELAYED_KEYS[done.outcome]
    if done.outcome == "too_long":
        await reply(update, context, key, over=done.over, limit=done.limit)
    elif done.outcome == "rejected":
        await reply(update, context, key, reason=done.reason)
    else:
        await reply(update, context, key)


def no_receiver(context: BotContext, *, linked: bool) -> tuple[Html, InlineKeyboardMarkup]:
    """No staff member can receive a question: the center's contact when it is set, else
    plainly that the bot takes no questions here, with the guide and the common questions."""
    lang = context.lang
    if context.services.settings.center_contact:
        text = Html(t(lang, "help.ask.no_staff") + "\n\n" + center_contact(context))
    else:
        text = t(lang, "help.ask.no_staff_no_contact")
    return text, questions_menu(lang, linked=linked)


@dataclass(frozen=True)
class _Due:
    """What the due-work handlers send with: the bot and the services (no update here)."""

    bot: Bot
    services: Services


async def _deliver(due: _Due, key: str, payload: dict[str, Any]) -> None:
    """Tries again to get each kept question to the staff; fails (and is retried with
    backoff) while one still reaches nobody. Expiry ends it (EXPIRE)."""
    telegram_id = int(key)
    help_requests = due.services.help_requests
    pending = await help_requests.undelivered(telegram_id)
    if not pending:
        return
    asker = await help_requests.asker(telegram_id)
    staff = await help_requests.receivers(telegram_id)
    missing = 0
    for request in pending:
        copies = await _send_copies(due, request, asker, staff)
        if not copies:
            missing += 1
            continue
        await help_requests.delivered(request, copies)
        lang = await due.services.users.language_of(telegram_id, None)
        await _tell(due, telegram_id, t(lang, "help.ask.delivered_late", id=request.id))
    if missing:
        raise RuntimeError(f"{missing} question(s) still reach no staff member")


async def _expire(due: _Due, key: str, payload: dict[str, Any]) -> None:
    """Tells the volunteer, once, about each question that expired unanswered."""
    telegram_id = int(key)
    expired = await due.services.help_requests.expire_due(telegram_id)
    if not expired:
        return
    lang = await due.services.users.language_of(telegram_id, None)
    tz, now = due.services.settings.tz, due.services.clock.now()
    for request in expired:
        asked = when(lang, request.created_at, now, tz)
        text = t(lang, "help.ask.expired_unanswered", when=asked)
        await _tell(due, telegram_id, text)


async def _tell(due: _Due, telegram_id: int, text: str) -> None:
    # At most once: the store already says it happened, so a failed message is not repeated.
    try:
        await due.bot.send_message(telegram_id, text)
    except Forbidden:
        await due.services.users.blocked_us(telegram_id)
    except TelegramError as exc:
        logger.info("a help request notice could not be sent: %s", type(exc).__name__)


async def _deliver_due(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await _deliver(_Due(bot, services), key, payload)


async def _expire_due(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await _expire(_Due(bot, services), key, payload)


# Kept questions: tried again for about two days (a question expires after 14), then they wait
# for EXPIRE, which tells the volunteer.
_QUESTION_RETRIES = RetryPolicy(max_attempts=40, base=timedelta(minutes=1), cap=timedelta(hours=2))


def _guards() -> list[tuple[int, AnyHandler]]:
    return [
        (
            GROUP_HELP_REPLIES,
            MessageHandler(filters.REPLY & filters.UpdateType.MESSAGE, staff_reply),
        )
    ]


FEATURE = Feature(
    "help requests",
    flows=(HelpRequestFlow(),),
    guards=_guards,
    due_work={
        DELIVER: Due(_deliver_due, _QUESTION_RETRIES),
        EXPIRE: Due(_expire_due),
    },
)
