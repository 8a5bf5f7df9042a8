"""The Korean catalogs read as one voice: 해요체, particles fitted to the word, unpadded dates."""

from __future__ import annotations

import re

import pytest

from bot.i18n import CATALOGS, ko, ko_answers, ko_formats, ko_link, ko_send, ko_status, t

# The portals' own words, which the texts quote, may keep their register: '…동의하셨습니다'.
_QUOTED = re.compile(r"'[^']*'")
# 합쇼체 endings: -습니다/-ㅂ니다 (입니다, 됩니다, 합니다), their questions, -십시오.
_FORMAL = re.compile(r"[가-힣]*(?:습니다|[입됩합갑봅옵줍]니다|습니까|[입됩합]니까|십시오)")
# Machine particles: both forms written out for the machine to skip choosing.
_MACHINE = re.compile(r"\((?:은|는|이|가|을|를|으|과|와|아|야)\)|\(으\)로|\(이\)")
# A particle glued to a placeholder without a format spec picks no form: "{id}를".
_BARE = re.compile(r"\{\w+\}(?:은|는|이|가|을|를|으로|로|과|와|이나)(?![가-힣])")

# ko_guide quotes the portals at length and is checked by its own tests; add it here once its
# bot-voice sentences are in 해요체 too.
CHECKED = (ko, ko_link, ko_send, ko_formats, ko_answers, ko_status)


def _texts() -> list[tuple[str, str]]:
    return [(key, text) for module in CHECKED for key, text in module.TEXTS.items()]


def test_the_bots_own_sentences_are_haeyo_che() -> None:
    formal = [(k, _FORMAL.findall(_QUOTED.sub("", v))) for k, v in _texts()]
    assert [f for f in formal if f[1]] == []
    assert len(_texts()) > 200  # the walk really saw the catalogs


def test_no_machine_particles_anywhere() -> None:
    found = [
        key for key, text in CATALOGS["ko"].items() if _MACHINE.search(text) or _BARE.search(text)
    ]
    assert found == []


def test_dates_are_written_without_padding() -> None:
    assert t("ko", "link.date", year=2019, month=9, day=11) == "2019년 9월 11일"
    padded = [k for k, v in CATALOGS["ko"].items() if re.search(r"\{\w+:0\d*d\}", v)]
    assert padded == []


@pytest.mark.parametrize(
    ("sentence", "caught"),
    [
        ("연계도우미입니다.", True),
        ("기록됩니다.", True),
        ("동의하셨습니다.", True),
        ("'회원님은 동의하셨습니다'가 보이면 돼요.", False),  # the portal's words, quoted
        ("연계도우미예요.", False),
    ],
)
def test_the_register_check_itself(sentence: str, caught: bool) -> None:
    assert bool(_FORMAL.search(_QUOTED.sub("", sentence))) is caught


def test_privacy_names_purpose_and_retention() -> None:
    body = CATALOGS["ko"]["privacy.body"]
    assert "<b>이용 목적</b>" in body and "<b>보관 기간</b>" in body
    assert "<b>왜</b>" not in body and "<b>얼마나</b>" not in body
