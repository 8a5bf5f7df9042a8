"""Resident-registration-number detection: catches the shapes people type, spares look-alikes."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.linking import BadVmsId, find_vms_id
from bot.services.privacy import _DASHES, contains_rrn, mentions_password, redact_rrn
from tests.disguises import DISGUISED, disguised_numbers


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


@pytest.mark.parametrize(
    "text",
    [
        *DISGUISED,
        "９００１０１－１２３４５６７",
        "900101\u200b1234567",  # a zero-width space
        "9\u200d00101-12\u00ad34567",  # a zero-width joiner and a soft hyphen
        "900101\u22121234567",  # a minus sign
        "900101\u318d1234567",  # the Korean middle dot ㆍ
        "900101\u30fb1234567",
        "900101\u30021234567",  # an ideographic full stop
        "900101 _ 1234567",
        "\u0669\u0660\u0660\u0661\u0660\u0661-\u0661\u0662\u0663\u0664\u0665\u0666\u0667",
    ],
)
def test_disguised_numbers_are_caught_and_refused_as_vms_ids(text: str) -> None:
    assert contains_rrn(text)
    assert "1234567" not in redact_rrn(text)
    with pytest.raises(BadVmsId):
        find_vms_id(text)
    with pytest.raises(BadVmsId):
        find_vms_id(f"제 아이디는 {text} 입니다")


def test_the_dash_list_is_every_dash_of_this_unicode() -> None:
    dashes = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Pd"}
    assert dashes <= set(_DASHES)


def test_passwords_hidden_by_zero_width_or_full_width_are_seen() -> None:
    assert mentions_password("비\u200b번 1234")
    assert mentions_password("ＰＡＳＳ\u2060ＷＯＲＤ: x")


@given(
    disguised_numbers(), st.sampled_from(["", "제 번호 ", "아이디: "]), st.sampled_from(["", " 요"])
)
def test_no_disguise_gets_past_the_guard_or_the_id_parser(
    number: str, before: str, after: str
) -> None:
    text = before + number + after
    assert contains_rrn(text)
    with pytest.raises(BadVmsId):
        find_vms_id(text)
