"""/unlink's and /forget's button data, built and parsed here only (handlers/privacy.py).

`unlink:<yes|no>:<tag>` names the link it was offered for (bot/services/linking.py link_tag):
pressed after a newer link was made, it acts on nothing. `forget:<yes|no>:<stamp>` carries
when the prompt was offered (bot/services/forget.py forget_stamp): an old prompt erases
nothing. `forget:<yes|no>` without a stamp was offered before stamps existed; it is still read,
as old by definition. ASCII, well within Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_TAG = r"[0-9a-f]{10}"
_STAMP = r"[0-9]{1,12}"
# \Z, not $: "$" also matches before a final newline, and "forget:yes\n" is no button of ours.
UNLINK_PATTERN = rf"^unlink:(?:yes|no):{_TAG}\Z"
FORGET_PATTERN = rf"^forget:(?:yes|no)(?::{_STAMP})?\Z"
_DATA = re.compile(rf"unlink:(yes|no):({_TAG})|forget:(yes|no)(?::({_STAMP}))?")

Area = Literal["unlink", "forget"]


@dataclass(frozen=True)
class Press:
    area: Area
    yes: bool
    tag: str = ""  # unlink: the link it was offered for
    stamp: str = ""  # forget: when it was offered; "" on an old, unstamped prompt


def unlink(yes: bool, tag: str) -> str:
    """An answer to "unlink the link tagged `tag`?"."""
    assert re.fullmatch(_TAG, tag), tag
    return f"unlink:{'yes' if yes else 'no'}:{tag}"


def forget(yes: bool, stamp: str) -> str:
    """An answer to the /forget prompt offered at `stamp` ("" only for an old prompt's)."""
    assert stamp == "" or re.fullmatch(_STAMP, stamp), stamp
    tail = f":{stamp}" if stamp else ""
    return f"forget:{'yes' if yes else 'no'}{tail}"


def parse(data: str) -> Press | None:
    """The press behind callback data, or None when it is no /unlink or /forget data."""
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    unlink_answer, tag, forget_answer, stamp = match.groups()
    if unlink_answer is not None:
        return Press("unlink", unlink_answer == "yes", tag=tag)
    return Press("forget", forget_answer == "yes", stamp=stamp or "")
