"""The guide's texts: valid Telegram HTML, and the sites' Korean labels quoted exactly."""

from __future__ import annotations

import string

import pytest

from bot.i18n import CATALOGS, en_guide, ko_guide, raw, t
from sandbox.botapi.html_entities import parse_html
from tests.guide_labels import LABELS_1365, LABELS_VMS


def test_both_languages_have_the_same_guide_keys() -> None:
    assert set(ko_guide.TEXTS) == set(en_guide.TEXTS)


def test_every_text_of_every_catalog_is_valid_telegram_html() -> None:
    """Each text, filled with awkward values, is markup Telegram accepts (one test, all keys)."""
    rejected = []
    for lang, catalog in CATALOGS.items():
        for key, text in catalog.items():
            fields = [f for f in string.Formatter().parse(text) if f[1]]
            # Numbers where the text formats a number ({d:d}), awkward text everywhere else.
            values = {f[1]: 7 if (f[2] or "").endswith("d") else '<&"x">' for f in fields}
            # t() escapes values into text, so number-formatting templates go through raw().
            render = raw if any(isinstance(v, int) for v in values.values()) else t
            if render is raw:
                values = {k: v if isinstance(v, int) else "x" for k, v in values.items()}
            try:
                parse_html(render(lang, key, **values))
            except Exception as exc:  # the sandbox's parser raises what Telegram would answer
                rejected.append(f"{lang} {key}: {exc}")
    assert rejected == []
    assert sum(len(c) for c in CATALOGS.values()) > 300  # the loop really saw the catalogs


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_steps_quote_the_labels_verbatim(lang: str) -> None:
    def steps(site: str) -> str:
        catalog = CATALOGS[lang]
        return "\n".join(catalog[k] for k in catalog if k.startswith(f"guide.step.{site}."))

    for label in LABELS_1365:
        assert label in steps("1365"), label
    for label in LABELS_VMS:
        assert label in steps("vms"), label
