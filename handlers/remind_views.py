"""How /remind shows reminders: schedules in words, the list and its buttons."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from telegram import InlineKeyboardMarkup

from bot.i18n import Html, raw, t
from bot.services.flows import Flow
from bot.services.reminders import ReminderRow, Schedule
from handlers.common import plain_text
from handlers.compose_views import language_label
from handlers.flows import flow_button
from handlers.formats import clock_time, day, when


def describe(lang: str, schedule: Schedule, tz: tzinfo) -> str:
    """ "매달 25일 오전 10시", "매주 월요일 오후 3시 30분", "2026년 12월 25일 오전 10시에 한 번"."""
    if schedule.repeat == "once":
        assert schedule.once_at is not None
        # Always with its date, year included: a schedule is read again days later, when
        # "오전 9시" or "내일" would no longer say which day it meant.
        local = schedule.once_at.astimezone(tz)
        return raw(
            lang,
            "remind.schedule.once",
            date=day(lang, local.date()),
            time=clock_time(lang, local, tz),
        )
    # A time of day, written through the same formatter as every other time in the bot.
    moment = datetime(2000, 1, 1, schedule.hour, schedule.minute, tzinfo=tz).astimezone(UTC)
    at = clock_time(lang, moment, tz)
    if schedule.repeat == "weekly":
        weekday = raw(lang, f"remind.weekday.{schedule.day}")
        return raw(lang, "remind.schedule.weekly", weekday=weekday, time=at)
    key = "remind.schedule.monthly_short" if (schedule.day or 0) > 28 else "remind.schedule.monthly"
    return raw(lang, key, day=schedule.day, time=at)


# How much of a reminder's text the list shows: enough to tell two reminders apart.
EXCERPT = 40


def excerpt(lang: str, reminder: ReminderRow) -> str:
    """The first line of the reminder's text as volunteers read it (in the viewer's language
    when written in it), shortened: two reminders of the same schedule read apart."""
    source = reminder.text_en if lang == "en" and reminder.text_en else reminder.text_ko
    first = next((line.strip() for line in plain_text(source).splitlines() if line.strip()), "")
    if len(first) <= EXCERPT:
        return first
    cut = first[: EXCERPT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + "…"  # at a word's end


def _skipped_last(reminder: ReminderRow) -> bool:
    """Its latest run was skipped (the bot was down for over a day, or nobody was in its
    audience), not sent."""
    skipped, ran = reminder.skipped_run_at, reminder.last_run_at
    return skipped is not None and (ran is None or skipped > ran)


def _line(lang: str, reminder: ReminderRow, now: datetime, tz: tzinfo) -> Html:
    next_run = (
        t(lang, "remind.next", when=when(lang, reminder.next_run_at, now, tz))
        if reminder.next_run_at is not None
        else t(lang, "remind.next.none")
    )
    state = raw(lang, f"remind.state.{reminder.state}")
    if _skipped_last(reminder):
        assert reminder.skipped_run_at is not None
        skipped = when(lang, reminder.skipped_run_at, now, tz)
        why = "remind.skipped.empty" if reminder.skip_reason == "empty" else "remind.skipped"
        next_run = Html(t(lang, why, when=skipped) + "\n" + next_run)
        if reminder.state == "done":
            state = raw(lang, "remind.state.skipped")
    language = (
        t(lang, "remind.line.language", language=language_label(lang, reminder.language))
        if reminder.language is not None
        else Html("")
    )
    return t(
        lang,
        "remind.line",
        id=reminder.id,
        schedule=describe(lang, reminder.schedule, tz),
        state=state,
        segment=raw(lang, f"bc.segment.{reminder.segment}"),
        language=language,
        next=next_run,
        text=excerpt(lang, reminder),
    )


def list_text(lang: str, reminders: list[ReminderRow], now: datetime, tz: tzinfo) -> Html:
    lines = (
        "\n\n".join(_line(lang, r, now, tz) for r in reminders)
        if reminders
        else t(lang, "remind.list.empty")
    )
    text = t(lang, "remind.list", lines=Html(lines))
    if not reminders:
        offer = t(lang, "remind.offer_default", text=raw(lang, "remind.default.text"))
        text = Html(text + offer)
    return text


def list_buttons(lang: str, flow: Flow, reminders: list[ReminderRow]) -> InlineKeyboardMarkup:
    rows = []
    for r in reminders:
        row = []
        if r.state == "active":
            row.append(
                flow_button(flow, raw(lang, "remind.button.pause", id=r.id), f"pause:{r.id}")
            )
        elif r.state == "paused":
            row.append(
                flow_button(flow, raw(lang, "remind.button.resume", id=r.id), f"resume:{r.id}")
            )
        row.append(flow_button(flow, raw(lang, "remind.button.delete", id=r.id), f"del:{r.id}"))
        rows.append(row)
    if not reminders:
        rows.append([flow_button(flow, raw(lang, "remind.button.default"), "default")])
    rows.append([flow_button(flow, raw(lang, "remind.button.new"), "new")])
    rows.append([flow_button(flow, raw(lang, "button.close"), "close")])
    return InlineKeyboardMarkup(rows)
