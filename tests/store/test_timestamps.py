"""Timestamps: aware UTC in, fixed-width text that sorts like time, aware UTC out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.timestamps import from_text, from_text_or_none, to_text, to_text_or_none

aware = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_text(datetime(2026, 3, 2, 9, 0))


def test_other_zones_are_stored_as_utc() -> None:
    seoul = datetime(2026, 3, 2, 18, 0, tzinfo=timezone(timedelta(hours=9)))
    assert to_text(seoul) == "2026-03-02T09:00:00.000000+00:00"


@given(aware, aware)
def test_round_trip_and_text_order_is_time_order(a: datetime, b: datetime) -> None:
    assert from_text(to_text(a)) == a
    assert (to_text(a) < to_text(b)) == (a < b)


@given(aware)
def test_a_column_that_may_be_null_round_trips_through_the_or_none_pair(moment: datetime) -> None:
    """One home for NULL-able timestamp columns (store/broadcasts.py, reminders.py, desk.py)."""
    assert from_text_or_none(to_text_or_none(moment)) == moment
    assert to_text_or_none(None) is None
    assert from_text_or_none(None) is None and from_text_or_none("") is None
