"""The catalogs: same keys and placeholders in both languages, escaping, client language policy."""

from __future__ import annotations

import re
import string

import pytest

from bot.i18n import CATALOGS, language_from_client, raw, t

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_both_catalogs_have_the_same_keys() -> None:
    assert set(CATALOGS["ko"]) == set(CATALOGS["en"])


def test_placeholders_match_in_every_key() -> None:
    def names(text: str) -> set[str]:
        return {f[1] for f in string.Formatter().parse(text) if f[1]}

    differ = [
        key
        for key in sorted(CATALOGS["ko"])
        if names(CATALOGS["ko"][key]) != names(CATALOGS["en"].get(key, ""))
    ]
    assert differ == []


def test_values_are_escaped_but_markup_of_the_catalog_is_kept() -> None:
    text = t("ko", "start.greeting", name="<script>&")
    assert "&lt;script&gt;&amp;" in text and "<b>연계도우미</b>" in text
    assert raw("en", "fallback.unknown_command", command="<x>").startswith(
        "I don't know the command <x>"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("EN-us", "en"),
        ("ko", "ko"),
        ("ja", "ko"),
        (None, "ko"),
        ("", "ko"),
    ],
)
def test_language_from_client(code: str | None, expected: str) -> None:
    assert language_from_client(code) == expected


def test_command_descriptions_fit_telegram_limits() -> None:
    for catalog in CATALOGS.values():
        for key, value in catalog.items():
            if key.startswith("command."):
                assert 1 <= len(value) <= 256


def test_debug_logging_keeps_telegram_payloads_out() -> None:
    import logging

    from bot.logging_setup import configure_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogger("telegram").level
    try:
        configure_logging("DEBUG")
        assert logging.getLogger("telegram").getEffectiveLevel() == logging.INFO
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        logging.getLogger("telegram").setLevel(saved[2])
