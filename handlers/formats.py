"""Durations, clock times and dates as a person reads them: "7시간 30분", "오후 3시 5분"."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

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
    """A time of day in the bot's time zone: "오후 3시 5분", "오전 9시" / "3:05 PM", "9 AM"."""
    local = moment.astimezone(tz)
    half = raw(lang, "format.time.pm" if local.hour >= 12 else "format.time.am")
    hour = local.hour % 12 or 12
    if local.minute:
        return raw(lang, "format.time.hour_minute", half=half, hour=hour, minute=local.minute)
    return raw(lang, "format.time.hour", half=half, hour=hour)


def date_time(lang: str, moment: datetime, tz: tzinfo) -> str:
    """ "2019년 9월 11일 오후 3시 5분": a moment as a date and a time of day, in `tz`."""
    local = moment.astimezone(tz)
    return raw(
        lang, "format.date_time", date=day(lang, local.date()), time=clock_time(lang, local, tz)
    )
