"""Datetimes as fixed-width ISO-8601 UTC text, the way every table stores them."""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(moment: datetime) -> str:
    """Aware datetime to ISO-8601 UTC text with microseconds."""
    if moment.tzinfo is None:
        raise ValueError("refusing to store a naive datetime; the clock must give aware UTC")
    # Fixed width (always microseconds, always +00:00) so text order equals time order in SQL.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """Stored ISO-8601 text back to an aware UTC datetime."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"stored timestamp {text!r} has no time zone")
    return moment.astimezone(UTC)


def to_text_or_none(moment: datetime | None) -> str | None:
    """to_text for a column that may be NULL."""
    return to_text(moment) if moment is not None else None


def from_text_or_none(text: str | None) -> datetime | None:
    """from_text for a column that may be NULL (an empty text reads as NULL too)."""
    return from_text(text) if text else None
