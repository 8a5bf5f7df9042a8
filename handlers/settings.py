"""/settings: a flow showing one menu message for language, reminders and the new-record nudge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import raw, t
from bot.services.flows import Flow
from core.types import LANGUAGES
from handlers import menu_buttons
from handlers.common import edit_in_place
from handlers.feature import Feature
from handlers.flows import (
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


def _menu(lang: str, flow: Flow, on: _Switches) -> InlineKeyboardMarkup:
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


def _language_picker(lang: str, flow: Flow) -> InlineKeyboardMarkup:
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


class SettingsFlow(FlowHandler):
    """The settings menu: its buttons work while it is the open flow."""

    name = "settings"
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

    async def text(self, update: Update, context: BotContext, flow: Flow) -> None:
        """Settings change by buttons; the menu stays open, and a question is answered."""
        await answer_or_hint(update, context, "fallback.settings_text")

    async def button(self, update: Update, context: BotContext, flow: Flow, action: str) -> None:
        """Reminders on/off, the language picker and back, a language, close."""
        query, user = update.callback_query, update.effective_user
        assert query is not None and user is not None
        lang = context.lang
        if action == "close":
            await close_flow(update, context, flow)
            await query.answer()
            # Closed first, so a second tap on "close" finds a stale button, not this edit.
            await edit_in_place(context, query, t(lang, "settings.closed"))
            return
        if action == "lang":
            await query.answer()
            await edit_flow_message(
                update,
                context,
                flow,
                t(lang, "lang.prompt"),
                _language_picker(lang, flow),
                step=PICK_LANGUAGE,
            )
            return
        toast: str | None = None
        if action.startswith("lang:") and action[5:] in LANGUAGES:
            context.lang = await context.services.users.choose_language(user.id, action[5:])
            toast = raw(context.lang, "lang.set")
        elif action in ("rem_on", "rem_off"):
            wanted = action == "rem_on"
            await context.services.users.set_reminders(user.id, wanted)
            key = "settings.reminders_now_on" if wanted else "settings.reminders_now_off"
            toast = raw(lang, key)
        elif action in ("nudge_on", "nudge_off"):
            wanted = action == "nudge_on"
            await context.services.nudges.set_switch(user.id, wanted)
            toast = raw(lang, "settings.nudges_now_on" if wanted else "settings.nudges_now_off")
        elif action != "back":
            await stale_button(query, context)
            return
        await query.answer(toast)
        on = await _switches(update, context)
        await edit_flow_message(
            update,
            context,
            flow,
            _menu_text(context.lang, on),
            _menu(context.lang, flow, on),
            step=MENU,
        )


FEATURE = Feature("settings", flows=(SettingsFlow(),))
