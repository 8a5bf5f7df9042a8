"""Spotting resident registration numbers (주민등록번호) so they are never kept anywhere."""

from __future__ import annotations

import re
import unicodedata

# YYMMDD, an optional separator, then the gender/century digit 1–8 and six more digits.
# Month and day are checked loosely (01–12, 01–31) to skip phone and account numbers
# that merely have 13 digits; digits glued on either side mean it is part of something longer.
RRN_PATTERN = re.compile(
    r"(?<!\d)"
    r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\s?[-–—]?\s?"
    r"[1-8]\d{6}"
    r"(?!\d)"
)

REDACTED = "[resident-number removed]"


def contains_rrn(text: str | None) -> bool:
    """True when the text holds something shaped like a resident registration number."""
    return bool(text) and RRN_PATTERN.search(text) is not None  # type: ignore[arg-type]


# Words that say a password is in the message ("아이디 kindly0904 비번 pass1234"); the bot never
# asks for one, so such a message is deleted rather than read.
_PASSWORD_WORDS = ("비번", "비밀번호", "password", "passwd")


def mentions_password(text: str | None) -> bool:
    """True when the text speaks of a password (and so may hold one)."""
    if not text:
        return False
    folded = unicodedata.normalize("NFKC", text).casefold()
    return any(word in folded for word in _PASSWORD_WORDS)


def redact_rrn(text: str) -> str:
    """The text with every resident-registration-number-shaped run replaced."""
    return RRN_PATTERN.sub(REDACTED, text)


def mask_id(value: str) -> str:
    """An ID shown back to its owner, enough to recognise, too little to reuse: kin****04."""
    if len(value) <= 3:
        return value[:1] + "***"
    head = 3 if len(value) >= 8 else 1
    tail = 2 if len(value) >= 8 else 1
    return value[:head] + "****" + value[-tail:]
