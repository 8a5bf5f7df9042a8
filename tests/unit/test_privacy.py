"""Resident-registration-number detection: catches the shapes people type, spares look-alikes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.privacy import contains_rrn, redact_rrn


@pytest.mark.parametrize(
    "text",
    [
        "050101-3123456",
        "0501013123456",
        "050101 3123456",
        "번호: 991231-2345678요",
        "900101 - 1234567",
        "851010—2000000",
    ],
)
def test_shapes_people_type_are_caught(text: str) -> None:
    assert contains_rrn(text)
    assert "3123456" not in redact_rrn(text) and "2345678" not in redact_rrn(text)


@pytest.mark.parametrize(
    "text",
    [
        "010-1234-5678",  # a mobile number
        "01012345678",
        "051301-3123456",  # month 13
        "050132-3123456",  # day 32
        "050101-9123456",  # no such gender digit
        "12050101-3123456",  # glued to more digits
        "2026-03-01 봉사 3시간",
        "",
    ],
)
def test_look_alikes_pass(text: str) -> None:
    assert not contains_rrn(text)


@given(
    st.integers(0, 99),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(1, 8),
    st.integers(0, 999_999),
    st.sampled_from(["-", "", " "]),
    st.text(max_size=20),
    st.text(max_size=20),
)
def test_any_valid_shape_inside_text_is_redacted(yy, mm, dd, g, rest, sep, before, after) -> None:  # type: ignore[no-untyped-def]
    number = f"{yy:02d}{mm:02d}{dd:02d}{sep}{g}{rest:06d}"
    text = f"{before} {number} {after}"
    assert contains_rrn(text)
    assert number not in redact_rrn(text)
