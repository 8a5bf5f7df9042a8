"""A strict stand-in for Telegram's Bot API over real HTTP on loopback.

PTB runs unmodified against it with ``base_url=f"{sandbox.base_url}/bot"``; tests and the
console demo play the user through ``user_send``/``press``/``user_click`` and read back
``transcript``, ``rejections`` and friends.
"""

from .records import Rejection, SentUpdate, TranscriptEntry, TranscriptEvent
from .sandbox import DEFAULT_TOKEN, BotApiSandbox

__all__ = [
    "DEFAULT_TOKEN",
    "BotApiSandbox",
    "Rejection",
    "SentUpdate",
    "TranscriptEntry",
    "TranscriptEvent",
]
