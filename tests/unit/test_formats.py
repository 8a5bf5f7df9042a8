"""Durations, times and dates read as a person writes them, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.formats import clock_time, day, duration, when

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(
    ("minutes", "ko", "en"),
    [
        (450, "7시간 30분", "7 h 30 min"),
        (120, "2시간", "2 h"),
        (30, "30분", "30 min"),
        (0, "0분", "0 min"),
    ],
)
def test_durations(minutes: int, ko: str, en: str) -> None:
    assert (duration("ko", minutes), duration("en", minutes)) == (ko, en)


def test_times_of_day_in_seoul() -> None:
    # 06:05 UTC is 15:05 in Seoul; noon is 오후 12시, the hour after midnight is 0시.
    assert clock_time("ko", datetime(2026, 3, 2, 6, 5, tzinfo=UTC), SEOUL) == "오후 3시 5분"
    assert clock_time("en", datetime(2026, 3, 2, 6, 5, tzinfo=UTC), SEOUL) == "3:05 PM"
    assert clock_time("ko", datetime(2026, 3, 2, 0, 0, tzinfo=UTC), SEOUL) == "오전 9시"
    assert clock_time("ko", datetime(2026, 3, 2, 3, 0, tzinfo=UTC), SEOUL) == "오후 12시"


def test_the_hour_after_midnight_is_0_in_korean_never_12_am() -> None:
    assert clock_time("ko", datetime(2026, 3, 2, 15, 0, tzinfo=UTC), SEOUL) == "0시"
    assert clock_time("ko", datetime(2026, 3, 2, 15, 32, tzinfo=UTC), SEOUL) == "0시 32분"
    assert clock_time("en", datetime(2026, 3, 2, 15, 32, tzinfo=UTC), SEOUL) == "12:32 AM"


# 18:00 in Seoul on 2 March 2026 (the fake clock's start).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "ko", "en"),
    [
        # Today: the time only.
        (datetime(2026, 3, 2, 14, 32, tzinfo=UTC), "오후 11시 32분", "11:32 PM"),
        # 32 minutes past midnight, tomorrow in Seoul.
        (datetime(2026, 3, 2, 15, 32, tzinfo=UTC), "내일 0시 32분", "12:32 AM tomorrow"),
        (datetime(2026, 3, 3, 1, 0, tzinfo=UTC), "내일 오전 10시", "10 AM tomorrow"),
        # Other days: with the date, without the year in this year.
        (datetime(2026, 12, 8, 15, 32, tzinfo=UTC), "12월 9일 0시 32분", "Dec 9, 12:32 AM"),
        (datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "3월 1일 오후 6시", "Mar 1, 6 PM"),
        (
            datetime(2019, 9, 10, 23, 30, tzinfo=UTC),
            "2019년 9월 11일 오전 8시 30분",
            "Sep 11, 2019, 8:30 AM",
        ),
    ],
)
def test_moments_say_which_day_as_seen_from_now(moment: datetime, ko: str, en: str) -> None:
    assert when("ko", moment, NOW, SEOUL) == ko
    assert when("en", moment, NOW, SEOUL) == en


def test_dates_have_no_zero_padding_in_korean() -> None:
    assert day("ko", date(2019, 9, 11)) == "2019년 9월 11일"
    assert day("en", date(2019, 9, 11)) == "2019-09-11"
