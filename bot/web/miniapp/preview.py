"""A text as Telegram will show it, for the page: the composer's check, then safe HTML.

The page must never render what staff typed as HTML: it renders what Telegram would make of
it, rebuilt here from the parsed entities with every character of text escaped.
"""

from __future__ import annotations

import html
from typing import Any

from core.telegram_html import parse_html

_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="tg-spoiler">', "</span>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote>", "</blockquote>"),
}


def _utf16_units(text: str) -> list[str]:
    """The text split so that index i is UTF-16 unit i (a surrogate pair's second half is '')."""
    units: list[str] = []
    for ch in text:
        units.append(ch)
        if ord(ch) > 0xFFFF:
            units.append("")
    return units


def _open(entity: dict[str, Any]) -> tuple[str, str]:
    kind = entity["type"]
    if kind == "text_link":
        url = str(entity.get("url", ""))
        safe = url if url.lower().startswith(("http://", "https://", "tg://", "mailto:")) else "#"
        return f'<a href="{html.escape(safe, quote=True)}" rel="noopener" target="_blank">', "</a>"
    return _TAGS.get(kind, ("", ""))


def render(text: str, entities: list[dict[str, Any]]) -> str:
    """Escaped text with the entities as tags (entities nest: Telegram's order is outer first)."""
    units = _utf16_units(text)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for entity in entities:
        start, end = entity["offset"], entity["offset"] + entity["length"]
        tag_open, tag_close = _open(entity)
        opens.setdefault(start, []).append(tag_open)
        closes.setdefault(end, []).insert(0, tag_close)
    out: list[str] = []
    for index in range(len(units) + 1):
        out.extend(closes.get(index, []))
        out.extend(opens.get(index, []))
        if index < len(units):
            out.append(html.escape(units[index], quote=False))
    return "".join(out)


def parsed(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Text and entities of a text the composer accepted."""
    result = parse_html(source)
    return result.text, result.entities
