"""Resident registration numbers as people type or paste them: shared by the unit tests of the
guard and the end-to-end journeys through /link."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.services.privacy import _DASHES

# What slipped past the guard before (issue 15): full width, underscore, dot.
DISGUISED = ["９００１０１１２３４５６７", "900101_1234567", "900101.1234567"]


# Digits as keyboards and pastes give them: ASCII, full width, mathematical bold.
_DIGIT_FORMS = st.sampled_from([0, 0xFF10 - 0x30, 0x1D7CE - 0x30])
_SEPARATORS = st.sampled_from(
    [
        *_DASHES,
        *("\u2212", "~", ".", "\u00b7", "\u2027", "\u2022", "\u30fb", "\u3002", "\uff0e"),
        *("\u318d", "_", "\uff3f", " ", "\u3000", "\u00a0", "\t"),
    ]
)
_INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"])


@st.composite
def disguised_numbers(draw: st.DrawFn) -> str:
    """A resident number as someone might type or paste it: any digit width, up to three
    separators, invisible characters anywhere."""
    birth = f"{draw(st.integers(0, 99)):02d}{draw(st.integers(1, 12)):02d}"
    birth += f"{draw(st.integers(1, 28)):02d}"
    digits = f"{birth}{draw(st.integers(1, 8))}{draw(st.integers(0, 999_999)):06d}"
    chars = [chr(ord(d) + draw(_DIGIT_FORMS)) for d in digits]
    separator = "".join(draw(st.lists(_SEPARATORS, max_size=3)))
    chars.insert(6, separator)
    for _ in range(draw(st.integers(0, 4))):
        chars.insert(draw(st.integers(0, len(chars))), draw(_INVISIBLE))
    return "".join(chars)
