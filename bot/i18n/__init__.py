"""Language catalogs: every user-facing sentence, Korean first, looked up by key."""

from __future__ import annotations

import html

from bot.i18n import (
    en,
    en_answers,
    en_broadcast,
    en_broadcast_run,
    en_desk,
    en_formats,
    en_guide,
    en_guide_mode,
    en_link,
    en_remind,
    en_send,
    en_staff,
    en_stats,
    en_status,
    en_trial,
    ko,
    ko_answers,
    ko_broadcast,
    ko_broadcast_run,
    ko_desk,
    ko_formats,
    ko_guide,
    ko_guide_mode,
    ko_link,
    ko_remind,
    ko_send,
    ko_staff,
    ko_stats,
    ko_status,
    ko_trial,
)

# Re-exported for the texts layer's users; defined in core.types.
from bot.i18n.particles import PARTICLES
from core.types import Lang as Lang
from core.types import language_from_client as language_from_client


def _merge(*parts: dict[str, str]) -> dict[str, str]:
    """One catalog from per-feature files; a key defined twice is a bug, caught at import."""
    merged: dict[str, str] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise KeyError(f"catalog keys defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


CATALOGS: dict[str, dict[str, str]] = {
    "ko": _merge(
        ko.TEXTS,
        ko_link.TEXTS,
        ko_guide.TEXTS,
        ko_formats.TEXTS,
        ko_status.TEXTS,
        ko_send.TEXTS,
        ko_staff.TEXTS,
        ko_stats.TEXTS,
        ko_answers.TEXTS,
        ko_broadcast.TEXTS,
        ko_remind.TEXTS,
        ko_broadcast_run.TEXTS,
        ko_trial.TEXTS,
        ko_guide_mode.TEXTS,
        ko_desk.TEXTS,
    ),
    "en": _merge(
        en.TEXTS,
        en_link.TEXTS,
        en_guide.TEXTS,
        en_formats.TEXTS,
        en_status.TEXTS,
        en_send.TEXTS,
        en_staff.TEXTS,
        en_stats.TEXTS,
        en_answers.TEXTS,
        en_broadcast.TEXTS,
        en_remind.TEXTS,
        en_broadcast_run.TEXTS,
        en_trial.TEXTS,
        en_guide_mode.TEXTS,
        en_desk.TEXTS,
    ),
}


class Html(str):
    """Text already rendered by `t()`: safe to place inside another template unescaped."""


def t(lang: str, key: str, **values: object) -> Html:
    """Render `key` in `lang`, HTML-escaping every value (values come from users or gateways)."""
    template = _template(lang, key)
    escaped = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in values.items()
    }
    return Html(PARTICLES.format(template, **escaped))


def raw(lang: str, key: str, **values: object) -> str:
    """Render `key` without HTML escaping, for plain-text places (button labels, alerts)."""
    return PARTICLES.format(_template(lang, key), **values)


def _template(lang: str, key: str) -> str:
    # Korean is the fallback: every key exists there (a test keeps both catalogs equal).
    return CATALOGS.get(lang, CATALOGS["ko"]).get(key) or CATALOGS["ko"][key]
