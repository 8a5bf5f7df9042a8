"""Guide mode's button data, built and parsed here only (handlers/guide_mode_views.py makes
the keyboards, handlers/guide_mode.py answers them).

`gm:sent` notes "📤 VMS에서 보냈어요"; `gm:yes` and `gm:no` answer "1365에서 보이나요?",
`gm:later` offers a reminder and `gm:at:<choice>` sets it; `gm:guide:1365` opens the consent
guide at 1365's steps. ASCII, well within Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from bot.services.guide_mode import LATER_CHOICES, Later

SENT = "gm:sent"
YES = "gm:yes"
NO = "gm:no"
LATER = "gm:later"
GUIDE_1365 = "gm:guide:1365"
# Every gm: press reaches the handler; data parse() refuses gets the polite "stale" toast there.
PATTERN = r"^gm:"
_DATA = re.compile(rf"gm:(?:(sent|yes|no|later)|at:({'|'.join(LATER_CHOICES)})|guide:1365)")

Action = Literal["sent", "yes", "no", "later", "at", "guide"]


@dataclass(frozen=True)
class Press:
    action: Action
    later: Later | None = None  # at: when to ask again


def at(choice: Later) -> str:
    """Ask again at one of the Later choices."""
    assert choice in LATER_CHOICES, choice
    return f"gm:at:{choice}"


def parse(data: str) -> Press | None:
    """The press behind callback data, or None when it is no guide-mode data."""
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    fixed, later = match.groups()
    if fixed is not None:
        return Press(cast(Action, fixed))
    if later is not None:
        return Press("at", later=cast(Later, later))
    return Press("guide")
