"""Staff messages checked before anyone receives them, and audiences counted for the picker.

A broadcast's text is Telegram HTML that staff wrote. It is checked here by the same parser the
sandbox Bot API applies (core/telegram_html.py: Telegram's tags, balanced, entities escaped)
and against Telegram's length limit after the tags are gone, so a bad text is refused at
preview with the rule it broke, never by Telegram halfway through a run.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.broadcasts import AudienceCount, BroadcastService, Segment
from core.telegram_html import MAX_TEXT_UTF16, EntityParseError, parse_html, utf16_len
from core.types import Lang

__all__ = ["MAX_TEXT_UTF16", "Problem", "check", "counts"]


@dataclass(frozen=True)
class Problem:
    """Why a text cannot go out. `reason`: empty, too_long, or the HTML rule broken (amp, gt,
    lt, entity, tag, span, href, emoji, unopened, unclosed, mismatch, syntax)."""

    reason: str
    tag: str | None = None
    position: int | None = None  # 1-based character in what staff wrote
    length: int | None = None  # for too_long: the length Telegram would count
    detail: str = ""  # Telegram's own wording, for staff who know it


def check(text: str) -> Problem | None:
    """None when Telegram will accept `text` as an HTML message; otherwise why not."""
    try:
        parsed = parse_html(text)
    except EntityParseError as error:
        reason = error.reason
        if reason == "tag" and not error.tag:
            reason = "lt"  # "a < b": a bare "<" reads as a tag without a name
        position = error.index + 1 if error.index is not None else None
        return Problem(reason, error.tag, position, detail=str(error))
    if not parsed.text.strip():
        return Problem("empty")
    length = utf16_len(parsed.text)
    if length > MAX_TEXT_UTF16:
        return Problem("too_long", length=length)
    return None


async def counts(
    broadcasts: BroadcastService, language: Lang | None, reminder: bool
) -> dict[Segment, AudienceCount]:
    """Every segment's live count for the picker, in SEGMENTS order."""
    return await broadcasts.count_segments(language, reminder)
