"""How /status, its record list and one record look; texts from the catalogs, escaped by t().

Callback data (all outside flows, each carrying what it acts on) is built by
handlers/status_buttons.py, and for the resend buttons by handlers/send_buttons.py (answered by
handlers/send.py).
"""

from __future__ import annotations

import math
from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Html, raw, t
from bot.services.members import ConsentStatus, MemberStatus
from bot.services.status import (
    FILTERS,
    Filter,
    RecordLine,
    RecordPage,
    StatusView,
    Step,
)
from bot.services.status_summary import NOT_RESENDABLE, Summary, Tally
from core.types import Site
from handlers import guide_keyboards, link_views, menu_buttons, send_buttons, status_buttons
from handlers.formats import day, duration, when
from handlers.view_helpers import GATEWAY_WORDS, fits, shorten

PORTAL_1365 = "https://www.1365.go.kr"
# Shortened in the list so ten records stay far within one message; the whole text is on the
# record's own view (capped there too, against a gateway sending a novel).
LIST_HOST, LIST_ACTIVITY = 40, 60
RECORD_TEXT = 1500
KNOWN_REASONS = (
    "consent_1365_missing",
    "account_1365_not_found",
    "identity_mismatch",
    "duplicate",
    "portal_error",
)


# --- status -------------------------------------------------------------------------------


def _age(lang: str, fetched_at: datetime, now: datetime) -> Html:
    minutes = max(0, int((now - fetched_at).total_seconds() // 60))
    if minutes < 1:
        return t(lang, "status.age.now")
    if minutes < 60:
        return t(lang, "status.age.minutes", minutes=minutes)
    if minutes < 24 * 60:
        return t(lang, "status.age.hours", hours=minutes // 60)
    return t(lang, "status.age.days", days=minutes // (24 * 60))


def reason_short(lang: str, code: str | None) -> str:
    return raw(lang, f"status.reason.{code if code in KNOWN_REASONS else 'other'}.short")


def reason_text(lang: str, code: str | None, message: str | None) -> Html:
    """A failure in plain words with its fix; an unknown one in the gateway's own words."""
    if code in KNOWN_REASONS:
        return t(lang, f"status.reason.{code}")
    return t(lang, "status.reason.other", message=shorten(message or "-", GATEWAY_WORDS))


def _count(lang: str, key: str, tally: Tally) -> Html:
    return t(lang, key, count=tally.count, hours=duration(lang, tally.minutes))


def _records(lang: str, s: Summary, now: datetime, tz: tzinfo) -> list[str]:
    lines: list[str] = [t(lang, "status.records.title")]
    if not (s.unsent.count or s.pending.count or s.succeeded.count or s.failed.count):
        return [*lines, t(lang, "status.records.none")]
    every = (s.unsent, s.pending, s.succeeded, s.failed)
    # A duplicate 1365 refused is on 1365 once already: the total counts it no second time.
    total = Tally(
        sum(x.count for x in every) - s.duplicate.count,
        sum(x.minutes for x in every) - s.duplicate.minutes,
    )
    if s.duplicate.count:
        lines.append(
            t(
                lang,
                "status.count.total_without_duplicates",
                count=total.count,
                hours=duration(lang, total.minutes),
                duplicates=s.duplicate.count,
            )
        )
    else:
        lines.append(_count(lang, "status.count.total", total))
    # Only the states that hold records: "전송 성공 0건 (0분)" says nothing.
    if s.unsent.count:
        lines.append(_count(lang, "status.count.unsent", s.unsent))
    if s.pending.count:
        lines.append(_count(lang, "status.count.pending", s.pending))
    if s.succeeded.count:
        lines.append(_count(lang, "status.count.succeeded", s.succeeded))
        lines.extend(visibility_lines(lang, s, now, tz))
    lines.extend(failed_lines(lang, s))
    return lines


def visibility_lines(lang: str, s: Summary, now: datetime, tz: tzinfo) -> list[Html]:
    """Which successes are on 1365 already and when the others will be, each with its count."""
    waiting = s.waiting_at(now)
    if not waiting:
        return [t(lang, "status.count.visible_now")]
    lines: list[Html] = []
    still = sum(count for _, count in waiting)
    if s.succeeded.count > still:
        lines.append(t(lang, "status.count.visible_some", count=s.succeeded.count - still))
    for at, count in waiting:
        lines.append(
            t(lang, "status.count.visible_from", count=count, time=when(lang, at, now, tz))
        )
    return lines


# Steps where a send goes out but every record would come back failed.
_WOULD_FAIL: tuple[Step, ...] = ("consent_1365", "fix_account", "fix_identity")


def _send_line(lang: str, view: StatusView, step: Step, now: datetime, tz: tzinfo) -> Html:
    if view.sending:
        return t(lang, "send.in_progress")
    member = view.summary.member
    if not member.consent_vms.agreed:
        # /send refuses before asking the gateway; with neither consent, 1365 comes first.
        if not member.consent_1365.agreed:
            return t(lang, "status.send.refused_both")
        return t(lang, "status.send.refused")
    at = view.next_send_at()
    if at is None or at <= now:
        return t(lang, "status.send.would_fail" if step in _WOULD_FAIL else "status.send.now")
    minutes = max(1, math.ceil((at - now).total_seconds() / 60))
    return t(lang, "status.send.later", time=when(lang, at, now, tz), minutes=minutes)


def _next(lang: str, step: Step, view: StatusView, now: datetime, tz: tzinfo) -> Html:
    s = view.summary
    count = s.resendable_failed if step in ("resend_failed", "resend_later") else s.unsent.count
    if step in ("resend_later", "send_later"):
        at = view.next_send_at()
        assert at is not None  # these steps mean the hour is not over
        return t(lang, f"status.next.{step}", count=count, time=when(lang, at, now, tz))
    if step == "wait_visible":
        # The last of them to show: by then everything sent so far is on 1365.
        at, _ = s.waiting_at(now)[-1]
        waiting = sum(n for _, n in s.waiting_at(now))
        return t(lang, "status.next.wait_visible", count=waiting, time=when(lang, at, now, tz))
    return t(lang, f"status.next.{step}", count=count)


def next_block(lang: str, view: StatusView, step: Step, now: datetime, tz: tzinfo) -> Html:
    """ "다음 할 일" and the one step: /status and the returning /start say the same."""
    return Html(t(lang, "status.next.title") + "\n" + _next(lang, step, view, now, tz))


def failed_lines(lang: str, s: Summary) -> list[Html]:
    """The failed records and their commonest reason, or nothing when none failed."""
    if not s.failed.count:
        return []
    lines = [_count(lang, "status.count.failed", s.failed)]
    if s.top_reason:
        lines.append(t(lang, "status.count.top_reason", reason=reason_short(lang, s.top_reason)))
    if s.duplicate.count:
        lines.append(t(lang, "status.count.duplicates", count=s.duplicate.count))
    return lines


def consent_lines(lang: str, m: MemberStatus, step: Step) -> list[Html]:
    """Both consents, 1365 first; a 1365 consent that no longer works is never shown green."""
    by_site: tuple[tuple[Site, ConsentStatus], ...] = (
        ("1365", m.consent_1365),
        ("vms", m.consent_vms),
    )
    return [
        link_views.consent_line(
            lang, site, consent, account_1365=m.account_1365, identity_void=step == "fix_identity"
        )
        for site, consent in by_site
    ]


def _reason(lang: str, s: Summary) -> Html:
    """The commonest failure; a missing 1365 consent given since is told as fixed."""
    if s.top_reason == "consent_1365_missing" and s.member.consent_1365.agreed:
        return t(lang, "status.reason.consent_1365_missing.given_since")
    return reason_text(lang, s.top_reason, s.top_reason_message)


def status_text(lang: str, view: StatusView, step: Step, now: datetime, tz: tzinfo) -> Html:
    s = view.summary
    m = s.member
    parts: list[str] = [t(lang, "status.title")]
    if view.stale:
        parts.append(t(lang, "status.stale") + "\n" + _age(lang, view.fetched_at, now))
    head = [link_views.pair(lang, m.vms_id, m.id_1365_masked), *consent_lines(lang, m, step)]
    if m.account_1365 == "not_found":
        head.append(t(lang, "status.account.not_found"))
    elif m.account_1365 != "active":
        head.append(t(lang, "status.account.other"))
    parts.append("\n".join(head))
    parts.append("\n".join(_records(lang, s, now, tz)))
    if s.failed.count and s.top_reason and step not in ("fix_account", "fix_identity"):
        parts.append(_reason(lang, s))
    parts.append(_send_line(lang, view, step, now, tz))
    parts.append(next_block(lang, view, step, now, tz))
    parts.append(t(lang, "status.as_of", time=when(lang, view.fetched_at, now, tz)))
    return Html("\n\n".join(parts))


def _button(lang: str, key: str, data: str, **values: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(raw(lang, key, **values), callback_data=data)


def resend_buttons(lang: str, failed: int, unsent: int) -> list[InlineKeyboardButton]:
    """Each button says what it sends: the failed records only, or (when there are unsent
    ones too) everything, which a send an hour would otherwise leave for the next hour."""
    only = _button(lang, "status.button.resend", send_buttons.FAILED, count=failed)
    if not unsent:
        return [only]
    every = _button(lang, "status.button.send_all", send_buttons.START, count=unsent)
    return [
        _button(lang, "status.button.resend_only", send_buttons.FAILED, count=failed),
        every,
    ]


def step_buttons(lang: str, step: Step, s: Summary) -> list[InlineKeyboardButton]:
    """The next step as buttons: the guide where a consent is to do, else the send."""
    portal = InlineKeyboardButton(raw(lang, "status.button.open_1365"), url=PORTAL_1365)
    if step in ("consent_1365", "fix_account"):
        # The guide says why it starts at 1365 step 1 for a deleted account.
        return [guide_keyboards.entry_button(lang, "1365"), portal]
    if step == "consent_vms":
        return [guide_keyboards.entry_button(lang, "vms")]
    if step == "fix_identity":
        # The guide shows the reset (정보제공 동의 초기화) and then offers to send again.
        return [_button(lang, "status.button.guide_reset", status_buttons.guide("1365")), portal]
    if step == "look_on_1365":
        return [portal]
    if step == "resend_failed":
        return resend_buttons(lang, s.resendable_failed, s.unsent.count)
    if step == "send_unsent":
        return [_button(lang, "status.button.send", send_buttons.START, count=s.unsent.count)]
    return []  # waiting, or nothing to do: 🔄 새로고침 is the button


def status_keyboard(lang: str, step: Step, s: Summary) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = [[b] for b in step_buttons(lang, step, s)]
    rows.append(
        [
            _button(lang, "status.button.list", status_buttons.page("all", 0)),
            _button(lang, "status.button.refresh", status_buttons.REFRESH),
        ]
    )
    return InlineKeyboardMarkup(rows)


def retry_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(lang, "status.button.refresh", status_buttons.REFRESH)]])


def not_linked_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(lang, "status.button.link", menu_buttons.LINK)]])


# --- the record list ----------------------------------------------------------------------


def _result(lang: str, line: RecordLine, now: datetime, tz: tzinfo) -> Html:
    sent = (
        when(lang, line.sent_at, now, tz)
        if line.sent_at is not None
        else raw(lang, "status.result.not_sent")
    )
    if line.status == "unsent":
        return t(lang, "status.result.unsent")
    key = line.status if line.status in ("pending", "succeeded", "failed") else "other"
    text = t(lang, f"status.result.{key}", sent=sent)
    if line.status == "failed":
        code = line.reason_code if line.reason_code in KNOWN_REASONS else "other"
        text = Html(text + " · " + t(lang, f"status.reason.{code}.short"))
    return text


def _item(
    lang: str, n: int, line: RecordLine, now: datetime, tz: tzinfo, host: int, activity: int
) -> Html:
    text = t(
        lang,
        "status.list.item",
        n=n,
        date=day(lang, line.activity_date),
        hours=duration(lang, line.minutes),
        kind=shorten(line.kind, 20, one_line=True),
        host=shorten(line.host, host, one_line=True),
        activity=shorten(line.activity, activity, one_line=True),
        result=_result(lang, line, now, tz),
    )
    if line.under_an_hour:
        text = Html(text + "\n" + t(lang, "status.list.short_hours"))
    return text


def list_text(lang: str, page: RecordPage, now: datetime, tz: tzinfo) -> Html:
    """The page, shortened further if some gateway's texts would still overflow a message."""
    for host, activity in ((LIST_HOST, LIST_ACTIVITY), (24, 32), (12, 16)):
        text = _list_text(lang, page, now, tz, host, activity)
        if fits(text):
            return text
    return text


def _list_text(
    lang: str, page: RecordPage, now: datetime, tz: tzinfo, host: int, activity: int
) -> Html:
    title = t(
        lang,
        "status.list.title",
        filter=raw(lang, f"status.list.filter.{page.filter}"),
        total=page.total,
        page=page.page + 1,
        pages=page.pages,
    )
    if not page.lines:
        body = [t(lang, "status.list.empty")]
    else:
        first = page.page * 10 + 1
        body = [
            _item(lang, first + i, line, now, tz, host, activity)
            for i, line in enumerate(page.lines)
        ]
        body.append(t(lang, "status.list.hint"))
    as_of = t(lang, "status.as_of", time=when(lang, page.fetched_at, now, tz))
    return Html("\n\n".join([title, *body, as_of]))


def list_keyboard(lang: str, page: RecordPage) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    first = page.page * 10 + 1
    numbers = [
        InlineKeyboardButton(
            str(first + i), callback_data=status_buttons.record(line.ref, page.filter, page.page)
        )
        for i, line in enumerate(page.lines)
    ]
    rows.extend(numbers[i : i + 5] for i in range(0, len(numbers), 5))
    nav: list[InlineKeyboardButton] = []
    if page.page > 0:
        nav.append(
            _button(lang, "status.list.prev", status_buttons.page(page.filter, page.page - 1))
        )
    if page.page + 1 < page.pages:
        nav.append(
            _button(lang, "status.list.next", status_buttons.page(page.filter, page.page + 1))
        )
    if nav:
        rows.append(nav)
    if page.filter == "failed" and page.total:
        # Only the failed ones, as the label says (a duplicate among them is left out).
        rows.append([_button(lang, "send.button.resend_failed", send_buttons.FAILED)])
    rows.append([_filter_button(lang, f, page.filter) for f in FILTERS])
    rows.append([_button(lang, "status.list.back", status_buttons.HOME)])
    return InlineKeyboardMarkup(rows)


def _filter_button(lang: str, f: Filter, current: Filter) -> InlineKeyboardButton:
    label = raw(lang, f"status.list.filter.{f}")
    return InlineKeyboardButton(
        ("✔ " if f == current else "") + label, callback_data=status_buttons.page(f, 0)
    )


# --- one record ---------------------------------------------------------------------------


def record_text(lang: str, line: RecordLine, now: datetime, tz: tzinfo) -> Html:
    """The record's own view, its texts shortened only as much as one message needs."""
    limit = RECORD_TEXT
    text = _record_text(lang, line, now, tz, limit)
    while not fits(text) and limit > 20:
        limit //= 2  # emoji count twice, and a gateway's texts have no length limit
        text = _record_text(lang, line, now, tz, limit)
    return text


def _record_text(lang: str, line: RecordLine, now: datetime, tz: tzinfo, limit: int) -> Html:
    sent = (
        when(lang, line.sent_at, now, tz)
        if line.sent_at is not None
        else raw(lang, "status.result.not_sent")
    )
    body = t(
        lang,
        "status.record.body",
        date=day(lang, line.activity_date),
        host=shorten(line.host, limit),
        activity=shorten(line.activity, limit),
        hours=duration(lang, line.minutes),
        kind=shorten(line.kind, 100),
        sent=sent,
        result=_result(lang, line, now, tz),
    )
    parts: list[str] = [t(lang, "status.record.title"), body]
    if line.under_an_hour:
        parts.append(t(lang, "status.list.short_hours").strip())
    if line.status == "failed":
        parts.append(reason_text(lang, line.reason_code, line.reason_message))
    if line.status == "succeeded":
        at = line.visible_on_1365_at
        if at is not None and at > now:
            parts.append(t(lang, "status.record.visible_from", time=when(lang, at, now, tz)))
        else:
            parts.append(t(lang, "status.record.visible_now"))
    return Html("\n\n".join(parts))


def resendable(line: RecordLine) -> bool:
    """A failed record sending again can help (a duplicate is already on 1365)."""
    return line.status == "failed" and line.reason_code not in NOT_RESENDABLE


def record_keyboard(
    lang: str, filter: Filter, page: int, line: RecordLine | None = None
) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if line is not None and resendable(line):
        # Carries only the ref; /send resolves it among this user's own cached records.
        resend = send_buttons.record(line.ref)
        rows.append([_button(lang, "send.button.resend_record", resend)])
    rows.append([_button(lang, "status.record.back", status_buttons.page(filter, page))])
    return InlineKeyboardMarkup(rows)
