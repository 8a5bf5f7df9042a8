"""The guide's texts: valid Telegram HTML, and the sites' Korean labels quoted exactly."""

from __future__ import annotations

import pytest

from bot.i18n import CATALOGS, en_guide, ko_guide, t
from sandbox.botapi.html_entities import parse_html
from tests.guide_labels import LABELS_1365, LABELS_VMS


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
