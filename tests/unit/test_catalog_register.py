"""The Korean catalogs read as one voice: 해요체, particles fitted to the word, unpadded dates."""

from __future__ import annotations

import re

import pytest

from bot.i18n import CATALOGS, t

# The portals' own words, which the texts quote, may keep their register: '…동의하셨습니다'.
_QUOTED = re.compile(r"'[^'\n]*'|‘[^’\n]*’|“[^”\n]*”|「[^」\n]*」")
_TAGS = re.compile(r"<[^>]+>")
_HANGUL_FIRST = 0xAC00
_BIEUP = 17  # the final consonant ㅂ: 습니다, 입니다, 됩니다, 보냅니다, 드립니다…
# Machine particles: both forms written out for the machine to skip choosing.
_MACHINE = re.compile(r"\((?:은|는|이|가|을|를|으|과|와|아|야)\)|\(으\)로|\(이\)")
# A particle glued to a placeholder without a format spec picks no form: "{id}를".
_BARE = re.compile(r"\{\w+\}(?:은|는|이|가|을|를|으로|로|과|와|이나)(?![가-힣])")


def formal_endings(text: str) -> list[str]:
    """Every 합쇼체 ending (-ㅂ니다, -ㅂ니까, -십시오) in the bot's own voice: outside HTML tags
    and outside quotes of the portals' words."""
    voice = _QUOTED.sub("", _TAGS.sub("", text))
    found = [
        m.group(0)
        for m in re.finditer(r"([가-힣])니(다|까)", voice)
        if (ord(m.group(1)) - _HANGUL_FIRST) % 28 == _BIEUP
    ]
    return found + re.findall("십시오", voice)


def test_the_bots_own_sentences_are_haeyo_che() -> None:
    """Every Korean catalog, staff screens included."""
    texts = CATALOGS["ko"]
    formal = {key: formal_endings(text) for key, text in texts.items() if formal_endings(text)}
    assert formal == {}
    assert len(texts) > 400  # the walk really saw the catalogs


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
        ("결과를 보냅니다.", True),
        ("확인하십시오.", True),
        ("<b>안내드립니다</b>", True),
        ("‘동의하셨습니다’라고 나와요.", False),
    ],
)
def test_the_register_check_itself(sentence: str, caught: bool) -> None:
    assert bool(formal_endings(sentence)) is caught


def test_privacy_names_purpose_and_retention() -> None:
    body = CATALOGS["ko"]["privacy.body"]
    assert "<b>이용 목적</b>" in body and "<b>보관 기간</b>" in body
    assert "<b>왜</b>" not in body and "<b>얼마나</b>" not in body
