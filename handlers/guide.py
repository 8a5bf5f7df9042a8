"""/howto: the stepwise consent guide, one message per site, edited in place as the user moves."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services import guide as service
from bot.services.flows import NO_DATA, Flow, NoData
from bot.services.guide import GuideReplaced
from core.types import SITES, Site
from handlers import guide_keyboards as kb
from handlers import guide_views as views
from handlers import menu_buttons
from handlers.answers import answer_in_flow, can_ask, center_contact, topic_of
from handlers.common import edit_in_place, reply
from handlers.feature import Feature
from handlers.flows import FlowHandler, close_flow, open_flow

logger = logging.getLogger(__name__)

GUIDE = "guide"


# --- Telegram out ---------------------------------------------------------------------------


async def _send(
    context: BotContext, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    return await context.bot.send_message(chat_id, text, reply_markup=markup)


async def _send_step(
    context: BotContext, chat_id: int, user_id: int, view: service.StepView
) -> None:
    """Sends a step as the new guide message and remembers it as the current one."""
    sent = await _send(
        context,
        chat_id,
        views.step_text(context.lang, view.site, view.step),
        kb.step_keyboard(context.lang, view.token, view.site, view.step),
    )
    await context.services.guide.shown(user_id, view.token, sent.message_id)


async def _retire(context: BotContext, chat_id: int, message_id: int | None) -> None:
    """Takes the buttons off a guide message that a newer one replaces."""
    if not message_id:
        return
    text = t(context.lang, "guide.replaced")
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
    except BadRequest as exc:
        # Deleted by the user, say: its buttons are harmless anyway (their token is old).
        logger.info("could not retire guide message %s: %s", message_id, exc.message)


async def _open(update: Update, context: BotContext, site: Site | None) -> bool:
    """Opens the guide in this chat; False when there is nothing to walk through."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    opening = await context.services.guide.open(user.id, site)
    await _retire(context, chat.id, opening.replaced_message_id)
    lang = context.lang
    if isinstance(opening, service.ResumeOffer):
        sent = await _send(
            context,
            chat.id,
            t(lang, "guide.resume_offer", where=kb.where(lang, opening.site, opening.step)),
            kb.resume_keyboard(lang, opening.token, opening.site, opening.step),
        )
        await context.services.guide.shown(user.id, opening.token, sent.message_id)
        return True
    if isinstance(opening, service.AlreadyDone):
        markup = views.already_done_keyboard(lang, opening)
        await _send(context, chat.id, views.already_done_text(lang, opening), markup)
        return False
    await _send(context, chat.id, views.intro(lang, opening, guide_mode=_guide_mode(context)))
    await _send_step(context, chat.id, user.id, opening.view)
    return True


async def open_guide(update: Update, context: BotContext, site: str | None = None) -> None:
    """Opens the consent guide, at one site's steps if `site` ("1365" or "vms") is given.

    For other features (a send blocked by a missing consent, say): the guide becomes the open
    flow, exactly as /howto makes it.
    """
    if site is not None and site not in SITES:
        raise ValueError(f"no such site {site!r}; expected one of {SITES}")
    await GUIDE_FLOW.open_at(update, context, site)  # type: ignore[arg-type]


async def _guide_over(context: BotContext, user_id: int) -> None:
    """The guide has nothing left to walk: free text is ordinary text again."""
    await context.services.flows.close(user_id, name=GUIDE)


# --- Telegram in ----------------------------------------------------------------------------


async def press(update: Update, context: BotContext) -> None:
    """Handles any guide button; presses on a replaced guide message are answered, not obeyed."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    pressed = kb.parse(query.data)
    assert pressed is not None  # the handler's pattern admits guide data only
    try:
        await _ACTIONS[pressed.action](query, context, user.id, pressed)
    except GuideReplaced as replaced:
        await _replaced(query, context, user.id, replaced)


async def _go(query: CallbackQuery, context: BotContext, user_id: int, p: kb.Press) -> None:
    assert p.site is not None and p.step is not None
    view = await context.services.guide.go(user_id, p.token, p.site, p.step)
    await query.answer()
    await _edit_step(query, context, view)


async def _edit_step(query: CallbackQuery, context: BotContext, view: service.StepView) -> None:
    lang = context.lang
    await edit_in_place(
        context,
        query,
        views.step_text(lang, view.site, view.step),
        kb.step_keyboard(lang, view.token, view.site, view.step),
    )


async def _done(query: CallbackQuery, context: BotContext, user_id: int, p: kb.Press) -> None:
    assert p.site is not None
    outcome = await context.services.guide.done(user_id, p.token, p.site)
    lang = context.lang
    name = views.consent_name(lang, p.site)
    if isinstance(outcome, service.NotVisible):
        await query.answer()
        key = "guide.not_visible.account" if outcome.account_gone else f"guide.not_visible.{p.site}"
        await edit_in_place(
            context,
            query,
            t(lang, key),
            kb.not_visible_keyboard(lang, p.token, p.site),
        )
        return
    if isinstance(outcome, service.Offline):
        await query.answer()
        await edit_in_place(
            context,
            query,
            t(lang, "guide.offline", consent=name),
            kb.offline_keyboard(lang, p.token, p.site),
        )
        return
    await query.answer()
    await edit_in_place(
        context, query, views.site_closed_text(lang, outcome, guide_mode=_guide_mode(context))
    )
    await _continue(query, context, user_id, outcome.then)


async def _go_on(query: CallbackQuery, context: BotContext, user_id: int, p: kb.Press) -> None:
    assert p.site is not None
    then = await context.services.guide.go_on_unchecked(user_id, p.token, p.site)
    await query.answer()
    name = views.consent_name(context.lang, p.site)
    await edit_in_place(context, query, t(context.lang, "guide.kept_unchecked", consent=name))
    await _continue(query, context, user_id, then)


async def _continue(
    query: CallbackQuery, context: BotContext, user_id: int, then: service.Then
) -> None:
    """After a site is closed: the next site's message, or the closing words."""
    chat_id = _chat_id(query)
    if isinstance(then, service.NextSite):
        await _send_step(context, chat_id, user_id, then.view)
        return
    await _guide_over(context, user_id)
    lang = context.lang
    gm = _guide_mode(context)
    await _send(
        context,
        chat_id,
        views.finished_text(lang, then, guide_mode=gm),
        views.finished_keyboard(lang, then, guide_mode=gm),
    )


def _guide_mode(context: BotContext) -> bool:
    """No gateway: nothing can be checked, and /link leads to the sites instead."""
    return context.services.guide_mode is not None


async def _stuck(query: CallbackQuery, context: BotContext, user_id: int, p: kb.Press) -> None:
    assert p.site is not None and p.step is not None
    await context.services.guide.current(user_id, p.token, p.site)
    await query.answer()
    where = kb.where(context.lang, p.site, p.step)
    await edit_in_place(
        context,
        query,
        t(context.lang, "guide.stuck.menu", where=where),
        kb.stuck_menu(context.lang, p.token, p.site, p.step),
    )


async def _help(query: CallbackQuery, context: BotContext, user_id: int, p: kb.Press) -> None:
    assert p.site is not None and p.step is not None and p.topic is not None
    await context.services.guide.current(user_id, p.token, p.site)
    await query.answer()
    await edit_in_place(
        context,
        query,
        views.topic_text(context.lang, p.site, p.topic),
        kb.answer_keyboard(
            context.lang, p.token, p.site, p.step, ask=await can_ask(context, user_id)
        ),
    )


async def _center(query: CallbackQuery, context: BotContext, user_id: int, p: kb.Press) -> None:
    assert p.site is not None and p.step is not None
    await context.services.guide.current(user_id, p.token, p.site)
    await query.answer()
    await edit_in_place(
        context,
        query,
        t(context.lang, "guide.center", contact=center_contact(context)),
        kb.answer_keyboard(
            context.lang,
            p.token,
            p.site,
            p.step,
            with_center=False,
            ask=await can_ask(context, user_id),
        ),
    )


async def _resume(query: CallbackQuery, context: BotContext, user_id: int, p: kb.Press) -> None:
    view = await context.services.guide.resume(user_id, p.token)
    await query.answer()
    await _edit_step(query, context, view)


async def _restart(query: CallbackQuery, context: BotContext, user_id: int, p: kb.Press) -> None:
    opening = await context.services.guide.restart(user_id, p.token)
    await query.answer()
    lang = context.lang
    if isinstance(opening, service.AlreadyDone):
        await _guide_over(context, user_id)
        markup = views.already_done_keyboard(lang, opening)
        await edit_in_place(context, query, views.already_done_text(lang, opening), markup)
        return
    assert isinstance(opening, service.Started)  # restart never offers to resume
    # The offer's message becomes the introduction; the steps follow as a new message.
    await edit_in_place(context, query, views.intro(lang, opening, guide_mode=_guide_mode(context)))
    await _send_step(context, _chat_id(query), user_id, opening.view)


async def _replaced(
    query: CallbackQuery, context: BotContext, user_id: int, replaced: GuideReplaced
) -> None:
    """A button of an old guide message: say so, and make sure the current one is at hand."""
    lang = context.lang
    # A message that still shows the pressed button and was not just replaced by us is a
    # leftover (retiring it failed): retire it now. The message we just replaced was edited
    # already; pressing it again is a double press, and the answer is the newest message.
    leftover = not replaced.just_replaced and _shows_button(query.message, query.data)
    if replaced.finished:
        await _guide_over(context, user_id)
        await query.answer(raw(lang, "guide.toast.finished"), show_alert=True)
        if leftover:
            await edit_in_place(context, query, t(lang, "guide.replaced_finished"))
        return
    if not leftover:
        await query.answer(raw(lang, "guide.toast.replaced"), show_alert=True)
        return
    await query.answer(raw(lang, "guide.toast.resent"), show_alert=True)
    await edit_in_place(context, query, t(lang, "guide.replaced"))
    moved = await context.services.guide.resend(user_id)
    if moved is not None:
        view, previous = moved
        await _retire(context, _chat_id(query), previous)
        await _send_step(context, _chat_id(query), user_id, view)


def _shows_button(message: object, callback_data: str | None) -> bool:
    """True when the message still carries a button with exactly this data."""
    if not isinstance(message, Message) or message.reply_markup is None:
        return False
    return any(
        button.callback_data == callback_data
        for row in message.reply_markup.inline_keyboard
        for button in row
    )


def _chat_id(query: CallbackQuery) -> int:
    message = query.message
    assert message is not None
    return message.chat.id


class GuideFlow(FlowHandler[NoData]):
    """The guide as the open flow: it only decides whether free text gets the guide's hint.

    Guide buttons are not flow buttons: they carry the guide message's own token, checked
    against guide_progress, so a guide message keeps working after /cancel, a restart, or
    while another flow is open.
    """

    name = GUIDE
    codec = NO_DATA
    commands = ("howto",)
    start_payloads = ("howto",)  # t.me/<bot>?start=howto, printed by a center
    entry_buttons = (menu_buttons.HOWTO,)
    lifetime = timedelta(days=1)
    expired_key = "guide.expired"

    async def enter(self, update: Update, context: BotContext) -> None:
        """Opens the guide from /howto, /start howto or the start menu."""
        await self.open_at(update, context, None)

    async def open_at(self, update: Update, context: BotContext, site: Site | None) -> None:
        # Open first, so the flow is stored before the guide answers; closed again when the
        # gateway shows there is nothing to walk through.
        flow = await open_flow(update, context, self, GUIDE)
        if not await _open(update, context, site):
            await close_flow(update, context, flow)

    async def text(self, update: Update, context: BotContext, flow: Flow[NoData]) -> None:
        """Free text during the guide: a question's answer, or a pointer to the buttons; the
        guide stays where it was either way."""
        message, user = update.effective_message, update.effective_user
        assert message is not None and user is not None
        topic = topic_of(context.lang, message.text or "")
        # "How do I consent?" is this very guide: its own reminder answers it better.
        if topic is not None and topic not in ("greeting", "consent_how"):
            # A plain question ("봉사시간 언제 들어와요?"): its answer; the guide waits above.
            await answer_in_flow(update, context, topic, "answers.continue.guide")
            return
        row = await context.services.guide.progress(user.id)
        if row is None or row.stage == "done":
            await message.reply_text(t(context.lang, "guide.text_hint.idle"))
        else:
            where = kb.where(context.lang, row.stage, row.step)
            await message.reply_text(t(context.lang, "guide.text_hint", where=where))

    async def cancel(self, update: Update, context: BotContext, flow: Flow[NoData]) -> None:
        """Leaves the guide; its progress stays stored for /howto."""
        await close_flow(update, context, flow)
        await reply(update, context, "guide.cancelled")


GUIDE_FLOW = GuideFlow()

_Action = Callable[[CallbackQuery, BotContext, int, kb.Press], Awaitable[None]]
_ACTIONS: dict[str, _Action] = {
    "go": _go,
    "done": _done,
    "next": _go_on,
    "stuck": _stuck,
    "help": _help,
    "center": _center,
    "resume": _resume,
    "restart": _restart,
}


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The guide's own buttons, g:<token>:..., for group 0: they work with or without the flow."""
    return [CallbackQueryHandler(press, pattern=kb.PATTERN)]


FEATURE = Feature("guide", flows=(GUIDE_FLOW,), handlers=handlers)
