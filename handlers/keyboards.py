"""Inline keyboards and the callback-data vocabulary they speak."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import raw
from core.types import LANGUAGES

# Callback data is short ASCII "<area>:<action>"; every handler matches a full pattern, so
# forged or stale data falls through to the stale-button handler instead of misfiring.
# These buttons live outside flows: they carry what they act on and work when pressed twice.
# menu:link, menu:settings and menu:howto enter flows (handlers/flows.py routes them);
# flow buttons are f:<token>:<action>.
MENU_PATTERN = r"^menu:(help|lang)$"
LANG_PATTERN = r"^lang:(ko|en)$"


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


def language_picker(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(raw(lang, f"lang.name.{code}"), callback_data=f"lang:{code}")
                for code in LANGUAGES
            ]
        ]
    )


def open_private_chat(
    lang: str, bot_username: str, payload: str | None = None
) -> InlineKeyboardMarkup:
    url = f"https://t.me/{bot_username}"
    if payload:
        url += f"?start={payload}"
    return InlineKeyboardMarkup([[InlineKeyboardButton(raw(lang, "button.open_private"), url=url)]])
