"""View helpers more than one feature's views use: Telegram's message limit, the gateway's own
words capped, text shortened for a list. Imported by views, never importing them, so no two
views import each other to share a helper (tests/unit/test_import_cycles.py)."""

from __future__ import annotations

from core.telegram_html import MAX_TEXT_UTF16, utf16_len
from handlers.common import plain_text

TELEGRAM_LIMIT = MAX_TEXT_UTF16  # UTF-16 code units of the text Telegram displays
# The gateway's own words for a reason this bot does not know: enough to read, never a novel.
GATEWAY_WORDS = 300


def shorten(text: str, limit: int, *, one_line: bool = False) -> str:
    """At most `limit` characters, ending in "…" when cut."""
    if one_line:
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Telegram counts message length in UTF-16 code units (an emoji counts two): the same count the
# HTML checker uses, under the name the views know.
utf16 = utf16_len


def fits(html: str) -> bool:
    """Whether an HTML message, once its tags are gone, is within Telegram's limit."""
    return utf16(plain_text(html)) <= TELEGRAM_LIMIT
