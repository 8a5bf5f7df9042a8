"""Durations, times and dates read as a person writes them, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.formats import clock_time, date_time, day, duration

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
    # 06:05 UTC is 15:05 in Seoul; midnight and noon are 12, never 0.
    assert clock_time("ko", datetime(2026, 3, 2, 6, 5, tzinfo=UTC), SEOUL) == "오후 3시 5분"
    assert clock_time("en", datetime(2026, 3, 2, 6, 5, tzinfo=UTC), SEOUL) == "3:05 PM"
    assert clock_time("ko", datetime(2026, 3, 2, 0, 0, tzinfo=UTC), SEOUL) == "오전 9시"
    assert clock_time("ko", datetime(2026, 3, 2, 15, 0, tzinfo=UTC), SEOUL) == "오전 12시"
    assert clock_time("ko", datetime(2026, 3, 2, 3, 0, tzinfo=UTC), SEOUL) == "오후 12시"


def test_dates_have_no_zero_padding_in_korean() -> None:
    assert day("ko", date(2019, 9, 11)) == "2019년 9월 11일"
    assert day("en", date(2019, 9, 11)) == "2019-09-11"
    # 23:30 UTC on 10 September is already 11 September in Seoul.
    moment = datetime(2019, 9, 10, 23, 30, tzinfo=UTC)
    assert date_time("ko", moment, SEOUL) == "2019년 9월 11일 오전 8시 30분"
