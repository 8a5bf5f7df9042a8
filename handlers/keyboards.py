"""Inline keyboards and the callback-data vocabulary they speak."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import raw
from bot.services.answers import Step
from core.types import LANGUAGES

# Callback data is short ASCII "<area>:<action>"; every handler matches a full pattern, so
# forged or stale data falls through to the stale-button handler instead of misfiring.
# These buttons live outside flows: they carry what they act on and work when pressed twice.
# menu:link, menu:settings and menu:howto enter flows (handlers/flows.py routes them);
# flow buttons are f:<token>:<action>. st:open and send:start belong to /status and /send.
# \Z, not $: "$" also matches before a final newline ("lang:en\n" would reach the handler).
MENU_PATTERN = r"^menu:(help|lang)\Z"
LANG_PATTERN = r"^lang:(ko|en)\Z"
STATUS_DATA = "st:open"  # a new /status message
SEND_DATA = "send:start"  # enters the /send flow, every check run again
URL_1365 = "https://www.1365.go.kr"
URL_VMS = "https://www.vms.or.kr"
ASK_CENTER = "help:ask"  # enters the help-request flow (handlers/help_requests.py)


def _button(lang: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(raw(lang, key), callback_data=data)


def start_menu(lang: str) -> InlineKeyboardMarkup:
    """The first-time menu: nothing is linked yet, so no status or send."""
    return InlineKeyboardMarkup(
        [
            [_button(lang, "button.howto", "menu:howto")],
            [_button(lang, "button.link", "menu:link")],
            [
                _button(lang, "button.help", "menu:help"),
                _button(lang, "button.settings", "menu:settings"),
            ],
            [_button(lang, "button.language", "menu:lang")],
        ]
    )


def linked_keyboard(lang: str) -> InlineKeyboardMarkup:
    """Just linked with both consents in place: sending is next, /status shows the records."""
    return InlineKeyboardMarkup(
        [[_button(lang, "button.send", SEND_DATA)], [_button(lang, "button.status", STATUS_DATA)]]
    )


def returning_menu(lang: str, first: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """A linked volunteer's menu: their next step's buttons first, then status and send."""
    rows: list[list[InlineKeyboardButton]] = [[button] for button in first]
    given = {button.callback_data for button in first}
    # The step's own send button says more ("미전송 실적 보내기"): the plain one would repeat it.
    plain = [
        _button(lang, "button.status", STATUS_DATA),
        _button(lang, "button.send", SEND_DATA),
    ]
    rows += [
        [button for button in plain if button.callback_data not in given],
        [_button(lang, "button.howto", "menu:howto"), _button(lang, "button.help", "menu:help")],
        [
            _button(lang, "button.settings", "menu:settings"),
            _button(lang, "button.language", "menu:lang"),
        ],
    ]
    return InlineKeyboardMarkup(rows)


def ask_center_button(lang: str) -> InlineKeyboardButton:
    """Write a question to the center's staff: offered wherever the center's contact is."""
    return _button(lang, "help.button.ask", ASK_CENTER)


def ask_center_link(lang: str, bot_username: str) -> InlineKeyboardButton:
    """The same, from a group: questions are written in the private chat (/start ask)."""
    return InlineKeyboardButton(
        raw(lang, "help.button.ask"), url=f"https://t.me/{bot_username}?start=ask"
    )


def open_vms_button(lang: str) -> InlineKeyboardButton:
    """The VMS site, where a volunteer who lost their ID finds it (the bot cannot look it up)."""
    return InlineKeyboardButton(raw(lang, "button.open_vms"), url=URL_VMS)


def step_button(lang: str, step: Step) -> InlineKeyboardButton:
    """One next step under an answer or a stuck message."""
    if step == "guide":
        return _button(lang, "button.howto", "menu:howto")
    if step == "status":
        return _button(lang, "button.status", STATUS_DATA)
    if step == "send":
        return _button(lang, "button.send", SEND_DATA)
    if step == "link":
        return _button(lang, "button.link", "menu:link")
    if step == "open_1365":
        return InlineKeyboardButton(raw(lang, "button.open_1365"), url=URL_1365)
    if step == "open_vms":
        return open_vms_button(lang)
    return _button(lang, "button.center", "ans:center")


def steps_keyboard(lang: str, steps: Sequence[Step]) -> list[list[InlineKeyboardButton]]:
    return [[step_button(lang, step)] for step in steps]


def link_only(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(lang, "button.link", "menu:link")]])


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
