"""The start menu's button data and the language picker's, built and parsed here only.

`menu:link`, `menu:settings` and `menu:howto` enter flows (handlers/flows.py routes them by
these constants); `menu:help` and `menu:lang` are answered by handlers/start.py, `lang:<code>`
by handlers/language.py. ASCII, well within Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from core.types import LANGUAGES

HOWTO = "menu:howto"
LINK = "menu:link"
HELP = "menu:help"
SETTINGS = "menu:settings"
LANG = "menu:lang"
# \Z, not $: "$" also matches before a final newline ("lang:en\n" would reach the handler).
MENU_PATTERN = r"^menu:(help|lang)\Z"
LANG_PATTERN = rf"^lang:({'|'.join(LANGUAGES)})\Z"
_DATA = re.compile(rf"menu:(howto|link|help|settings|lang)|lang:({'|'.join(LANGUAGES)})")

Action = Literal["howto", "link", "help", "settings", "lang", "language"]


@dataclass(frozen=True)
class Press:
    action: Action  # "language": a language picked, `language` says which
    language: str | None = None


def language(code: str) -> str:
    """Pick `code` as the bot's language."""
    assert code in LANGUAGES, code
    return f"lang:{code}"


def parse(data: str) -> Press | None:
    """The press behind callback data, or None when it is no menu or language data."""
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    if match[1] is not None:
        return Press(cast(Action, match[1]))
    return Press("language", match[2])
