"""Particles follow the word's last sound, in attach() and in catalog templates."""

from __future__ import annotations

import pytest

from bot.i18n.particles import PARTICLES, attach


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("/status", "은", "/status는"),
        ("/start", "은", "/start는"),
        ("아이디", "이", "아이디가"),
        ("전화번호", "을", "전화번호를"),
        ("휴대폰", "으로", "휴대폰으로"),
        ("이메일", "으로", "이메일로"),  # ㄹ takes 로
        ("010-1234-5678", "으로", "010-1234-5678로"),  # 팔 → ㄹ
        ("1365", "을", "1365를"),  # 오
        ("1366", "을", "1366을"),  # 육
        ("VMS", "은", "VMS는"),
        ("team", "과", "team과"),
        ("kindly0904", "이에요", "kindly0904예요"),
        ("센터", "이나", "센터나"),
    ],
)
def test_attach_picks_the_form_for_the_last_sound(word: str, particle: str, expected: str) -> None:
    assert attach(word, particle) == expected


def test_templates_name_the_particle_in_the_format_spec() -> None:
    assert PARTICLES.format("{c:은} 모르는 명령이에요", c="/help") == "/help는 모르는 명령이에요"
    assert PARTICLES.format("{n}건", n=3) == "3건"


def test_unknown_particles_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        attach("말", "에게")
