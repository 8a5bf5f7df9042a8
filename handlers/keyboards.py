"""Inline keyboards of the menus; each feature's *_buttons module builds their callback data."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import raw
from bot.services.answers import Step
from core.types import LANGUAGES
from handlers import help_buttons, menu_buttons, send_buttons, status_buttons

# Callback data is short ASCII "<area>:<action>", built and parsed by one module per feature
# (handlers/*_buttons.py, handlers/flows.py for flow buttons f:<token>:<action>); every
# handler matches a full pattern, so forged or stale data falls through to the stale-button
# handler instead of misfiring. These buttons live outside flows: they carry what they act on
# and work when pressed twice.
URL_1365 = "https://www.1365.go.kr"
URL_VMS = "https://www.vms.or.kr"


def _button(lang: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(raw(lang, key), callback_data=data)


def start_menu(lang: str) -> InlineKeyboardMarkup:
    """The first-time menu: nothing is linked yet, so no status or send."""
    return InlineKeyboardMarkup(
        [
            [_button(lang, "button.howto", menu_buttons.HOWTO)],
            [_button(lang, "button.link", menu_buttons.LINK)],
            [
                _button(lang, "button.help", menu_buttons.HELP),
                _button(lang, "button.settings", menu_buttons.SETTINGS),
            ],
            [_button(lang, "button.language", menu_buttons.LANG)],
        ]
    )


def linked_keyboard(lang: str) -> InlineKeyboardMarkup:
    """Just linked with both consents in place: sending is next, /status shows the records."""
    return InlineKeyboardMarkup(
        [
            [_button(lang, "button.send", send_buttons.START)],
            [_button(lang, "button.status", status_buttons.OPEN)],
        ]
    )


def returning_menu(lang: str, first: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """A linked volunteer's menu: their next step's buttons first, then status and send."""
    rows: list[list[InlineKeyboardButton]] = [[button] for button in first]
    given = {button.callback_data for button in first}
    # The step's own send button says more ("미전송 실적 보내기"): the plain one would repeat it.
    plain = [
        _button(lang, "button.status", status_buttons.OPEN),
        _button(lang, "button.send", send_buttons.START),
    ]
    rows += [
        [button for button in plain if button.callback_data not in given],
        [
            _button(lang, "button.howto", menu_buttons.HOWTO),
            _button(lang, "button.help", menu_buttons.HELP),
        ],
        [
            _button(lang, "button.settings", menu_buttons.SETTINGS),
            _button(lang, "button.language", menu_buttons.LANG),
        ],
    ]
    return InlineKeyboardMarkup(rows)


def ask_center_button(lang: str) -> InlineKeyboardButton:
    """Write a question to the center's staff: offered wherever the center's contact is."""
    return _button(lang, "help.button.ask", help_buttons.ASK)


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
        return _button(lang, "button.howto", menu_buttons.HOWTO)
    if step == "status":
        return _button(lang, "button.status", status_buttons.OPEN)
    if step == "send":
        return _button(lang, "button.send", send_buttons.START)
    if step == "link":
        return _button(lang, "button.link", menu_buttons.LINK)
    if step == "open_1365":
        return InlineKeyboardButton(raw(lang, "button.open_1365"), url=URL_1365)
    if step == "open_vms":
        return open_vms_button(lang)
    return _button(lang, "button.center", help_buttons.answer("center"))


def steps_keyboard(lang: str, steps: Sequence[Step]) -> list[list[InlineKeyboardButton]]:
    return [[step_button(lang, step)] for step in steps]


def link_only(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(lang, "button.link", menu_buttons.LINK)]])


def language_picker(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    raw(lang, f"lang.name.{code}"), callback_data=menu_buttons.language(code)
                )
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
