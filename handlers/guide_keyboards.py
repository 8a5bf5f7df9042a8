"""The consent guide's buttons and the callback data they carry.

Data is ``g:<token>:<action>[:<site>[:<step>[:<topic>]]]``, ASCII and at most 29 bytes. The
token names the guide message; the target step travels in the data, so a repeated press asks
for the same step again instead of moving one further.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import raw
from bot.services.guide import STEPS, TOPICS, Topic
from bot.services.members import MemberStatus
from bot.services.status import Failed
from core.types import Site
from handlers import menu_buttons, send_buttons, status_buttons
from handlers.keyboards import ask_center_button

Action = Literal["go", "done", "next", "stuck", "help", "center", "resume", "restart"]

_SITE = r"(1365|vms)"
_STEP = r"([1-5])"
PATTERN = (
    r"^g:([0-9a-f]{6}):(?:"
    rf"(go|stuck|center):{_SITE}:{_STEP}"
    rf"|(done|next):{_SITE}"
    rf"|(help):{_SITE}:{_STEP}:({'|'.join(TOPICS)})"
    r"|(resume|restart))\Z"  # \Z, not $: "$" would also accept a trailing newline
)
_COMPILED = re.compile(PATTERN)

SITE_URLS: dict[Site, str] = {"1365": "https://www.1365.go.kr", "vms": "https://www.vms.or.kr"}


@dataclass(frozen=True)
class Press:
    """One guide button press, parsed."""

    token: str
    action: Action
    site: Site | None = None
    step: int | None = None
    topic: Topic | None = None


def data(
    token: str,
    action: Action,
    site: Site | None = None,
    step: int | None = None,
    topic: Topic | None = None,
) -> str:
    parts = ["g", token, action, site, str(step) if step is not None else None, topic]
    encoded = ":".join(p for p in parts if p is not None)
    assert _COMPILED.match(encoded), encoded
    return encoded


def parse(value: str) -> Press | None:
    """The press behind callback data, or None when it is not guide data."""
    match = _COMPILED.fullmatch(value)
    if match is None:
        return None
    groups = match.groups()
    token = groups[0]
    if groups[1]:  # go / stuck / center
        return Press(token, cast(Action, groups[1]), cast(Site, groups[2]), int(groups[3]))
    if groups[4]:  # done / next
        return Press(token, cast(Action, groups[4]), cast(Site, groups[5]))
    if groups[6]:  # help
        return Press(token, "help", cast(Site, groups[7]), int(groups[8]), cast(Topic, groups[9]))
    return Press(token, cast(Action, groups[10]))


def where(lang: str, site: Site, step: int) -> str:
    """ "VMS 3/5": where a volunteer stands, as buttons and offers name it."""
    return raw(lang, "guide.where", site=raw(lang, f"guide.short.{site}"), step=step, steps=STEPS)


def _button(lang: str, key: str, callback: str, **values: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(raw(lang, key, **values), callback_data=callback)


def _open_site(lang: str, site: Site) -> InlineKeyboardButton:
    return InlineKeyboardButton(raw(lang, f"guide.button.open.{site}"), url=SITE_URLS[site])


def step_keyboard(lang: str, token: str, site: Site, step: int) -> InlineKeyboardMarkup:
    """Back / next; only the last step records the site's consent, and says so."""
    nav = []
    if step > 1:
        nav.append(_button(lang, "guide.button.prev", data(token, "go", site, step - 1)))
    elif site == "vms":  # VMS comes after 1365: its first step leads back there
        nav.append(_button(lang, "guide.button.back_to_1365", data(token, "go", "1365", STEPS)))
    if step < STEPS:
        nav.append(_button(lang, "guide.button.next", data(token, "go", site, step + 1)))
    rows = [nav]
    if step == STEPS:
        rows.append([_button(lang, f"guide.button.done.{site}", data(token, "done", site))])
    rows.append([_button(lang, "guide.button.stuck", data(token, "stuck", site, step))])
    rows.append([_open_site(lang, site)])
    return InlineKeyboardMarkup(rows)


def entry_button(lang: str, site: Site) -> InlineKeyboardButton:
    """Opens the guide at one site's steps (answered by handlers/status.py, st:guide:<site>)."""
    return InlineKeyboardButton(
        raw(lang, f"guide.button.entry.{site}"), callback_data=status_buttons.guide(site)
    )


def consent_keyboard(lang: str, member: MemberStatus) -> InlineKeyboardMarkup | None:
    """The guide button for the first consent still to do (1365 first), None when both hold."""
    if not member.consent_1365.agreed or member.account_1365 != "active":
        return InlineKeyboardMarkup([[entry_button(lang, "1365")]])
    if not member.consent_vms.agreed:
        return InlineKeyboardMarkup([[entry_button(lang, "vms")]])
    return None


def end_keyboard(
    lang: str,
    *,
    linked: bool,
    failed: Failed | None,
    missing_1365: bool = False,
    reset: bool = False,
) -> InlineKeyboardMarkup:
    """Under the guide's last message: the next step as a button, never a dead end."""
    if not linked:
        return InlineKeyboardMarkup([[_button(lang, "guide.button.link", menu_buttons.LINK)]])
    if missing_1365:
        return InlineKeyboardMarkup([[entry_button(lang, "1365")]])
    status = _button(lang, "button.status", status_buttons.OPEN)
    if reset:  # the 1365 consent to reset first, then the failed records
        resend = _button(lang, "guide.button.resend", send_buttons.FAILED)
        return InlineKeyboardMarkup([[_open_site(lang, "1365")], [resend], [status]])
    if failed is not None and failed.resendable:
        resend = _button(lang, "guide.button.resend", send_buttons.FAILED)
        return InlineKeyboardMarkup([[resend], [status]])
    return InlineKeyboardMarkup(
        [[_button(lang, "guide.button.send", send_buttons.START)], [status]]
    )


def guide_mode_end_keyboard(lang: str) -> InlineKeyboardMarkup:
    """Guide mode: no account to link; the next step is sending on VMS (/send shows how)."""
    return InlineKeyboardMarkup([[_button(lang, "guide.button.send", send_buttons.START)]])


def not_visible_keyboard(lang: str, token: str, site: Site) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(lang, "guide.button.check", data(token, "done", site))],
            [
                _button(lang, "guide.button.last_step", data(token, "go", site, STEPS)),
                _button(lang, "guide.button.stuck", data(token, "stuck", site, STEPS)),
            ],
            [_open_site(lang, site)],
        ]
    )


def offline_keyboard(lang: str, token: str, site: Site) -> InlineKeyboardMarkup:
    onward = "guide.button.go_on" if site == "1365" else "guide.button.finish"
    return InlineKeyboardMarkup(
        [
            [_button(lang, "guide.button.check", data(token, "done", site))],
            [_button(lang, onward, data(token, "next", site))],
        ]
    )


def stuck_menu(lang: str, token: str, site: Site, step: int) -> InlineKeyboardMarkup:
    rows = [
        [_button(lang, f"guide.topic.{topic}.button", data(token, "help", site, step, topic))]
        for topic in TOPICS
    ]
    rows.append([_button(lang, "guide.button.center", data(token, "center", site, step))])
    rows.append(
        [
            _button(
                lang,
                "guide.button.back_to_step",
                data(token, "go", site, step),
                where=where(lang, site, step),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def answer_keyboard(
    lang: str, token: str, site: Site, step: int, *, with_center: bool = True, ask: bool = True
) -> InlineKeyboardMarkup:
    """Under a troubleshooting answer: back to the step, the center, or another problem.

    Writing to the center's staff (the help-request flow) is offered under every answer when
    a staff member can receive it (`ask`); the flow it opens replaces the guide's, but the
    guide's buttons keep working (their token).
    """
    rows = [[_button(lang, "guide.button.solved", data(token, "go", site, step))]]
    if with_center:
        rows.append([_button(lang, "guide.button.center", data(token, "center", site, step))])
    if ask:
        rows.append([ask_center_button(lang)])
    rows.append([_button(lang, "guide.button.other", data(token, "stuck", site, step))])
    return InlineKeyboardMarkup(rows)


def resume_keyboard(lang: str, token: str, site: Site, step: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(
                    lang,
                    "guide.button.resume",
                    data(token, "resume"),
                    where=where(lang, site, step),
                )
            ],
            [_button(lang, "guide.button.restart", data(token, "restart"))],
        ]
    )
