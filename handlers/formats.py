"""Durations, clock times and dates as a person reads them: "7시간 30분", "내일 0시 32분"."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from bot.i18n import raw


def duration(lang: str, minutes: int) -> str:
    """Volunteer time: 450 → "7시간 30분", 120 → "2시간", 30 → "30분"."""
    hours, rest = divmod(max(0, minutes), 60)
    if hours and rest:
        return raw(lang, "format.duration.hours_minutes", hours=hours, minutes=rest)
    if hours:
        return raw(lang, "format.duration.hours", hours=hours)
    return raw(lang, "format.duration.minutes", minutes=rest)


def day(lang: str, value: date) -> str:
    """A calendar date: "2019년 9월 11일" / "2019-09-11"."""
    return raw(lang, "link.date", year=value.year, month=value.month, day=value.day)


def clock_time(lang: str, moment: datetime, tz: tzinfo) -> str:
    """A time of day in the bot's time zone: "오후 3시 5분", "0시 32분" / "3:05 PM", "12:32 AM".

    Only for a time that repeats (a reminder's "매주 월요일 0시 30분"); a moment is written
    with `when`, which says which day it is.
    """
    local = moment.astimezone(tz)
    if local.hour == 0:
        # "오전 12시 32분" reads as noon to many: Korean writes the hour after midnight as 0시.
        if local.minute:
            return raw(lang, "format.time.midnight_minute", minute=local.minute)
        return raw(lang, "format.time.midnight")
    half = raw(lang, "format.time.pm" if local.hour >= 12 else "format.time.am")
    hour = local.hour % 12 or 12
    if local.minute:
        return raw(lang, "format.time.hour_minute", half=half, hour=hour, minute=local.minute)
    return raw(lang, "format.time.hour", half=half, hour=hour)


def when(lang: str, moment: datetime, now: datetime, tz: tzinfo) -> str:
    """A moment as seen from `now`: "오후 3시 5분" today, "내일 0시 32분", "12월 9일 0시 32분",
    "2025년 12월 9일 오후 3시" in another year / "3:05 PM", "12:32 AM tomorrow", "Dec 9, …"."""
    local = moment.astimezone(tz)
    today = now.astimezone(tz).date()
    time = clock_time(lang, local, tz)
    if local.date() == today:
        return time
    if local.date() == today + timedelta(days=1):
        return raw(lang, "format.when.tomorrow", time=time)
    month_name = raw(lang, f"format.month.{local.month}")
    if local.year == today.year:
        return raw(lang, "format.when.this_year", month_name=month_name, day=local.day, time=time)
    return raw(
        lang,
        "format.when.other_year",
        year=local.year,
        month_name=month_name,
        day=local.day,
        time=time,
    )
