"""Spotting resident registration numbers (주민등록번호) so they are never kept anywhere."""

from __future__ import annotations

import re
import unicodedata

# Every character of Unicode's dash punctuation (category Pd), listed because `re` has no
# \p{Pd}; tests/unit/test_privacy.py checks the list against the running Unicode database.
_DASHES = (
    "-\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b"
    "\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
)
# What else people (or their keyboards) put between the two halves: minus signs, tildes, dots
# of every height (the Korean ㆍ too), full stops, underscores. Whitespace is added as \s.
_OTHER_SEPARATORS = "\u2212\u2796~.\u00b7\u2022\u2024\u2027\u2219\u22c5\u30fb\u3002\u318d\u119e_"
_SEPARATOR = "[\\s" + re.escape(_DASHES + _OTHER_SEPARATORS) + "]"

# YYMMDD, up to three separator characters ("900101 - 1234567"), then the gender/century
# digit 1–8 and six more digits. Month and day are checked loosely (01–12, 01–31) to skip
# phone and account numbers that merely have 13 digits; digits glued on either side mean it
# is part of something longer. Matched against `for_detection(text)`, so plain ASCII digits
# suffice here.
RRN_PATTERN = re.compile(
    r"(?<![0-9])"
    r"[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    rf"{_SEPARATOR}{{0,3}}"
    r"[1-8][0-9]{6}"
    r"(?![0-9])"
)

REDACTED = "[resident-number removed]"


def _plain_digit(char: str) -> str:
    # Digits of other scripts (٩, ९, ๙) are still digits to whoever reads them.
    return str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char


def for_detection(text: str) -> str:
    """The text as a reader sees it, for the guards only (handlers keep what was typed).

    NFKC turns full-width and other compatibility forms (９, －, ＿) into plain ones; format
    characters (Unicode Cf: zero-width space and joiners, soft hyphen, BOM, direction marks)
    are invisible, so they are dropped; decimal digits of any script become ASCII.
    """
    folded = unicodedata.normalize("NFKC", text)
    return "".join(_plain_digit(c) for c in folded if unicodedata.category(c) != "Cf")


def contains_rrn(text: str | None) -> bool:
    """True when the text holds something shaped like a resident registration number."""
    return bool(text) and RRN_PATTERN.search(for_detection(text)) is not None  # type: ignore[arg-type]


# Words that say a password is in the message ("아이디 kindly0904 비번 pass1234"); the bot never
# asks for one, so such a message is deleted rather than read.
_PASSWORD_WORDS = ("비번", "비밀번호", "password", "passwd")


def mentions_password(text: str | None) -> bool:
    """True when the text speaks of a password (and so may hold one)."""
    if not text:
        return False
    folded = for_detection(text).casefold()
    return any(word in folded for word in _PASSWORD_WORDS)


def redact_rrn(text: str) -> str:
    """The text with every resident-registration-number-shaped run replaced.

    A number hidden by full-width digits or zero-width characters is only found in the
    normalised text, so that is what comes back then (logs only need it readable).
    """
    if not contains_rrn(text):
        return text
    return RRN_PATTERN.sub(REDACTED, for_detection(text))


def mask_id(value: str) -> str:
    """An ID shown back to its owner, enough to recognise, too little to reuse: kin****04."""
    if len(value) <= 3:
        return value[:1] + "***"
    head = 3 if len(value) >= 8 else 1
    tail = 2 if len(value) >= 8 else 1
    return value[:head] + "****" + value[-tail:]
