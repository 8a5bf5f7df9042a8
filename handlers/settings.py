"""/settings: a flow showing one menu message for language, reminders and the new-record nudge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar, Protocol

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services.container import Services
from bot.services.flows import NO_DATA, Flow, NoData
from core.types import LANGUAGES
from handlers import menu_buttons
from handlers.common import edit_in_place
from handlers.feature import Feature
from handlers.flows import (
    ANY_STEP,
    Buttons,
    FlowHandler,
    answer_or_hint,
    close_flow,
    edit_flow_message,
    flow_button,
    open_flow,
    send_flow_message,
    stale_button,
)

MENU, PICK_LANGUAGE = "menu", "language"


class _Record(Protocol):
    """What the menu reads of the user's record (store/users.py: User)."""

    @property
    def reminders(self) -> bool: ...

    @property
    def nudges(self) -> bool: ...


@dataclass(frozen=True)
class _Switch:
    """One on/off setting of the menu. Its catalog keys are settings.button.{name}_on/_off
    (the button) and settings.{name}_now_on/_off (the toast); its buttons press
    "switch:{name}_on" or "switch:{name}_off"."""

    name: str  # also the menu text's placeholder
    read: Callable[[_Record | None], bool]  # a user not stored yet has both on
    write: Callable[[Services, int, bool], Awaitable[object]]


_SWITCHES = (
    # Center notices (broadcast reminders).
    _Switch(
        "reminders",
        lambda user: user is None or user.reminders,
        lambda services, user_id, on: services.users.set_reminders(user_id, on),
    ),
    # The new-record nudge (bot/services/nudges.py).
    _Switch(
        "nudges",
        lambda user: user is None or user.nudges,
        lambda services, user_id, on: services.nudges.set_switch(user_id, on),
    ),
)
_States = dict[str, bool]  # switch name → on
# A switch button's argument → the switch and the state it asks for.
_PRESSES = {f"{s.name}_{state}": (s, state == "on") for s in _SWITCHES for state in ("on", "off")}


def _state(on: bool) -> str:
    return "on" if on else "off"


def _menu_text(lang: str, on: _States) -> str:
    switches = {
        name: raw(lang, "settings.reminders.on" if state else "settings.reminders.off")
        for name, state in on.items()
    }
    return t(lang, "settings.menu", language=raw(lang, f"lang.name.{lang}"), **switches)


def _menu(lang: str, flow: Flow[NoData], on: _States) -> InlineKeyboardMarkup:
    toggles = []
    for s in _SWITCHES:
        turn = _state(not on[s.name])  # each switch's button turns it the other way
        label = raw(lang, f"settings.button.{s.name}_{turn}")
        toggles.append([flow_button(flow, label, f"switch:{s.name}_{turn}")])
    return InlineKeyboardMarkup(
        [
            *toggles,
            [flow_button(flow, raw(lang, "button.language"), "lang")],
            [flow_button(flow, raw(lang, "button.close"), "close")],
        ]
    )


def _language_picker(lang: str, flow: Flow[NoData]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                flow_button(flow, raw(lang, f"lang.name.{code}"), f"lang:{code}")
                for code in LANGUAGES
            ],
            [flow_button(flow, raw(lang, "button.back"), "back")],
        ]
    )


async def _switches(update: Update, context: BotContext) -> _States:
    user = update.effective_user
    assert user is not None
    record = await context.services.users.get(user.id)
    return {s.name: s.read(record) for s in _SWITCHES}


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


class SettingsFlow(FlowHandler[NoData]):
    """The settings menu: its buttons work while it is the open flow."""

    name = "settings"
    codec = NO_DATA
    commands = ("settings",)
    entry_buttons = (menu_buttons.SETTINGS,)
    lifetime = timedelta(hours=1)

    async def enter(self, update: Update, context: BotContext) -> None:
        """Shows the settings menu as a new message."""
        on = await _switches(update, context)
        flow = await open_flow(update, context, self, MENU)
        await send_flow_message(
            update, context, flow, _menu_text(context.lang, on), _menu(context.lang, flow, on)
        )

    async def text(self, update: Update, context: BotContext, flow: Flow[NoData]) -> None:
        """Settings change by buttons; the menu stays open, and a question is answered."""
        await answer_or_hint(update, context, "fallback.settings_text")

    # --- buttons: the switches on/off, the language picker and back, close ----------------

    async def _close(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        await close_flow(update, context, flow)
        await query.answer()
        # Closed first, so a second tap on "close" finds a stale button, not this edit.
        await edit_in_place(context, query, t(context.lang, "settings.closed"))

    async def _languages(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        lang = context.lang
        picker = _language_picker(lang, flow)
        await edit_flow_message(
            update, context, flow, t(lang, "lang.prompt"), picker, step=PICK_LANGUAGE
        )

    async def _language(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        if argument not in LANGUAGES:
            assert update.callback_query is not None
            await stale_button(update.callback_query, context)
            return
        users = context.services.users
        context.lang = await users.choose_language(_user_id(update), argument)
        await self._menu_again(update, context, flow, "lang.set")

    async def _switch(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        """Turns one switch on or off (the argument names which: _PRESSES)."""
        pressed = _PRESSES.get(argument)
        if pressed is None:
            assert update.callback_query is not None
            await stale_button(update.callback_query, context)
            return
        switch, on = pressed
        await switch.write(context.services, _user_id(update), on)
        await self._menu_again(update, context, flow, f"settings.{switch.name}_now_{_state(on)}")

    async def _back(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        await self._menu_again(update, context, flow, None)

    async def _menu_again(
        self, update: Update, context: BotContext, flow: Flow[NoData], toast_key: str | None
    ) -> None:
        """The menu again, what just changed said in a toast (in the language now chosen)."""
        assert update.callback_query is not None
        await update.callback_query.answer(raw(context.lang, toast_key) if toast_key else None)
        on = await _switches(update, context)
        await edit_flow_message(
            update,
            context,
            flow,
            _menu_text(context.lang, on),
            _menu(context.lang, flow, on),
            step=MENU,
        )

    buttons: ClassVar[Buttons] = {
        (ANY_STEP, "close"): _close,
        (ANY_STEP, "lang"): _languages,
        (ANY_STEP, "lang:"): _language,
        (ANY_STEP, "switch:"): _switch,
        (ANY_STEP, "back"): _back,
    }


FEATURE = Feature("settings", flows=(SettingsFlow(),))
