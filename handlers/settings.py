"""/settings: a flow showing one menu message for language, reminders and the new-record nudge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import raw, t
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


@dataclass(frozen=True)
class _Switches:
    reminders: bool  # center notices
    nudges: bool  # the new-record nudge (bot/services/nudges.py)


def _on_off(lang: str, on: bool) -> str:
    return raw(lang, "settings.reminders.on" if on else "settings.reminders.off")


def _menu_text(lang: str, on: _Switches) -> str:
    return t(
        lang,
        "settings.menu",
        language=raw(lang, f"lang.name.{lang}"),
        reminders=_on_off(lang, on.reminders),
        nudges=_on_off(lang, on.nudges),
    )


def _menu(lang: str, flow: Flow[NoData], on: _Switches) -> InlineKeyboardMarkup:
    toggle = (
        flow_button(flow, raw(lang, "settings.button.reminders_off"), "rem_off")
        if on.reminders
        else flow_button(flow, raw(lang, "settings.button.reminders_on"), "rem_on")
    )
    nudges = (
        flow_button(flow, raw(lang, "settings.button.nudges_off"), "nudge_off")
        if on.nudges
        else flow_button(flow, raw(lang, "settings.button.nudges_on"), "nudge_on")
    )
    return InlineKeyboardMarkup(
        [
            [toggle],
            [nudges],
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


async def _switches(update: Update, context: BotContext) -> _Switches:
    user = update.effective_user
    assert user is not None
    record = await context.services.users.get(user.id)
    if record is None:
        return _Switches(True, True)
    return _Switches(record.reminders, record.nudges)


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

    # --- buttons: reminders and nudges on/off, the language picker and back, close --------

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

    async def _reminders_on(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        await context.services.users.set_reminders(_user_id(update), True)
        await self._menu_again(update, context, flow, "settings.reminders_now_on")

    async def _reminders_off(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        await context.services.users.set_reminders(_user_id(update), False)
        await self._menu_again(update, context, flow, "settings.reminders_now_off")

    async def _nudges_on(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        await context.services.nudges.set_switch(_user_id(update), True)
        await self._menu_again(update, context, flow, "settings.nudges_now_on")

    async def _nudges_off(
        self, update: Update, context: BotContext, flow: Flow[NoData], argument: str
    ) -> None:
        await context.services.nudges.set_switch(_user_id(update), False)
        await self._menu_again(update, context, flow, "settings.nudges_now_off")

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
        (ANY_STEP, "rem_on"): _reminders_on,
        (ANY_STEP, "rem_off"): _reminders_off,
        (ANY_STEP, "nudge_on"): _nudges_on,
        (ANY_STEP, "nudge_off"): _nudges_off,
        (ANY_STEP, "back"): _back,
    }


FEATURE = Feature("settings", flows=(SettingsFlow(),))
