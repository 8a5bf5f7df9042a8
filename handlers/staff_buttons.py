"""Button data of the staff screens outside flows, built and parsed here only: /staff
(handlers/staff.py), its invites (handlers/staff_invites.py) and a broadcast's resend offer
(handlers/broadcast_resend.py) import these builders.

Every one starts with PREFIX, so the staff guard (handlers/staff_guard.py) refuses a forged
one to non-staff before any feature runs:
`staff:list`, `staff:log`, `staff:rm:<member>` (asks), `staff:rmok:<member>` (removes),
`staff:ivx:<the first 16 hex digits of an invite's hash>` (revokes),
`staff:bcre:<broadcast>` (asks), `staff:bcgo:<broadcast>` (resends), `staff:bcno:<broadcast>`
(leaves it). Numbers have no leading zero, so each press has one spelling. ASCII, well within
Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

PREFIX = "staff:"
LIST = "staff:list"
LOG = "staff:log"

_MEMBER = r"[1-9][0-9]{0,14}"  # a Telegram user id
_INVITE = r"[0-9a-f]{16}"
_BROADCAST = r"[1-9][0-9]{0,8}"
# Each handler's pattern is its part of the grammar below, whole (\Z, not $: "$" also matches
# before a final newline): anything else falls through to the stale-button answer.
STAFF_PATTERN = rf"^staff:(?:list|log|(?:rm|rmok):{_MEMBER})\Z"
INVITE_PATTERN = rf"^staff:ivx:{_INVITE}\Z"
RESEND_PATTERN = rf"^staff:(?:bcre|bcgo|bcno):{_BROADCAST}\Z"
_DATA = re.compile(
    rf"staff:(?:(list|log)|(rm|rmok):({_MEMBER})|ivx:({_INVITE})|(bcre|bcgo|bcno):({_BROADCAST}))"
)

Action = Literal["list", "log", "rm", "rmok", "ivx", "bcre", "bcgo", "bcno"]
MemberAction = Literal["rm", "rmok"]
ResendAction = Literal["bcre", "bcgo", "bcno"]


@dataclass(frozen=True)
class Press:
    action: Action
    member: int | None = None  # rm, rmok
    invite: str | None = None  # ivx
    broadcast: int | None = None  # bcre, bcgo, bcno


def member(action: MemberAction, telegram_id: int) -> str:
    """Ask to remove a staff member (rm), or remove them (rmok)."""
    assert re.fullmatch(_MEMBER, str(telegram_id)), telegram_id
    return f"staff:{action}:{telegram_id}"


def revoke_invite(ref: str) -> str:
    """Revoke the open invite whose hash starts with `ref`."""
    assert re.fullmatch(_INVITE, ref), ref
    return f"staff:ivx:{ref}"


def resend(action: ResendAction, broadcast_id: int) -> str:
    """A finished broadcast's resend to its unknown deliveries: ask, go, or leave it."""
    assert re.fullmatch(_BROADCAST, str(broadcast_id)), broadcast_id
    return f"staff:{action}:{broadcast_id}"


def is_staff_data(data: str) -> bool:
    """Whether a press is meant for a staff screen (and so refused to everyone else)."""
    return data.startswith(PREFIX)


def parse(data: str) -> Press | None:
    """The press behind callback data, or None when it is no staff screen's data."""
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    fixed, member_action, member_id, invite, resend_action, broadcast = match.groups()
    if fixed is not None:
        return Press(cast(Action, fixed))
    if member_action is not None:
        return Press(cast(Action, member_action), member=int(member_id))
    if invite is not None:
        return Press("ivx", invite=invite)
    return Press(cast(Action, resend_action), broadcast=int(broadcast))
