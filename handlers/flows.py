"""One open flow per user, and the one router that hands it what the user types and presses.

A flow is a short dialogue whose state (name, step, data, button token) lives in the store,
written before the bot answers (bot/services/flows.py). The router runs in an early handler
group, before the plain commands, with PTB's public API only: when it handled an update it
raises ApplicationHandlerStop, otherwise the update goes on to the plain handlers.

- A command that enters a flow (`/link`, or `/start link`, or the start menu's `menu:link`)
  calls that flow's `enter`, which opens it and so replaces whatever flow was open.
- `/cancel` is answered by the open flow, or with "nothing to cancel".
- Any other command closes the open flow, then goes on to its own handler.
- Nothing from a group chat reaches a flow: flows are private, and /help typed in a group
  leaves the user's private flow open.
- Text (and stickers, photos...) goes to the open flow; with none open, to the fallback. Text
  into a flow left open past its lifetime is answered once with the flow's `expired_key`, and
  so is anything sent to a flow whose stored data its codec cannot read (a row an older
  release wrote, or a damaged one): that flow is closed, its button says the same in a toast,
  /cancel says it was cancelled. Nothing is guessed from such a row.
- A button `f:<token>:<action>` goes to the open flow if the token is the open flow's; any
  other press of `f:` data (a replaced flow, a forged token, junk) gets a polite toast and
  changes nothing. Buttons outside flows (start menu, language picker, the guide's own `g:`
  buttons, confirmations) carry what they act on and never read the flow.

Recipe for a new flow (a /send confirmation, say):
1. bot/services/sending/service.py: the use-cases, no Telegram types, tested on their own.
2. handlers/send.py, what the flow keeps: a frozen dataclass beside the flow (`SendData`, every
   field with a default, JSON-friendly types: str, int, bool, None, Literal, tuple, datetime)
   and its `FlowCodec`. Steps read `flow.data.<field>` and write
   `advance_flow(..., replace(flow.data, field=...))`; nothing reads the stored JSON but the
   codec (bot/services/flows.py), and tests/unit/test_flow_data.py keeps it so. A row the
   codec cannot read (an older release's, or damaged) is closed with the flow's `expired_key`.
3. handlers/send.py, the flow: a subclass of FlowHandler[SendData] with `name`, `codec`, its
   entry `commands`, `start_payloads` and `entry_buttons`, a `lifetime`, and `enter` (open the
   flow with `open_flow`, then answer; send its message with `send_flow_message`), plus the
   `text` and `cancel` steps it needs. Its buttons come from `flow_button`; a press is run
   from the class's `buttons` table, (step, action) → method, with ANY_STEP for any step and
   "verb:" for actions that carry an argument ("seg:all" runs the "seg:" entry with "all");
   each method takes (update, context, flow, argument). A press the table lacks is a stale
   button; a check for every press (staff only) goes in an override of `button` before
   `super().button`. No if/elif over actions: tests/unit/test_flow_steps.py keeps every
   method of a flow's module at radon complexity 10 or less.
   It edits its message with `edit_flow_message`, which skips edits that would change nothing.
4. Add an instance to `flows` of the module's FEATURE (handlers/feature.py), and its texts to
   bot/i18n.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, ClassVar, Generic, TypeVar

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.i18n import raw
from bot.services.container import Services
from bot.services.flows import EXPIRE, SWEEP, Expired, Flow, FlowCodec, Stored
from handlers.answers import answer_in_flow, topic_of
from handlers.common import digest, edit_pressed, reply
from handlers.feature import Due, Feature

# f:<8-character token>:<action>; the action is the flow's own ASCII vocabulary.
_FLOW_DATA = re.compile(r"f:([A-Za-z0-9_-]{8}):([A-Za-z0-9_.:-]{1,40})")


def flow_data(token: str, action: str) -> str:
    """The callback data of a flow's button: this module alone builds and parses it."""
    data = f"f:{token}:{action}"
    assert _FLOW_DATA.fullmatch(data), data
    return data


def parse_flow_data(data: str) -> tuple[str, str] | None:
    """(token, action) behind a flow button's data, or None when it is no flow data."""
    match = _FLOW_DATA.fullmatch(data)
    return None if match is None else (match[1], match[2])


def flow_button(flow: Flow[Any], label: str, action: str) -> InlineKeyboardButton:
    """A button of this flow: it works while the flow is open and is stale afterwards."""
    return InlineKeyboardButton(label, callback_data=flow_data(flow.token, action))


async def answer_or_hint(update: Update, context: BotContext, hint_key: str) -> None:
    """Text a flow step does not take: a question gets its answer and the flow stays open
    where it was; anything else gets `hint_key` (how to go on above)."""
    message = update.effective_message
    said = message.text if message is not None else None
    topic = topic_of(context.lang, said) if said else None
    if topic is not None and topic != "greeting":  # a hello is no question: the hint helps more
        await answer_in_flow(update, context, topic, hint_key)
        return
    await reply(update, context, hint_key)


async def stale_button(query: CallbackQuery, context: BotContext) -> None:
    """Answers a press that no longer means anything, changing nothing."""
    await query.answer(raw(context.lang, "callback.stale"), show_alert=True)


D = TypeVar("D")

# A button's step: (the flow handler, update, context, flow, the action's argument or "").
ButtonStep = Callable[[Any, Update, BotContext, Flow[Any], str], Awaitable[None]]
# (step, action) → the method a press runs; an action "verb:" takes what follows as argument.
Buttons = Mapping[tuple[str, str], ButtonStep]
ANY_STEP = "*"  # a `buttons` entry that works at every step (cancel, close)


class FlowHandler(Generic[D]):
    """One flow's Telegram side. Subclasses set the class attributes and the steps they use."""

    name: ClassVar[str]
    codec: FlowCodec[D]  # what the flow keeps between steps
    lifetime: ClassVar[timedelta]
    commands: ClassVar[tuple[str, ...]] = ()  # /link
    start_payloads: ClassVar[tuple[str, ...]] = ()  # /start link (t.me/<bot>?start=link)
    entry_buttons: ClassVar[tuple[str, ...]] = ()  # menu:link, from menus outside any flow
    expired_key: ClassVar[str] = "flow.expired"
    buttons: ClassVar[Buttons] = {}  # see the recipe above

    async def enter(self, update: Update, context: BotContext) -> None:
        """Opens the flow (replacing any other) and answers. Closes it if nothing is to do."""
        raise NotImplementedError

    async def text(self, update: Update, context: BotContext, flow: Flow[D]) -> None:
        """The user typed something while this flow was open: a question is answered."""
        await answer_or_hint(update, context, "fallback.text")

    async def other(self, update: Update, context: BotContext, flow: Flow[D]) -> None:
        """A sticker, photo or the like while this flow was open."""
        await reply(update, context, "fallback.text")

    async def button(self, update: Update, context: BotContext, flow: Flow[D], action: str) -> None:
        """A press of one of this flow's buttons (token already checked): runs the `buttons`
        entry for this step and action, or says the button is stale."""
        verb, colon, argument = action.partition(":")
        key = verb + colon
        run = self.buttons.get((flow.step, key)) or self.buttons.get((ANY_STEP, key))
        if run is None:
            assert update.callback_query is not None
            await stale_button(update.callback_query, context)
            return
        await run(self, update, context, flow, argument)

    async def cancel(self, update: Update, context: BotContext, flow: Flow[D]) -> None:
        """/cancel while this flow is open."""
        await close_flow(update, context, flow)
        await reply(update, context, "cancel.done")


# --- what flow handlers call ----------------------------------------------------------------


def _user_id(update: Update | CallbackQuery) -> int:
    user = update.from_user if isinstance(update, CallbackQuery) else update.effective_user
    assert user is not None
    return user.id


async def open_flow(
    update: Update,
    context: BotContext,
    handler: FlowHandler[D],
    step: str,
    data: D | None = None,
) -> Flow[D]:
    """Opens `handler`'s flow at `step` (its data at the defaults unless given)."""
    context.flow_opened()
    return await context.services.flows.open(
        _user_id(update),
        handler.name,
        step,
        lifetime=handler.lifetime,
        codec=handler.codec,
        data=data,
    )


async def advance_flow(
    update: Update, context: BotContext, flow: Flow[D], step: str, data: D | None = None
) -> Flow[D] | None:
    """Stores the next step (and the data, when given) before the bot answers; None if
    replaced meanwhile."""
    return await context.services.flows.advance(_user_id(update), flow, step=step, data=data)


async def close_flow(update: Update, context: BotContext, flow: Flow[Any]) -> None:
    """Closes this flow (a newer one, if any, stays open)."""
    await context.services.flows.close(_user_id(update), token=flow.token)


async def send_flow_message(
    update: Update,
    context: BotContext,
    flow: Flow[D],
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Flow[D]:
    """Sends the flow's message and remembers which one it is and what it shows."""
    chat = update.effective_chat
    assert chat is not None
    sent = await context.bot.send_message(chat.id, text, reply_markup=markup)
    shown = digest(text, markup)
    stored = await context.services.flows.advance(
        _user_id(update), flow, message_id=sent.message_id, rendered=shown
    )
    return stored or flow


async def edit_flow_message(
    update: Update,
    context: BotContext,
    flow: Flow[D],
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    step: str | None = None,
) -> Flow[D] | None:
    """Shows new content on the pressed message, storing it (and `step`) first.

    Nothing is sent when the message already shows exactly this, as stored with the flow: a
    double tap or a press on an old copy would otherwise be refused by Telegram (400
    "message is not modified"). Returns the flow as stored, or None if it was replaced.
    """
    query = update.callback_query
    assert query is not None
    message = query.message
    message_id = message.message_id if isinstance(message, Message) else None
    shown = digest(text, markup)
    same_step = step is None or step == flow.step
    if same_step and message_id == flow.message_id and shown == flow.rendered:
        return flow
    stored = await context.services.flows.advance(
        _user_id(update), flow, step=step, message_id=message_id, rendered=shown
    )
    if stored is None:
        return None
    if message_id == flow.message_id and shown == flow.rendered:
        return stored  # only the step moved; the screen stays as it is
    await edit_pressed(query, text, markup)
    return stored


# --- the router -----------------------------------------------------------------------------


def _command(message: Message, bot_username: str | None) -> tuple[str, list[str]] | None:
    """(command, arguments) when the message is a command, as CommandHandler reads one."""
    text = message.text
    entities = message.entities
    if not text or not entities:
        return None
    first = entities[0]
    if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    name, _, addressee = text[1 : first.length].partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return ("", [])  # a command for another bot: not ours to enter a flow with
    return name.lower(), text[first.length :].split()


def _check(flows: Sequence[FlowHandler[Any]], by_name: Mapping[str, object]) -> None:
    assert len(by_name) == len(flows), "two flows share a name"
    unread = [f.name for f in flows if not isinstance(getattr(f, "codec", None), FlowCodec)]
    assert not unread, f"flows without a codec for their data: {unread}"


class FlowRouter:
    """Hands each update that can belong to a flow to the user's open flow."""

    def __init__(self, flows: Sequence[FlowHandler[Any]]) -> None:
        self._by_name = {f.name: f for f in flows}
        self._by_command = {c: f for f in flows for c in f.commands}
        self._by_payload = {p: f for f in flows for p in f.start_payloads}
        self._by_button = {b: f for f in flows for b in f.entry_buttons}
        _check(flows, self._by_name)

    async def route(self, update: Update, context: BotContext) -> None:
        """The handler callback: raises ApplicationHandlerStop when the update was handled."""
        chat = update.effective_chat
        if update.effective_user is None or chat is None or chat.type != ChatType.PRIVATE:
            # Flows live in the private chat: what someone types in a group (/help, say,
            # which the group guard lets through) must not touch or close their private flow.
            return
        if update.callback_query is not None:
            await self._press(update, context, update.callback_query)
            return
        message = update.message  # edits of old messages are not answers to a flow
        if message is None:
            return
        command = _command(message, context.bot.username)
        if command is None:
            await self._message(update, context, message)
        else:
            await self._command(update, context, *command)

    async def _command(
        self, update: Update, context: BotContext, name: str, args: list[str]
    ) -> None:
        if name == "cancel":
            await self._cancel(update, context)
            raise ApplicationHandlerStop
        entered = self._by_command.get(name)
        if name == "start" and args:
            entered = self._by_payload.get(args[0])
        if entered is not None:
            await entered.enter(update, context)
            raise ApplicationHandlerStop
        # Someone who types /help in the middle of /link has moved on: without this, the next
        # free text would still be read as a VMS ID or a code. None stored as the update
        # started: nothing to close, and no write.
        if self._stored(context, update):
            await context.services.flows.close(_user_id(update))

    @staticmethod
    def _stored(context: BotContext, update: Update) -> bool:
        """False only when the visit read at this update's start saw no flow of the user."""
        visit = context.visit_of(_user_id(update))
        return visit is None or visit.flow_open

    def _open(self, found: Stored | Expired | None) -> tuple[FlowHandler[Any], Flow[Any]] | None:
        """The open flow, read by its handler's codec; None when it is expired, of a flow this
        version no longer has, or stored in a shape its codec does not read (an older
        release's, or damaged): all are closed politely, never crashed on."""
        handler = self._by_name.get(found.name) if found is not None else None
        if handler is None or not isinstance(found, Stored):
            return None
        flow = found.decode(handler.codec)
        return None if flow is None else (handler, flow)

    async def _cancel(self, update: Update, context: BotContext) -> None:
        found = await context.services.flows.read(_user_id(update))
        opened = self._open(found)
        if opened is not None:
            await opened[0].cancel(update, context, opened[1])
            return
        if found is not None:
            await context.services.flows.close(_user_id(update), token=found.token)
        # Data no release of the flow reads cancels like a flow that ended on its own.
        await reply(
            update, context, "cancel.done" if isinstance(found, Stored) else "cancel.nothing"
        )

    async def _message(self, update: Update, context: BotContext, message: Message) -> None:
        found = (
            await context.services.flows.read(_user_id(update))
            if self._stored(context, update)
            else None
        )
        if found is None:
            return
        opened = self._open(found)
        if opened is None:
            # Said once: the row goes now, so the next text is ordinary text again.
            await context.services.flows.close(_user_id(update), token=found.token)
            handler = self._by_name.get(found.name)
            if handler is None:
                return  # a flow this version no longer has: nothing to say about it
            await reply(update, context, handler.expired_key)
            raise ApplicationHandlerStop
        handler, flow = opened
        if message.text:
            await handler.text(update, context, flow)
        else:
            await handler.other(update, context, flow)
        raise ApplicationHandlerStop

    async def _press(self, update: Update, context: BotContext, query: CallbackQuery) -> None:
        data = query.data or ""
        entered = self._by_button.get(data)
        if entered is not None:
            await query.answer()
            await entered.enter(update, context)
            raise ApplicationHandlerStop
        if not data.startswith("f:"):
            return  # a button outside flows: it carries what it acts on
        match = parse_flow_data(data)
        found = await context.services.flows.read(_user_id(update)) if match else None
        if match is None or found is None or found.token != match[0]:
            await stale_button(query, context)  # a replaced flow, a forged token, junk
            raise ApplicationHandlerStop
        opened = self._open(found)
        if opened is None:
            await self._closed_press(query, context, found)
            raise ApplicationHandlerStop
        await opened[0].button(update, context, opened[1], match[1])
        raise ApplicationHandlerStop

    async def _closed_press(
        self, query: CallbackQuery, context: BotContext, found: Stored | Expired
    ) -> None:
        """A button of the open flow that cannot go on: timed out, or unreadable."""
        handler = self._by_name.get(found.name)
        if handler is None:
            await stale_button(query, context)
        elif isinstance(found, Stored):
            # Stored by a release whose data this one cannot read: closed, and said so.
            await context.services.flows.close(_user_id(query), token=found.token)
            await query.answer(raw(context.lang, handler.expired_key), show_alert=True)
        elif handler.expired_key != FlowHandler.expired_key:
            # A button of a flow that timed out and has its own words for it: they name the
            # command that starts it again (/broadcast, /remind), not /start. The typed-text
            # notice stays for its one time.
            await query.answer(raw(context.lang, handler.expired_key), show_alert=True)
        else:
            await stale_button(query, context)


# --- due work: flows past their time --------------------------------------------------------


async def _expire(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await services.flows.expire(key, payload)


async def _sweep(bot: Bot, services: Services, key: str, payload: dict[str, Any]) -> None:
    await services.flows.sweep(key, payload)


async def _keep_sweeping(bot: Bot, services: Services) -> None:
    # The daily sweep of abandoned flows: scheduling it again at each start is one row.
    await services.flows.keep_sweeping()


FEATURE = Feature(
    "flows",
    due_work={EXPIRE: Due(_expire), SWEEP: Due(_sweep)},
    on_start=(_keep_sweeping,),
)
