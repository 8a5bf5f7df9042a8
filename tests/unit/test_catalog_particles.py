"""No Korean sentence glues the wrong particle form to a word written in the catalog itself.

Placeholders name their particle ("{what:이}") and get it right by construction; a literal
word does not, and "공지이 없어요" went out that way. This scan finds a Hangul word followed
by a particle (이/가, 을/를, 은, 과/와, 이에요/예요) at a word's end and asks
particles.attach() which form the word takes. 는 is left out: after a consonant it is also
the verb ending ("있는", "없는"), which is right. A word that merely ends in the syllable (an
adverb like "그사이") is listed in NOT_PARTICLES.
"""

from __future__ import annotations

import re

import pytest

from bot.i18n import CATALOGS
from bot.i18n.particles import attach

# Words whose last syllable looks like a particle but belongs to the word.
NOT_PARTICLES = frozenset({"그사이", "사이", "차이", "아이", "나이"})
# The longest form first, so "이에요" is not read as "이" + "에요".
_PARTICLE = re.compile(r"([가-힣]+?)(이에요|예요|이|가|을|를|은|과|와)(?=[\s.,!?:;)\]·'’”…]|$)")
_CANONICAL = {"예요": "이에요"}  # attach() takes the after-a-consonant form


def wrong_particles(text: str) -> list[str]:
    """The literal word+particle pairs in `text` whose particle does not fit the word."""
    plain = re.sub(r"\{[^}]*\}", "\x00", text)  # a placeholder is not a word
    plain = re.sub(r"<[^>]+>", "", plain)
    found = []
    for match in _PARTICLE.finditer(plain):
        word, particle = match[1], match[2]
        if word + particle in NOT_PARTICLES:
            continue
        right = attach(word, _CANONICAL.get(particle, particle))
        if right != word + particle:
            found.append(f"{match[0]} → {right}")
    return found


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("지금 보내고 있는 공지이 없어요.", ["공지이 → 공지가"]),
        ("기록를 찾았어요", ["기록를 → 기록을"]),
        ("담당자은 없어요", ["담당자은 → 담당자는"]),
        ("문의예요.", []),
        ("기록예요.", ["기록예요 → 기록이에요"]),
        ("센터과 봉사자", ["센터과 → 센터와"]),
        ("없는 공지가 있는 기록을 같은 날과 그사이", []),
        ("{what:이} 없어요", []),
    ],
)
def test_the_scan_finds_wrong_forms_and_only_those(text: str, wrong: list[str]) -> None:
    assert wrong_particles(text) == wrong


@pytest.mark.parametrize("lang", ["ko"])
def test_every_korean_sentence_has_the_particle_its_word_takes(lang: str) -> None:
    found = {key: bad for key, text in CATALOGS[lang].items() if (bad := wrong_particles(text))}
    assert found == {}
