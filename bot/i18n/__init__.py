"""Language catalogs: every user-facing sentence, Korean first, looked up by key."""

from __future__ import annotations

import html
from typing import Literal

from bot.i18n import en, ko

Lang = Literal["ko", "en"]
LANGUAGES: tuple[Lang, ...] = ("ko", "en")
CATALOGS: dict[str, dict[str, str]] = {"ko": ko.TEXTS, "en": en.TEXTS}


def t(lang: str, key: str, **values: object) -> str:
    """Render `key` in `lang`, HTML-escaping every value (values come from users or gateways)."""
    catalog = CATALOGS.get(lang, ko.TEXTS)
    template = catalog.get(key) or ko.TEXTS[key]
    escaped = {name: html.escape(str(value), quote=False) for name, value in values.items()}
    return template.format(**escaped)


def raw(lang: str, key: str, **values: object) -> str:
    """Render `key` without HTML escaping, for plain-text places (button labels, alerts)."""
    catalog = CATALOGS.get(lang, ko.TEXTS)
    template = catalog.get(key) or ko.TEXTS[key]
    return template.format(**values)


def language_from_client(language_code: str | None) -> Lang:
    """The language to use before the user picks one: English for English clients, else Korean."""
    if language_code and language_code.lower().startswith("en"):
        return "en"
    return "ko"
