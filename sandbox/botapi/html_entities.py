"""Telegram's HTML parse_mode, as the sandbox server applies it: see core/telegram_html.py.

The parser lives in core so the bot's composer checks staff messages by the same rules the
sandbox Bot API enforces; this module keeps the sandbox's old import path.
"""

from core.telegram_html import EntityParseError, ParsedText, parse_html, utf16_len

__all__ = ["EntityParseError", "ParsedText", "parse_html", "utf16_len"]
