"""/send's button data, built and parsed here only: other features import these builders.

`send:start` enters the send flow (every check runs again); `send:failed` and
`send:rec:<ref>` resend from the /status list (a record's ref, resolved by the service among
this user's cached records, or "every failed one"); `send:guide:<site>` opens the consent
guide from a result. ASCII, well within Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from core.types import Site

START = "send:start"
FAILED = "send:failed"
# Handlers match these; \Z, not $: "$" also matches before a final newline. The resend
# pattern takes every send:rec: so a forged ref is told "unknown record", not ignored.
GUIDE_PATTERN = r"^send:guide:(1365|vms)\Z"
RESEND_PATTERN = r"^send:(rec:|failed)"
_REF = r"[0-9a-f]{16}"
_DATA = re.compile(rf"send:(?:(start|failed)|rec:({_REF})|guide:(1365|vms))")

Action = Literal["start", "failed", "record", "guide"]


@dataclass(frozen=True)
class Press:
    action: Action
    ref: str | None = None  # record
    site: Site | None = None  # guide


def record(ref: str) -> str:
    """Resend one record of the /status list."""
    assert re.fullmatch(_REF, ref), ref
    return f"send:rec:{ref}"


def guide(site: Site) -> str:
    """Open the consent guide at `site`'s steps, from a /send result."""
    return f"send:guide:{site}"


def parse(data: str) -> Press | None:
    """The press behind callback data, or None when it is no /send data."""
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    fixed, ref, site = match.groups()
    if fixed is not None:
        return Press(cast(Action, fixed))
    if ref is not None:
        return Press("record", ref=ref)
    return Press("guide", site=cast(Site, site))
