"""Reminder schedules: next runs in the bot's time zone, and what staff type for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.services.reminders import Schedule, next_run, parse_monthly, parse_once, parse_time

SEOUL = ZoneInfo("Asia/Seoul")


def kst(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


@pytest.mark.parametrize(
    ("schedule", "after", "expected"),
    [
        # Monthly: the same month if still ahead, strictly later, across the year's end.
        (Schedule("monthly", 25, 10, 0), kst(2026, 3, 2, 18), kst(2026, 3, 25, 10)),
        (Schedule("monthly", 25, 10, 0), kst(2026, 3, 25, 10), kst(2026, 4, 25, 10)),
        (Schedule("monthly", 25, 10, 0), kst(2026, 12, 26), kst(2027, 1, 25, 10)),
        # The 31st is the last day of shorter months, not a skipped month.
        (Schedule("monthly", 31, 9, 30), kst(2026, 2, 1), kst(2026, 2, 28, 9, 30)),
        (Schedule("monthly", 31, 9, 30), kst(2028, 2, 1), kst(2028, 2, 29, 9, 30)),
        (Schedule("monthly", 31, 9, 30), kst(2026, 4, 30, 9, 30), kst(2026, 5, 31, 9, 30)),
        # Weekly (0 = Monday): later today, or next week when today's time has passed.
        (Schedule("weekly", 0, 10, 0), kst(2026, 3, 2, 9, 59), kst(2026, 3, 2, 10)),
        (Schedule("weekly", 0, 10, 0), kst(2026, 3, 2, 10), kst(2026, 3, 9, 10)),
        (Schedule("weekly", 6, 23, 0), kst(2026, 3, 2), kst(2026, 3, 8, 23)),
        # Once: its moment while ahead, then nothing.
        (Schedule("once", once_at=kst(2026, 5, 1, 8)), kst(2026, 4, 1), kst(2026, 5, 1, 8)),
        (Schedule("once", once_at=kst(2026, 5, 1, 8)), kst(2026, 5, 1, 8), None),
    ],
)
def test_next_run_is_the_first_run_strictly_after(
    schedule: Schedule, after: datetime, expected: datetime | None
) -> None:
    assert next_run(schedule, after, SEOUL) == expected


def test_runs_are_local_times_whatever_the_utc_date() -> None:
    # 10:00 KST on the 25th is 01:00 UTC on the 25th; 08:00 KST on the 1st is the 31st in UTC.
    run = next_run(Schedule("monthly", 1, 8, 0), kst(2026, 3, 2), SEOUL)
    assert run == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)
    # A whole year of weekly runs is 52 or 53 runs, one per week.
    runs: list[datetime] = []
    at: datetime | None = kst(2026, 1, 1)
    while at is not None and at < kst(2027, 1, 1):
        at = next_run(Schedule("weekly", 2, 7, 0), at, SEOUL)
        runs.append(at)  # type: ignore[arg-type]
    runs.pop()  # the first run of 2027
    assert len(runs) == 52 and all(b - a == timedelta(days=7) for a, b in pairwise(runs))


def test_what_staff_type_is_read_or_refused() -> None:
    assert parse_time("9:05") == (9, 5) and parse_time(" 23:59 ") == (23, 59)
    assert parse_time("24:00") is None and parse_time("10시") is None
    assert parse_monthly("25 10:00") == Schedule("monthly", 25, 10, 0)
    assert parse_monthly("25일 10:00") == Schedule("monthly", 25, 10, 0)
    assert parse_monthly("0 10:00") is None and parse_monthly("32 10:00") is None
    once = parse_once("2026-12-25 10:00", SEOUL)
    assert once is not None and once.once_at == kst(2026, 12, 25, 10)
    assert parse_once("2026.12.25 10:00", SEOUL) == once
    assert parse_once("2026-02-30 10:00", SEOUL) is None
    assert parse_once("내일 10시", SEOUL) is None
