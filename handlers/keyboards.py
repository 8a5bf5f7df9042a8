"""Inline keyboards and the callback-data vocabulary they speak."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import raw
from core.types import LANGUAGES

# Callback data is short ASCII "<area>:<action>"; every handler matches a full pattern, so
# forged or stale data falls through to the stale-button handler instead of misfiring.
# menu:settings opens the settings conversation, menu:howto the consent guide (handlers/guide.py).
MENU_PATTERN = r"^menu:(help|lang)$"
LANG_PATTERN = r"^lang:(ko|en)$"
SETTINGS_PATTERN = r"^set:(rem_on|rem_off|lang|close|back)$"


def start_menu(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(raw(lang, "button.howto"), callback_data="menu:howto")],
            [InlineKeyboardButton(raw(lang, "button.link"), callback_data="menu:link")],
            [
                InlineKeyboardButton(raw(lang, "button.help"), callback_data="menu:help"),
                InlineKeyboardButton(raw(lang, "button.settings"), callback_data="menu:settings"),
            ],
            [InlineKeyboardButton(raw(lang, "button.language"), callback_data="menu:lang")],
        ]
    )


def language_picker(lang: str, *, back_to: str | None = None) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(raw(lang, f"lang.name.{code}"), callback_data=f"lang:{code}")
            for code in LANGUAGES
        ]
    ]
    if back_to:
        rows.append([InlineKeyboardButton(raw(lang, "button.back"), callback_data=back_to)])
    return InlineKeyboardMarkup(rows)


def settings_menu(lang: str, reminders_on: bool) -> InlineKeyboardMarkup:
    toggle = (
        InlineKeyboardButton(
            raw(lang, "settings.button.reminders_off"), callback_data="set:rem_off"
        )
        if reminders_on
        else InlineKeyboardButton(
            raw(lang, "settings.button.reminders_on"), callback_data="set:rem_on"
        )
    )
    return InlineKeyboardMarkup(
        [
            [toggle],
            [InlineKeyboardButton(raw(lang, "button.language"), callback_data="set:lang")],
            [InlineKeyboardButton(raw(lang, "button.close"), callback_data="set:close")],
        ]
    )


def open_private_chat(
    lang: str, bot_username: str, payload: str | None = None
) -> InlineKeyboardMarkup:
    url = f"https://t.me/{bot_username}"
    if payload:
        url += f"?start={payload}"
    return InlineKeyboardMarkup([[InlineKeyboardButton(raw(lang, "button.open_private"), url=url)]])
