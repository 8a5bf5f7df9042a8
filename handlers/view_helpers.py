"""View helpers more than one feature's views use: Telegram's message limit, the gateway's own
words capped, text shortened for a list. Imported by views, never importing them, so no two
views import each other to share a helper (tests/unit/test_import_cycles.py)."""

from __future__ import annotations

from handlers.common import plain_text

TELEGRAM_LIMIT = 4096  # UTF-16 code units of the text Telegram displays
# The gateway's own words for a reason this bot does not know: enough to read, never a novel.
GATEWAY_WORDS = 300


def shorten(text: str, limit: int, *, one_line: bool = False) -> str:
    """At most `limit` characters, ending in "…" when cut."""
    if one_line:
        text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def utf16(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def fits(html: str) -> bool:
    """Whether an HTML message, once its tags are gone, is within Telegram's limit."""
    return utf16(plain_text(html)) <= TELEGRAM_LIMIT
