"""Korean particles chosen for the word they follow: "/status는", "아이디를", "전화로".

Catalog templates name the particle in the placeholder's format spec, written in its
after-a-consonant form: "{command:은} 모르는 명령이에요", "{phone:으로} 보냈어요". `t()` and
`raw()` render them through `PARTICLES`, so no sentence ever shows a machine form such as
"은(는)" or "(으)로". The word's last sound decides: a Hangul syllable by its final
consonant, a digit by how it is read (1 일, 3 삼, 6 육…), Latin letters as Koreans read
them ("link" 링크, "team" 팀, "L" 엘). A value ending in '*' (a masked ID) has no sound to go
by: templates rephrase instead of putting a particle after one (a catalog test checks that).
"""

from __future__ import annotations

import string
from typing import Any

# particle (after a consonant) → (after a consonant, after a vowel)
_PAIRS: dict[str, tuple[str, str]] = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "이나": ("이나", "나"),
    "이에요": ("이에요", "예요"),
    "이라고": ("이라고", "라고"),
    "아": ("아", "야"),
    # 으로/로 is special: ㄹ takes 로 like a vowel (see attach()).
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
}

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # the final-consonant index of ㄹ
# How each digit is read: does its name end in a consonant, and is that consonant ㄹ?
_DIGITS = {
    "0": (True, False),  # 영
    "1": (True, True),  # 일
    "2": (False, False),  # 이
    "3": (True, False),  # 삼
    "4": (False, False),  # 사
    "5": (False, False),  # 오
    "6": (True, False),  # 육
    "7": (True, True),  # 칠
    "8": (True, True),  # 팔
    "9": (False, False),  # 구
}
# Single Latin letters by their Korean names: 엘, 엠, 엔, 알 end in a consonant.
_LETTERS = {"l": (True, True), "m": (True, False), "n": (True, False), "r": (True, True)}


def _final_sound(word: str) -> tuple[bool, bool]:
    """(ends in a consonant, that consonant is ㄹ) for the last readable character of `word`."""
    stripped = word.rstrip(" )]}\"'’”.!?")
    if not stripped:
        return False, False
    last = stripped[-1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        final = (code - _HANGUL_FIRST) % 28
        return final != 0, final == _RIEUL
    if last in _DIGITS:
        return _DIGITS[last]
    if last.isascii() and last.isalpha():
        tail = _latin_tail(stripped)
        if len(tail) == 1:
            return _LETTERS.get(tail.lower(), (False, False))
        lowered = tail.lower()
        # Read as an English loanword: -m, -n, -ng keep their consonant (팀, "login" 로그인), -l ends
        # in ㄹ (메일); final stops take a vowel ("link" 링크, "help" 헬프).
        if lowered.endswith(("m", "n", "ng")):
            return True, False
        if lowered.endswith("l"):
            return True, True
        return False, False
    return False, False


def _latin_tail(word: str) -> str:
    tail = ""
    for char in reversed(word):
        if char.isascii() and char.isalpha():
            tail = char + tail
        else:
            break
    return tail


def attach(word: str, particle: str) -> str:
    """`word` followed by the right form of `particle` ("은", "이", "을", "으로"…)."""
    forms = _PAIRS.get(particle)
    if forms is None:
        raise ValueError(f"unknown particle {particle!r}")
    consonant, rieul = _final_sound(word)
    if forms[0] == "으로":
        return word + ("로" if (not consonant or rieul) else "으로")
    return word + (forms[0] if consonant else forms[1])


class ParticleFormatter(string.Formatter):
    """str.format, except that a spec naming a particle ("{name:은}") attaches that particle."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in _PAIRS:
            return attach(str(value), format_spec)
        return super().format_field(value, format_spec)


PARTICLES = ParticleFormatter()
