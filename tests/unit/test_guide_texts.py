"""The guide's texts: valid Telegram HTML, and the sites' Korean labels quoted exactly."""

from __future__ import annotations

import pytest

from bot.i18n import CATALOGS, en_guide, ko_guide, t
from sandbox.botapi.html_entities import parse_html

# What the two sites show, as DOMAIN.md quotes the handout: the volunteer must find these.
LABELS_1365 = (
    "'정보 수정'",
    "'나의자원봉사' → '회원정보관리' → '자원봉사활동 부가정보'",
    "'봉사실적 연계를 위한 정보제공 동의'",
    "'동의'",
)
LABELS_VMS = (
    "'마이페이지'",
    "'회원정보-개인정보'",
    "'1365자원봉사포털 연계 동의'",
    "'1365자원봉사포털과 VMS 실적정보 연계에 동의합니다'",
    "'수정'",
)


def test_both_languages_have_the_same_guide_keys() -> None:
    assert set(ko_guide.TEXTS) == set(en_guide.TEXTS)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("key", sorted(ko_guide.TEXTS))
def test_every_text_is_valid_telegram_html(lang: str, key: str) -> None:
    values = {"site": "1365", "date": "2019-09-11", "where": "VMS 3/5", "y": "2019", "m": "09"}
    values |= {"d": "11", "step": "3", "steps": "5", "title": "x", "bar": "●●●○○"}
    parse_html(t(lang, key, **values))  # raises on markup Telegram would reject


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_steps_quote_the_labels_verbatim(lang: str) -> None:
    def steps(site: str) -> str:
        catalog = CATALOGS[lang]
        return "\n".join(catalog[k] for k in catalog if k.startswith(f"guide.step.{site}."))

    for label in LABELS_1365:
        assert label in steps("1365"), label
    for label in LABELS_VMS:
        assert label in steps("vms"), label
