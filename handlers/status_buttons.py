"""/status's button data, built and parsed here only: other features import these builders.

Outside any flow, each button carries what it acts on, so a press on an old copy still means
something: `st:open` (a new status message), `st:refresh`, `st:home`,
`st:list:<filter>:<page>`, `st:rec:<ref>:<filter>:<page>` and `st:guide:<site>` (the consent
guide, answered by /status). ASCII, well within Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from bot.services.status import FILTERS, Filter
from core.types import Site

OPEN = "st:open"
REFRESH = "st:refresh"
HOME = "st:home"
# Every st: press reaches the handler; data parse() refuses gets a polite toast there.
PATTERN = r"^st:"
MAX_PAGE = 9999
_FILTER = "(" + "|".join(FILTERS) + ")"
_PAGE = r"(0|[1-9][0-9]{0,3})"
_DATA = re.compile(
    r"st:(?:(open|refresh|home)"
    rf"|list:{_FILTER}:{_PAGE}"
    rf"|rec:([0-9a-f]{{16}}):{_FILTER}:{_PAGE}"
    r"|guide:(1365|vms))"
)

Action = Literal["open", "refresh", "home", "list", "record", "guide"]


@dataclass(frozen=True)
class Press:
    action: Action
    filter: Filter | None = None  # list, record: the list to go back to
    page: int | None = None
    ref: str | None = None  # record
    site: Site | None = None  # guide


def page(filter: Filter, number: int) -> str:
    """One page of the record list."""
    assert 0 <= number <= MAX_PAGE, number
    return f"st:list:{filter}:{number}"


def record(ref: str, filter: Filter, number: int) -> str:
    """One record's own view, with the list page it came from."""
    assert re.fullmatch(r"[0-9a-f]{16}", ref) and 0 <= number <= MAX_PAGE, (ref, number)
    return f"st:rec:{ref}:{filter}:{number}"


def guide(site: Site) -> str:
    """The consent guide at `site`'s steps."""
    return f"st:guide:{site}"


def parse(data: str) -> Press | None:
    """The press behind callback data, or None when it is no /status data."""
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    fixed, list_filter, list_page, ref, rec_filter, rec_page, site = match.groups()
    if fixed is not None:
        return Press(cast(Action, fixed))
    if list_filter is not None:
        return Press("list", cast(Filter, list_filter), int(list_page))
    if ref is not None:
        return Press("record", cast(Filter, rec_filter), int(rec_page), ref=ref)
    return Press("guide", site=cast(Site, site))
