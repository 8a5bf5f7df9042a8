"""The bot's own Korean voice: 해요체 only, particles chosen for the word, dates unpadded.

Quotes of the portals' own on-screen words ('…', "…", ‘…’, “…”, 「…」) are the portals'
voice and may stay 합쇼체 ("회원님은 … 동의하셨습니다."); everything else is the bot's.
"""

from __future__ import annotations

import re

from bot.i18n import CATALOGS

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|‘[^’\n]*’|“[^”\n]*”|「[^」\n]*」")
_TAGS = re.compile(r"<[^>]+>")
_HANGUL_FIRST = 0xAC00
_BIEUP = 17  # final consonant ㅂ: 습니다, 입니다, 됩니다, 보냅니다…


def bot_voice(text: str) -> str:
    """The text without HTML tags and without quoted portal words."""
    return _QUOTED.sub("", _TAGS.sub("", text))


def formal_endings(text: str) -> list[str]:
    """Every 합쇼체 ending (-ㅂ니다, -ㅂ니까, -십시오) in the bot's own voice."""
    found = []
    voice = bot_voice(text)
    for match in re.finditer(r"([가-힣])니(다|까)", voice):
        syllable = match.group(1)
        if (ord(syllable) - _HANGUL_FIRST) % 28 == _BIEUP:
            found.append(match.group(0))
    found += re.findall(r"십시오", voice)
    return found


MACHINE_PARTICLE = re.compile(r"\((은|는|이|가|을|를|으|와|과|아|야)\)")
# A placeholder followed by a fixed particle that may not fit the value ("{name}을").
FIXED_PARTICLE = re.compile(r"\{[a-z_0-9]+\}(은|는|이|가|을|를|와|과|으로|로)(?=[\s.,!?)]|$)")


def test_formal_ending_detector_tells_the_registers_apart() -> None:
    assert formal_endings("연계도우미입니다. 기록됩니다. 보냅니다") == [
        "입니다",
        "됩니다",
        "냅니다",
    ]
    assert formal_endings("연계도우미예요. 기록돼요. '동의하셨습니다.'") == []
    assert formal_endings("확인하십시오") == ["십시오"]


def test_the_bots_own_korean_is_haeyoche() -> None:
    offenders = {
        key: formal_endings(text) for key, text in CATALOGS["ko"].items() if formal_endings(text)
    }
    assert offenders == {}


def test_no_machine_particles_and_no_fixed_particle_after_a_value() -> None:
    offenders = {
        key: text
        for key, text in CATALOGS["ko"].items()
        if MACHINE_PARTICLE.search(text) or FIXED_PARTICLE.search(text)
    }
    assert offenders == {}


def test_korean_dates_are_not_zero_padded() -> None:
    padded = {
        key: text
        for key, text in CATALOGS["ko"].items()
        if re.search(r"\{[a-z_]+:0\d?d\}\s*(월|일|시)", text)
    }
    assert padded == {}
