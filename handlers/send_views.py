"""How /send and its results look: the prompts, the refusals, one message per transmission."""

from __future__ import annotations

from datetime import datetime, tzinfo
from math import ceil
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Html, raw, t
from bot.services import sending
from bot.services.flows import Flow
from bot.services.status import RecordLine
from core.types import Site
from handlers import menu_buttons, send_buttons
from handlers.flows import flow_button
from handlers.formats import day, duration, when
from handlers.view_helpers import GATEWAY_WORDS, shorten

URL_1365 = "https://www.1365.go.kr"


def what(lang: str, ready: sending.Ready) -> str:
    if ready.unsent and ready.failed:
        return raw(lang, "send.what.both", unsent=ready.unsent, failed=ready.failed)
    if ready.failed:
        return raw(lang, "send.what.failed", failed=ready.failed)
    return raw(lang, "send.what.unsent", unsent=ready.unsent)


def prompt(lang: str, flow: Flow[Any], ready: sending.Ready) -> tuple[Html, InlineKeyboardMarkup]:
    """The confirmation, or with the 1365 consent missing, the warning that comes first."""
    values = {"what": what(lang, ready), "total": duration(lang, ready.minutes)}
    cancel = flow_button(flow, raw(lang, "send.button.cancel"), "cancel")
    if ready.warning is None:
        send = flow_button(flow, raw(lang, "send.button.send"), "go")
        return t(lang, "send.confirm", **values), InlineKeyboardMarkup([[send, cancel]])
    # The guide first (the reset's steps for an identity change), sending anyway second.
    label = "send.button.guide_reset" if ready.warning == "identity" else "send.button.guide_1365"
    rows = [
        [flow_button(flow, raw(lang, label), "guide")],
        [flow_button(flow, raw(lang, "send.button.anyway"), "anyway"), cancel],
    ]
    return t(lang, _WARN_KEYS[ready.warning], **values), InlineKeyboardMarkup(rows)


_WARN_KEYS = {
    "consent_1365": "send.warn_1365",
    "account_1365": "send.warn_account",
    "identity": "send.warn_identity",
}


_ANYWAY_KEYS = {
    "account_1365": "send.confirm_anyway.account",
    "identity": "send.confirm_anyway.identity",
}


def confirm_anyway(
    lang: str, flow: Flow[Any], warning: sending.SendWarning | None
) -> tuple[Html, InlineKeyboardMarkup]:
    sure = flow_button(flow, raw(lang, "send.button.anyway_sure"), "go")
    cancel = flow_button(flow, raw(lang, "send.button.cancel"), "cancel")
    # A flow stored before the warning was kept with it warned of the 1365 consent.
    text = t(lang, _ANYWAY_KEYS.get(warning or "", "send.confirm_anyway"))
    return text, InlineKeyboardMarkup([[sure], [cancel]])


def too_soon(lang: str, until: datetime, now: datetime, tz: tzinfo) -> Html:
    """ "오후 3시 5분부터 보낼 수 있어요(37분 남았어요)": minutes rounded up, never 0."""
    left = max(1, ceil((until - now).total_seconds() / 60))
    return t(lang, "send.too_soon", time=when(lang, until, now, tz), left=duration(lang, left))


def problem(
    lang: str, exc: sending.ServiceProblem, now: datetime, tz: tzinfo
) -> tuple[Html, InlineKeyboardMarkup | None]:
    if isinstance(exc, sending.SendTooSoon):
        return too_soon(lang, exc.until, now, tz), None
    if isinstance(exc, sending.NotLinked):
        link = InlineKeyboardButton(raw(lang, "button.link"), callback_data=menu_buttons.LINK)
        return t(lang, "send.not_linked"), InlineKeyboardMarkup([[link]])
    if isinstance(exc, sending.VmsConsentMissing):
        # As /start and /status: the 1365 side first while it is not in place.
        if exc.done_1365:
            guide = _guide_button(lang, "vms")
            return t(lang, "send.vms_consent_missing.vms_only"), InlineKeyboardMarkup([[guide]])
        guide = _guide_button(lang, "1365")
        return t(lang, "send.vms_consent_missing"), InlineKeyboardMarkup([[guide]])
    if isinstance(exc, sending.NothingUnsent):
        return t(lang, "send.nothing"), None
    if isinstance(exc, sending.SendInProgress):
        return t(lang, "send.in_progress"), None
    return t(lang, "send.unavailable"), None


def _guide_button(lang: str, site: Site) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        raw(lang, f"send.button.guide_{site}"), callback_data=send_buttons.guide(site)
    )


_NEEDS_1365 = {"consent_1365_missing", "account_1365_not_found", "identity_mismatch"}


def result(
    lang: str, outcome: sending.SendResult, now: datetime, tz: tzinfo
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """One message per transmission: what succeeded, and each failure with its fix."""
    lines = [t(lang, "send.result.head")]
    if outcome.succeeded:
        if outcome.visible_at is not None:
            at = when(lang, outcome.visible_at, now, tz)
            lines.append(t(lang, "send.result.succeeded", count=outcome.succeeded, time=at))
        else:
            lines.append(t(lang, "send.result.succeeded_now", count=outcome.succeeded))
    if outcome.failures:
        lines.append(t(lang, "send.result.failed", count=outcome.failed))
    for failure in outcome.failures:
        lines.append(
            t(
                lang,
                f"send.reason.{failure.code}",
                count=failure.count,
                message=shorten(failure.message, GATEWAY_WORDS),
            )
        )
    codes = {f.code for f in outcome.failures}
    rows: list[list[InlineKeyboardButton]] = []
    if "identity_mismatch" in codes:
        # As /status: the reset's guide. No "send again": within the hour it is refused, and
        # before the reset every record fails again.
        reset = raw(lang, "send.button.guide_reset")
        rows.append([InlineKeyboardButton(reset, callback_data=send_buttons.guide("1365"))])
    elif codes & _NEEDS_1365:
        rows.append([_guide_button(lang, "1365")])
    if codes - {"duplicate"} and "identity_mismatch" not in codes:
        # The failed ones only, as the label says: unsent records are not this message's.
        count = sum(f.count for f in outcome.failures if f.code != "duplicate")
        label = raw(lang, "send.button.resend", count=count)
        rows.append([InlineKeyboardButton(label, callback_data=send_buttons.FAILED)])
    return Html("\n".join(lines)), InlineKeyboardMarkup(rows) if rows else None


def refused(lang: str, outcome: sending.Refused, now: datetime, tz: tzinfo) -> Html:
    if outcome.until is None:
        return t(lang, "send.result.refused")
    return t(lang, "send.result.refused_until", time=when(lang, outcome.until, now, tz))


def visible(
    lang: str, count: int, lines: list[RecordLine] | None = None
) -> tuple[Html, InlineKeyboardMarkup]:
    """ "Look on 1365 now", with the records that went through when /status has seen them."""
    button = InlineKeyboardButton(raw(lang, "send.button.open_1365"), url=URL_1365)
    parts = [t(lang, "send.visible", count=count)]
    for line in lines or []:
        parts.append(
            t(
                lang,
                "send.visible.record",
                date=day(lang, line.activity_date),
                host=shorten(line.host, 30, one_line=True),
                activity=shorten(line.activity, 40, one_line=True),
                hours=duration(lang, line.minutes),
            )
        )
    if lines and count > len(lines):
        parts.append(t(lang, "send.visible.more", count=count - len(lines)))
    return Html("\n".join(parts)), InlineKeyboardMarkup([[button]])


def nudge(lang: str, count: int) -> tuple[Html, InlineKeyboardMarkup]:
    button = InlineKeyboardButton(
        raw(lang, "send.button.nudge_send"), callback_data=send_buttons.START
    )
    return t(lang, "send.nudge", count=count), InlineKeyboardMarkup([[button]])
