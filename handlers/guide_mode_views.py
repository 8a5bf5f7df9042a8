"""How guide mode (no gateway) looks: explanations, the handout's steps, the volunteer's own
word shown as "직접 알려 주신 내용", never with the ✅ that gateway data gets."""

from __future__ import annotations

from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Html, raw, t
from bot.services.guide_mode import VISIBLE_AFTER, AlreadySentThisHour, Later, Recorded, Reported
from handlers import guide_mode_buttons as buttons
from handlers import menu_buttons
from handlers.formats import when
from handlers.guide_keyboards import SITE_URLS
from handlers.guide_views import consent_name


def _button(lang: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(raw(lang, key), callback_data=data)


def _url(lang: str, key: str, url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(raw(lang, key), url=url)


def _sites(lang: str) -> list[InlineKeyboardButton]:
    return [
        _url(lang, "gm.button.vms", SITE_URLS["vms"]),
        _url(lang, "gm.button.1365", SITE_URLS["1365"]),
    ]


def reported_lines(lang: str, reported: Reported, now: datetime, tz: tzinfo) -> Html:
    """The volunteer's own word, under its own heading; nothing of it is called verified."""
    lines: list[str] = []
    for site in reported.consents:
        lines.append(t(lang, "gm.reported.consent", consent=consent_name(lang, site)))
    last = reported.last_send
    if last is not None:
        lines.append(t(lang, "gm.reported.sent", time=when(lang, last.sent_at, now, tz)))
        if last.seen_on_1365 is True:
            lines.append(t(lang, "gm.reported.seen"))
        elif last.seen_on_1365 is False:
            lines.append(t(lang, "gm.reported.not_seen"))
        else:
            visible = when(lang, last.sent_at + VISIBLE_AFTER, now, tz)
            lines.append(t(lang, "gm.reported.waiting", time=visible))
    if not lines:
        return t(lang, "gm.reported.none")
    text = t(lang, "gm.reported.title") + "\n" + "\n".join(lines)
    if reported.next_send_at is not None:
        wait = t(lang, "gm.reported.next_send", time=when(lang, reported.next_send_at, now, tz))
        text += "\n\n" + wait
    return Html(text)


def entry(
    lang: str, what: str, reported: Reported, now: datetime, tz: tzinfo
) -> tuple[Html, InlineKeyboardMarkup]:
    """/link, /status or /send: one message, the explanation first, then the way on the sites."""
    parts = [t(lang, "gm.not_connected"), t(lang, f"gm.{what}.body")]
    if what == "status":
        parts.append(reported_lines(lang, reported, now, tz))
    rows = [_sites(lang)]
    if what in ("send", "status"):
        rows.insert(0, [_button(lang, "gm.button.sent", buttons.SENT)])
    rows.append([_button(lang, "button.howto", menu_buttons.HOWTO)])
    return Html("\n\n".join(parts)), InlineKeyboardMarkup(rows)


def sent(lang: str, outcome: Recorded | AlreadySentThisHour, now: datetime, tz: tzinfo) -> Html:
    if isinstance(outcome, AlreadySentThisHour):
        return t(
            lang,
            "gm.sent.too_soon",
            sent=when(lang, outcome.sent_at, now, tz),
            next=when(lang, outcome.next_send_at, now, tz),
        )
    return t(
        lang,
        "gm.sent.recorded",
        time=when(lang, outcome.sent_at, now, tz),
        visible=when(lang, outcome.visible_at, now, tz),
        next=when(lang, outcome.next_send_at, now, tz),
    )


def question(
    lang: str, sent_at: datetime, now: datetime, tz: tzinfo, *, reminder: bool
) -> tuple[Html, InlineKeyboardMarkup]:
    """ "1365에서 보이나요?"; the chosen reminder offers no second "later"."""
    text = t(lang, "gm.check.question", sent=when(lang, sent_at, now, tz))
    if reminder:
        text = Html(t(lang, "gm.check.reminder") + "\n" + text)
    answers = [
        _button(lang, "gm.button.yes", buttons.YES),
        _button(lang, "gm.button.no", buttons.NO),
    ]
    rows = [answers, [_url(lang, "gm.button.1365", SITE_URLS["1365"])]]
    if not reminder:
        rows.insert(1, [_button(lang, "gm.button.later", buttons.LATER)])
    return text, InlineKeyboardMarkup(rows)


def not_seen_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(lang, "gm.button.guide_1365", buttons.GUIDE_1365)],
            _sites(lang),
            [_button(lang, "gm.button.sent", buttons.SENT)],
        ]
    )


def later_keyboard(lang: str, choices: list[tuple[Later, datetime]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(lang, f"gm.later.{choice}", buttons.at(choice))] for choice, _ in choices]
    )
