"""Button data of the quick answers and of questions to the center, built and parsed here only.

`ans:menu` and `ans:<topic>` show an answer on the same message (handlers/answers.py);
`ans:center` is the "center's contact" answer; `help:ask` enters the help-request flow
(handlers/help_requests.py). ASCII, well within Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from bot.services.answers import TOPICS, Topic

ASK = "help:ask"  # write a question to the center's staff
MENU = "ans:menu"  # the quick answers' menu
# \Z: "$" admits a final newline.
ANSWER_PATTERN = rf"^ans:(menu|{'|'.join(TOPICS)})\Z"
_DATA = re.compile(rf"help:ask|ans:(menu|{'|'.join(TOPICS)})")


@dataclass(frozen=True)
class Press:
    ask: bool = False  # help:ask
    topic: Topic | None = None  # ans:<topic>; neither: the answers' menu


def answer(topic: Topic) -> str:
    """Show the answer on `topic`."""
    assert topic in TOPICS, topic
    return f"ans:{topic}"


def parse(data: str) -> Press | None:
    """The press behind callback data, or None when it is neither an answer nor help:ask."""
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    if data == ASK:
        return Press(ask=True)
    return Press(topic=None if match[1] == "menu" else cast(Topic, match[1]))
