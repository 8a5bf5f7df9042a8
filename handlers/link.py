"""/link: prove which VMS member you are with a one-time code (a flow: ask_id → ask_code)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError

from bot.context import BotContext
from bot.i18n import Html, raw, t
from bot.services import linking
from bot.services.container import Services
from bot.services.errors import Unavailable
from bot.services.flows import Flow, FlowCodec
from bot.services.privacy import mask_id
from core.retry import RetryPolicy
from handlers import formats, guide_keyboards, keyboards, link_views, menu_buttons
from handlers.answers import answer_in_flow, can_ask, center_contact, center_rows, topic_of
from handlers.common import reply
from handlers.feature import Due, Feature
from handlers.flows import (
    Buttons,
    FlowHandler,
    advance_flow,
    close_flow,
    flow_button,
    open_flow,
)

logger = logging.getLogger(__name__)

ASK_ID, ASK_CODE = "ask_id", "ask_code"
CHANGE_ID, NEW_CODE, NO_CODE = "change_id", "new_code", "no_code"


@dataclass(frozen=True)
class LinkData:
    """What /link keeps while open: the code request and the ID it went to (for a new code).

    Closing the flow, its expiry, /forget and the weekly sweep delete them."""

    request_id: str | None = None  # opaque, from the gateway: confirms the code
    vms_id: str | None = None
    # Where that code went (masked, as the gateway gave it) and until when: the same ID typed
    # again is told this again instead of asking for a second code.
    channel: str | None = None
    destination: str | None = None
    expires_at: datetime | None = None


class LinkFlow(FlowHandler[LinkData]):
    """Asks for the VMS ID, has the gateway send a code, and confirms the code."""

    name = "link"
    codec = FlowCodec(LinkData)
    commands = ("link",)
    start_payloads = ("link",)  # the deep link t.me/<bot>?start=link, printed on a poster
    entry_buttons = (menu_buttons.LINK,)
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

    async def text(self, update: Update, context: BotContext, flow: Flow[LinkData]) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        at_code = _at_code(flow)
        if at_code and _code_still_out(context, flow, message.text):
            # The ID the code went to, again: a volunteer unsure it arrived, or this update run
            # a second time after a worker died before recording it. Asking the gateway again
            # would void the first code; the same answer is what either needs.
            await _say(
                update,
                context,
                _code_sent_text(context, flow.data, again=True),
                code_buttons(context.lang, flow),
            )
            return
        # A code or an ID is taken as such first; only text that is neither may be a question.
        if not _looks_like(message.text, at_code):
            topic = topic_of(context.lang, message.text)
            if topic == "forgot_id":
                await _id_help(update, context, flow, "answers.forgot_id")
                return
            # "How do I link?" is this very flow; its own reminder answers it better.
            if topic is not None and topic not in ("greeting", "link_how"):
                hint = "answers.continue.link_code" if at_code else "answers.continue.link_id"
                await answer_in_flow(update, context, topic, hint)
                return
        if at_code:
            await receive_code(update, context, flow)
        else:
            await request_code(update, context, flow, message.text)

    async def other(self, update: Update, context: BotContext, flow: Flow[LinkData]) -> None:
        """Stickers, photos and the like while linking."""
        await reply(update, context, "link.text_only")

    # --- buttons: ✏️ 아이디 바꾸기 / 🔁 인증번호 다시 받기 / 인증번호가 안 와요, under every
    # message of the code step

    async def _no_code(
        self, update: Update, context: BotContext, flow: Flow[LinkData], argument: str
    ) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await _id_help(update, context, flow, "link.no_code")

    async def _new_code(
        self, update: Update, context: BotContext, flow: Flow[LinkData], argument: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        if flow.data.vms_id is None:  # a flow stored before the ID was kept with it
            await self._change_id(update, context, flow, argument)
            return
        await query.answer()
        await _take_buttons_off(query)
        await request_code(update, context, flow, flow.data.vms_id)

    async def _change_id(
        self, update: Update, context: BotContext, flow: Flow[LinkData], argument: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await _take_buttons_off(query)
        # The code asked for goes with the ID it was for.
        if await advance_flow(update, context, flow, ASK_ID, LinkData()) is not None:
            await _say(update, context, t(context.lang, "link.ask_new_id"))

    buttons: ClassVar[Buttons] = {
        (ASK_CODE, CHANGE_ID): _change_id,
        (ASK_CODE, NEW_CODE): _new_code,
        (ASK_CODE, NO_CODE): _no_code,
    }

    async def cancel(self, update: Update, context: BotContext, flow: Flow[LinkData]) -> None:
        """Stops linking; an existing link stays as it was."""
        user = update.effective_user
        assert user is not None
        await close_flow(update, context, flow)
        current = await context.services.links.current(user.id)
        if current is None:
            await reply(update, context, "link.cancelled")
            return
        shown = link_views.pair(context.lang, current.vms_id, current.id_1365_masked)
        await reply(update, context, "link.cancelled_kept", pair=shown)


def _at_code(flow: Flow[LinkData]) -> bool:
    """At the code step with a code asked for: what is typed is read as the code."""
    return flow.step == ASK_CODE and flow.data.request_id is not None


def _code_still_out(context: BotContext, flow: Flow[LinkData], text: str) -> bool:
    """True when `text` is the very ID this flow's code went to, and that code still works."""
    data = flow.data
    if data.vms_id is None or data.destination is None or data.expires_at is None:
        return False  # a flow stored before these were kept with it
    try:
        typed = linking.find_vms_id(text)
    except linking.LinkProblem:
        return False
    now = context.services.clock.now()
    return typed.lower() == data.vms_id.lower() and now < data.expires_at


def _code_sent_text(context: BotContext, data: LinkData, *, again: bool = False) -> Html:
    """Where the code went and how many minutes it has left."""
    assert data.expires_at is not None
    lang = context.lang
    left = (data.expires_at - context.services.clock.now()).total_seconds()
    key = "link.code_sent.email" if data.channel == "email" else "link.code_sent.sms"
    text = t(lang, key, destination=data.destination, minutes=max(1, round(left / 60)))
    return Html(t(lang, "link.code_asked_before") + "\n\n" + text) if again else text


async def stray_code(update: Update, context: BotContext) -> bool:
    """A six-digit code with no /link open, from a linked volunteer: says they are linked
    (True), instead of reading it as chat. Sent twice by a person, or the code's update run
    again after a worker died between closing the flow and recording the update as done."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None or len(message.text) > 20:
        return False
    try:
        linking.find_code(message.text)
    except linking.BadCode:
        return False
    current = await context.services.links.current(user.id)
    if current is None:
        return False
    shown = link_views.pair(context.lang, current.vms_id, current.id_1365_masked)
    await reply(update, context, "link.code_after_linked", pair=shown)
    return True


def _looks_like(text: str, at_code: bool) -> bool:
    """True when the text holds what this step asks for (a code, or one ID-shaped word)."""
    try:
        linking.find_code(text) if at_code else linking.find_vms_id(text)
    except linking.SeveralVmsIds:
        return True  # ID-shaped words: the "which one?" answer fits better than a topic
    except (linking.BadCode, linking.BadVmsId):
        return False
    return True


def code_buttons(lang: str, flow: Flow[LinkData], *, no_code: bool = True) -> InlineKeyboardMarkup:
    """Under every message of the code step: a mistyped ID or a lost code is not a dead end."""
    rows = [
        [
            flow_button(flow, raw(lang, "link.button.change_id"), CHANGE_ID),
            flow_button(flow, raw(lang, "link.button.new_code"), NEW_CODE),
        ]
    ]
    if no_code:
        rows.append([flow_button(flow, raw(lang, "link.button.no_code"), NO_CODE)])
    else:  # the answer to "no code came": where the ID can be found
        rows.append([keyboards.open_vms_button(lang)])
    return InlineKeyboardMarkup(rows)


async def _id_help(update: Update, context: BotContext, flow: Flow[LinkData], key: str) -> None:
    """ "인증번호가 안 와요" / "아이디가 뭔지 모르겠어요": check the ID, change it, or find it on
    the VMS site; never whether the ID exists. The flow stays where it was."""
    lang = context.lang
    if _at_code(flow):
        await _say(update, context, t(lang, key), code_buttons(lang, flow, no_code=False))
        return
    text = Html(t(lang, key) + "\n\n" + t(lang, "link.forgot_id.continue_id"))
    await _say(update, context, text, InlineKeyboardMarkup([[keyboards.open_vms_button(lang)]]))


async def _say(
    update: Update, context: BotContext, text: Html, markup: InlineKeyboardMarkup | None = None
) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text, reply_markup=markup)


async def _take_buttons_off(query: CallbackQuery) -> None:
    """The pressed message's buttons are used up; the answer below carries fresh ones."""
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        # Already without buttons (a double tap): that is what was wanted.
        logger.info("could not take link buttons off: %s", exc.message)


def _wait(lang: str, exc: linking.TooManyRequests | linking.GuessesUsed) -> str:
    """How long until trying again helps, in whole minutes (at least one)."""
    return formats.duration(lang, max(1, math.ceil(exc.retry_after / 60)))


Refusal = tuple[Html, InlineKeyboardMarkup | None]


def _request_refused(
    lang: str, exc: linking.LinkProblem | Unavailable, keep: InlineKeyboardMarkup | None
) -> Refusal | None:
    """What a refused code request says; `keep` (the code step's buttons) stays where the
    earlier code is still worth typing. None for a problem a request does not have."""
    if isinstance(exc, linking.SeveralVmsIds):  # before BadVmsId, which it is a kind of
        return t(lang, "link.several_ids"), keep
    if isinstance(exc, linking.BadVmsId):
        return t(lang, "link.bad_id"), keep
    if isinstance(exc, linking.GuessesUsed):
        return t(lang, "link.guesses_used", wait=_wait(lang, exc)), None
    if isinstance(exc, linking.TooManyRequests):
        # BotBusy first (a kind of TooManyRequests): the whole bot's hourly cap, not theirs.
        key = "link.busy" if isinstance(exc, linking.BotBusy) else "link.too_many"
        # No "send a new code" button: it would only be refused until then. The flow stays
        # open, so a code already received can still be typed.
        return t(lang, key, wait=_wait(lang, exc)), None
    if isinstance(exc, Unavailable):
        return t(lang, "link.unavailable"), keep
    return None


def _code_refused(
    lang: str, exc: linking.LinkProblem | Unavailable, buttons: InlineKeyboardMarkup
) -> Refusal | None:
    """What a refused code says, with the code step's `buttons` where they help. None for a
    problem a code does not have."""
    if isinstance(exc, linking.BadCode):
        return t(lang, "link.bad_code"), buttons
    if isinstance(exc, linking.WrongCode):
        return t(lang, "link.wrong_code", attempts=exc.attempts_left), buttons
    if isinstance(exc, linking.GuessesUsed):
        # No buttons: a new code for this ID would be refused until then; /link takes another.
        return t(lang, "link.guesses_used", wait=_wait(lang, exc)), None
    if isinstance(exc, linking.CodeExpired | linking.RequestLocked):
        # The flow stays open: 🔁 asks for a new code for the same ID, ✏️ for another ID.
        key = "link.expired" if isinstance(exc, linking.CodeExpired) else "link.locked"
        return t(lang, key), buttons
    if isinstance(exc, Unavailable):
        return t(lang, "link.unavailable"), None
    return None


async def request_code(
    update: Update, context: BotContext, flow: Flow[LinkData], typed: str
) -> None:
    """Requests a code for the ID in what the user typed; the request is stored before answering."""
    user = update.effective_user
    assert user is not None
    lang = context.lang
    # At the code step a refusal keeps the earlier code usable, and its buttons with it.
    keep = code_buttons(lang, flow) if flow.step == ASK_CODE else None
    try:
        sent = await context.services.links.request_code(user.id, typed)
    except (linking.LinkProblem, Unavailable) as exc:
        refused = _request_refused(lang, exc, keep)
        if refused is None:
            raise
        await _say(update, context, *refused)
        return
    # The opaque request id confirms the code; the ID itself is kept only for "send a new
    # code", while the flow is open: closing it, /forget and the weekly sweep delete the row.
    data = LinkData(
        sent.request_id, sent.vms_id, sent.channel, sent.destination_masked, sent.expires_at
    )
    stored = await advance_flow(update, context, flow, ASK_CODE, data)
    if stored is None:
        return  # another flow replaced this one meanwhile; the code goes unused
    text = _code_sent_text(context, data)
    if flow.data.request_id is not None:
        # A new code makes the one before it useless: say so, or the older one gets typed.
        text = Html(t(lang, "link.code_resent") + "\n\n" + text)
    await _say(update, context, text, code_buttons(lang, stored))


async def receive_code(update: Update, context: BotContext, flow: Flow[LinkData]) -> None:
    """Confirms the code; on success shows the pair and both consents."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    lang = context.lang
    links = context.services.links
    assert flow.data.request_id is not None  # read as a code only then (_at_code)
    try:
        linked = await links.confirm(user.id, flow.data.request_id, message.text, flow.data.vms_id)
    except (linking.LinkProblem, Unavailable) as exc:
        refused = _code_refused(lang, exc, code_buttons(lang, flow))
        if refused is None:
            raise
        await _say(update, context, *refused)
        return
    shown = link_views.pair(lang, linked.link.vms_id, linked.link.id_1365_masked)
    consents = link_views.consents(lang, linked.member)
    # A consent still to do comes with the guide's button for it (1365 first); with both
    # given, the next step is sending, and /status shows what there is.
    markup = guide_keyboards.consent_keyboard(lang, linked.member) or keyboards.linked_keyboard(
        lang
    )
    await message.reply_text(
        t(lang, "link.done", pair=shown, consents=consents), reply_markup=markup
    )
    # Closed only once the volunteer was told: a worker that dies between storing the link
    # and this reply leaves the flow open, so the update's second run (another worker, after
    # the lease) confirms the same code again, gets the same link from the gateway, and says
    # so, instead of reading the code as chat with no flow open.
    await close_flow(update, context, flow)
    if linked.previous_holder is not None:
        await _tell_previous_holder(context, linked.previous_holder, linked.link.vms_id)


async def _tell_previous_holder(context: BotContext, telegram_id: int, vms_id: str) -> None:
    lang = await context.services.users.language_of(telegram_id, None)
    text = t(lang, "link.taken_over", vms_id=mask_id(vms_id))
    text = Html(text + "\n\n" + center_contact(context, lang))
    rows = center_rows(lang, ask=await can_ask(context, telegram_id))
    markup = InlineKeyboardMarkup(rows) if rows else None
    try:
        await context.bot.send_message(telegram_id, text, reply_markup=markup)
    except TelegramError as exc:
        # They may have blocked the bot; the link is already moved, which is what matters.
        logger.info("could not tell the previous holder of a link: %s", type(exc).__name__)


# --- due work: a revocation the gateway could not take when the link went ---------------------


async def _revoke_owed(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await services.links.revoke_owed(key, payload)


FEATURE = Feature(
    "link",
    flows=(LinkFlow(),),
    # Keeps trying for about ten hours on average (twenty at most); a gateway down for longer
    # is an operator matter, and the one give-up log line tells them.
    due_work={
        linking.REVOKE_LINK: Due(
            _revoke_owed,
            RetryPolicy(max_attempts=12, base=timedelta(minutes=1), cap=timedelta(hours=6)),
        )
    },
)
