"""What tests and consoles read back: transcript entries, events, rejections, receipts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Photo:
    """A photo the bot sent: the bytes exactly as uploaded, and what Telegram reports of it."""

    data: bytes
    width: int
    height: int
    file_id: str
    file_unique_id: str
    filename: str | None = None

    @property
    def size_kb(self) -> int:
        """Whole kilobytes, at least 1 (for consoles)."""
        return max(1, round(len(self.data) / 1024))


@dataclass
class TranscriptEntry:
    """One message in a chat as it stands now (edits update it, deletion only marks it)."""

    chat_id: int
    message_id: int
    from_bot: bool
    user_id: int | None  # the sender: the user, or the bot's own id
    text: str  # plain text after entity parsing
    html: str | None  # the raw text as the bot sent it with parse_mode HTML
    parse_mode: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: list[list[dict[str, Any]]] | None = None  # inline_keyboard rows
    edited: bool = False
    deleted: bool = False
    date: int = 0
    sent_at: float = 0.0
    edit_date: int | None = None
    # A photo message: `text`, `html` and `entities` then hold its caption (may be empty).
    photo: Photo | None = None
    reply_to_message_id: int | None = None  # the message this one answers, in the same chat

    @property
    def buttons(self) -> list[str]:
        """Every inline button's text, row by row."""
        return [button["text"] for row in self.reply_markup or [] for button in row]


@dataclass(frozen=True)
class TranscriptEvent:
    """A bot-side change; `entry` is a snapshot taken when it happened."""

    kind: Literal["new", "edit", "delete"]
    entry: TranscriptEntry


@dataclass(frozen=True)
class Rejection:
    """A request answered with ok=false; params never contain the token."""

    method: str
    params: dict[str, Any]
    error_code: int
    description: str
    at: float


@dataclass(frozen=True)
class SentUpdate:
    """Receipt for a user action; delivered is False when allowed_updates filtered it out."""

    update_id: int
    message_id: int | None = None
    query_id: str | None = None
    delivered: bool = True
