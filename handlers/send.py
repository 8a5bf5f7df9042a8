"""/send: a flow (confirm, or warn → confirm anyway) and the due work that tells the results.

The idempotency key comes from the confirmation's flow token
(bot/services/sending/gateway_rules.py), so a double tap, a redelivered update or a second
device pressing the same prompt make one transmission. After the send the flow is closed: a
later press of that prompt is stale.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from telegram import Bot, CallbackQuery, Update
from telegram.error import Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services import sending
from bot.services.container import Services
from bot.services.flows import Flow, FlowCodec
from core.retry import RetryPolicy
from handlers import send_buttons, send_views
from handlers.common import edit_in_place
from handlers.feature import Due, Feature
from handlers.flows import (
    ANY_STEP,
    Buttons,
    FlowHandler,
    close_flow,
    edit_flow_message,
    open_flow,
    send_flow_message,
)
from handlers.guide import open_guide

logger = logging.getLogger(__name__)

# /send results may take hours; keep polling through a long gateway outage (about a day).
SEND_RETRIES = RetryPolicy(max_attempts=30, base=timedelta(seconds=30), cap=timedelta(hours=1))

CONFIRM, WARN, CONFIRM_ANYWAY = "confirm", "warn_1365", "confirm_anyway"


@dataclass(frozen=True)
class SendData:
    """What the confirmation keeps: the records chosen on /status (None: everything unsent
    and failed) and the warning shown first, if any. Never in button data."""

    record_ids: tuple[str, ...] | None = None
    warning: sending.SendWarning | None = None


class SendFlow(FlowHandler[SendData]):
    name = "send"
    codec = FlowCodec(SendData)
    commands = ("send",)
    start_payloads = ("send",)
    # The /status screen's button and the result message's "send again" enter here.
    entry_buttons = (send_buttons.START,)
    lifetime = timedelta(minutes=30)

    async def enter(
        self,
        update: Update,
        context: BotContext,
        *,
        refs: list[str] | None = None,
        failed_only: bool = False,
        query: CallbackQuery | None = None,
    ) -> None:
        """Checks, then confirms; `refs`/`failed_only` come from the /status list's buttons,
        whose press (`query`, not yet answered) is answered here exactly once."""
        user, chat = update.effective_user, update.effective_chat
        assert user is not None and chat is not None
        services = context.services
        try:
            ready = await services.sending.check(user.id, refs=refs, failed_only=failed_only)
        except sending.RecordUnknown:
            # A forged ref, another user's, or one gone since a refresh: a toast, nothing else.
            if query is not None:
                await query.answer(raw(context.lang, "send.record_unknown"), show_alert=True)
            return
        except sending.ServiceProblem as exc:
            await services.flows.close(user.id)  # an older prompt must not send meanwhile
            if query is not None:
                await query.answer()
            text, markup = send_views.problem(
                context.lang, exc, services.clock.now(), services.settings.tz
            )
            await context.bot.send_message(chat.id, text, reply_markup=markup)
            return
        if query is not None:
            await query.answer()
        step = CONFIRM if ready.warning is None else WARN
        data = SendData(ready.record_ids, ready.warning)
        flow = await open_flow(update, context, self, step, data)
        text, markup = send_views.prompt(context.lang, flow, ready)
        await send_flow_message(update, context, flow, text, markup)

    # --- buttons ---------------------------------------------------------------------------

    async def _cancel(
        self, update: Update, context: BotContext, flow: Flow[SendData], argument: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await close_flow(update, context, flow)
        await edit_in_place(context, query, t(context.lang, "send.cancelled"))

    async def _guide(
        self, update: Update, context: BotContext, flow: Flow[SendData], argument: str
    ) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await open_guide(update, context, "1365")  # replaces this flow

    async def _anyway(
        self, update: Update, context: BotContext, flow: Flow[SendData], argument: str
    ) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        text, markup = send_views.confirm_anyway(context.lang, flow, flow.data.warning)
        await edit_flow_message(update, context, flow, text, markup, step=CONFIRM_ANYWAY)

    async def _go(
        self, update: Update, context: BotContext, flow: Flow[SendData], argument: str
    ) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await _send(update, context, flow)

    buttons: ClassVar[Buttons] = {
        (ANY_STEP, "cancel"): _cancel,
        (ANY_STEP, "guide"): _guide,
        (WARN, "anyway"): _anyway,
        (CONFIRM, "go"): _go,
        (CONFIRM_ANYWAY, "go"): _go,
    }

    async def cancel(self, update: Update, context: BotContext, flow: Flow[SendData]) -> None:
        await close_flow(update, context, flow)
        message = update.effective_message
        assert message is not None
        await message.reply_text(t(context.lang, "send.cancelled"))


async def _send(update: Update, context: BotContext, flow: Flow[SendData]) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    services = context.services
    # The gateway may take seconds: the prompt loses its buttons at once, so it reads as done.
    # Each edit is stored with the flow first: a second run of this press (its worker died
    # before recording it) reads what the prompt shows from the flow row, and sends no edit
    # Telegram would refuse as "not modified".
    flow = await edit_flow_message(update, context, flow, t(context.lang, "send.sending")) or flow
    try:
        chosen = flow.data.record_ids
        record_ids = list(chosen) if chosen is not None else None
        sent = await services.sending.send(user.id, flow.token, record_ids=record_ids)
    except sending.ServiceProblem as exc:
        text, markup = send_views.problem(
            context.lang, exc, services.clock.now(), services.settings.tz
        )
        await edit_flow_message(update, context, flow, text, markup)
        await close_flow(update, context, flow)
        return
    key = "send.sent" if sent.settled else "send.settling"
    if sent.repeated:
        key = "send.sent_already"
    await edit_flow_message(update, context, flow, t(context.lang, key))
    # Closed only once the prompt says what happened: a worker that dies before this edit
    # leaves the flow open, so the press's second run (another worker, after the lease)
    # finds it, and the send's key answers "sent already" instead of a stale button.
    await close_flow(update, context, flow)


async def _guide(update: Update, context: BotContext) -> None:
    """The guide button of a refusal or a result message (outside any flow)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    pressed = send_buttons.parse(query.data)
    assert pressed is not None and pressed.site is not None  # the handler's pattern
    await open_guide(update, context, pressed.site)


_FLOW = SendFlow()


async def _resend(update: Update, context: BotContext) -> None:
    """The /status list's resend buttons: one failed record (by its ref) or all failed ones."""
    query = update.callback_query
    assert query is not None and query.data is not None
    pressed = send_buttons.parse(query.data)
    if pressed is None or pressed.action not in ("failed", "record"):
        await query.answer(raw(context.lang, "send.record_unknown"), show_alert=True)
        return
    if pressed.ref is None:
        await _FLOW.enter(update, context, failed_only=True, query=query)
    else:
        await _FLOW.enter(update, context, refs=[pressed.ref], query=query)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CallbackQueryHandler(_guide, pattern=send_buttons.GUIDE_PATTERN),
        CallbackQueryHandler(_resend, pattern=send_buttons.RESEND_PATTERN),
    ]


# --- due work: messages that come later -------------------------------------------------------


async def tell(bot: Bot, services: Services, telegram_id: int, text: str, markup: Any) -> None:
    """A message of due work to one volunteer; a block is noted, not retried."""
    try:
        await bot.send_message(telegram_id, text, reply_markup=markup)
    except Forbidden:
        # They blocked the bot: noted, and the item completes (a retry would only fail again).
        await services.users.blocked_us(telegram_id)


async def deliver_result(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    """SEND_RESULT: polls the transmission; once complete, one message, then marked told.

    At least once (README: delivery rules): everything is worked out before sendMessage and
    one commit follows it, so only a crash between Telegram's answer and that commit repeats
    the message. A refusal found while settling is told at most once (see
    bot/services/sending/service.py).
    """
    outcome = await services.sending.poll(payload)
    if outcome is None:
        return
    lang = await services.users.language_of(outcome.telegram_id, None)
    tz, now = services.settings.tz, services.clock.now()
    if isinstance(outcome, sending.Refused):
        await tell(
            bot, services, outcome.telegram_id, send_views.refused(lang, outcome, now, tz), None
        )
        return
    if isinstance(outcome, sending.Stalled):
        report = await services.sending.report(payload, None)
        await tell(bot, services, outcome.telegram_id, t(lang, "send.stalled"), None)
        await services.sending.reported(report)
        return
    if isinstance(outcome, sending.Unknowable):
        key = "send.result.unknowable_accepted" if outcome.accepted else "send.result.unknowable"
        report = await services.sending.report(payload, None)  # an accepted one: now told
        await tell(bot, services, outcome.telegram_id, t(lang, key), None)
        await services.sending.reported(report)
        return
    text, markup = send_views.result(lang, outcome, now, tz)
    report = await services.sending.report(payload, outcome)
    await tell(bot, services, outcome.telegram_id, text, markup)
    await services.sending.reported(report)


async def result_given_up(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    """SEND_RESULT given up: the volunteer learns the result will not come by itself.

    At most once: the poller runs this once, after the give-up is committed."""
    stalled = await services.sending.gave_up(payload)
    if stalled is None:
        return
    lang = await services.users.language_of(stalled.telegram_id, None)
    report = await services.sending.report(payload, None)
    await tell(bot, services, stalled.telegram_id, t(lang, "send.stalled"), None)
    await services.sending.reported(report)


async def deliver_visible(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    """SEND_VISIBLE: at the gateway's visible_on_1365_at, "look on 1365 now" (at least once,
    like the result: one write after sendMessage)."""
    due = await services.sending.visible(payload)
    if due is None:
        return
    lang = await services.users.language_of(due.telegram_id, None)
    lines = await services.status.lines(due.telegram_id, due.record_ids)
    text, markup = send_views.visible(lang, due.count, lines)
    await tell(bot, services, due.telegram_id, text, markup)
    await services.sending.visible_told(due)


async def _resume_open_claims(bot: Bot, services: Services) -> None:
    # A send claimed just before a crash, before its settle item was written, gets one.
    await services.sending.resume_open_claims()


FEATURE = Feature(
    "send",
    flows=(_FLOW,),
    handlers=handlers,
    due_work={
        sending.SEND_RESULT: Due(deliver_result, SEND_RETRIES, on_give_up=result_given_up),
        sending.SEND_VISIBLE: Due(deliver_visible, SEND_RETRIES),
    },
    # Each process: a restart after a crash must settle the claims it left, even when
    # another worker did the deployment's start-up a moment ago.
    on_process_start=(_resume_open_claims,),
)
