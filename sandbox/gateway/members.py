"""Simulated VMS members: storage, masking and the two views (contract and operator)."""

from __future__ import annotations

import hashlib
import hmac
import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

# How members receive codes, and where their mailboxes are: a decoy for an unknown ID is drawn
# from the same mix, so neither the channel nor the mask's shape tells a real member apart.
SMS_SHARE_PERMILLE = 700
MAIL_DOMAINS: tuple[tuple[str, int], ...] = (
    ("naver.com", 40),
    ("gmail.com", 25),
    ("daum.net", 12),
    ("hanmail.net", 10),
    ("kakao.com", 8),
    ("snu.ac.kr", 5),
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Member:
    """A VMS member as the sandbox simulates both sites' view of them."""

    vms_id: str
    id_1365: str | None = None
    account_1365: str = "active"
    identity_mismatch: bool = False
    consent_vms: date | None = None
    consent_1365: date | None = None
    channel: str = "sms"
    destination: str = "010-0000-0000"


def mask_id(value: str) -> str:
    """ "kindly1365" -> "kindly****", "abcdef" -> "ab****": never more than six shown."""
    shown = min(6, max(1, len(value) - 4))
    return value[:shown] + "*" * (len(value) - shown)


def mask_destination(channel: str, destination: str) -> str:
    """ "010-3921-1204" -> "010-****-12**"; "kindly0904@naver.com" -> "ki****@n***.com"."""
    if channel == "sms":
        digits = re.sub(r"\D", "", destination)
        return f"{digits[:3]}-****-{digits[-4:-2]}**"
    local, _, domain = destination.partition("@")
    dot = domain.rfind(".")
    return f"{local[:2]}****@{domain[:1]}***{domain[dot:]}"


def _cumulative(weights: tuple[tuple[str, int], ...]) -> list[tuple[str, int]]:
    out, total = [], 0
    for name, weight in weights:
        total += weight
        out.append((name, total))
    return out


def decoy_destination(key: bytes, vms_id: str) -> tuple[str, str]:
    """A stable, plausible (channel, masked destination) for an ID that does not exist.

    Everything comes from HMAC-SHA-256 of the ID under the sandbox's own secret: the same ID
    always gets the same answer, nobody without the secret can tell it from a real member's,
    and no character of the ID itself shows in it.
    """
    digest = hmac.new(key, vms_id.encode(), hashlib.sha256).digest()
    if int.from_bytes(digest[0:2]) % 1000 < SMS_SHARE_PERMILLE:
        return "sms", f"010-****-{int.from_bytes(digest[2:4]) % 100:02d}**"
    total = sum(weight for _, weight in MAIL_DOMAINS)
    pick = int.from_bytes(digest[4:6]) % total
    domain = next(d for d, upto in _cumulative(MAIL_DOMAINS) if pick < upto)
    local = _LETTERS[digest[6] % 26] + _LETTERS[digest[7] % 26]
    return "email", mask_destination("email", f"{local}@{domain}")


def default_member(vms_id: str) -> Member:
    """A new member's defaults: no consents, active 1365 account, a made-up phone."""
    digest = hashlib.sha256(vms_id.encode()).hexdigest()
    digits = "".join(str(int(c, 16) % 10) for c in digest[:8])
    return Member(vms_id=vms_id, destination=f"010-{digits[:4]}-{digits[4:]}")


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _from_row(row: sqlite3.Row) -> Member:
    return Member(
        vms_id=row["vms_id"],
        id_1365=row["id_1365"],
        account_1365=row["account_1365"],
        identity_mismatch=bool(row["identity_mismatch"]),
        consent_vms=_day(row["consent_vms"]),
        consent_1365=_day(row["consent_1365"]),
        channel=row["channel"],
        destination=row["destination"],
    )


def load(conn: sqlite3.Connection, vms_id: str) -> Member | None:
    """The member with this (lower-case) VMS ID, None if there is none."""
    row = conn.execute("SELECT * FROM members WHERE vms_id = ?", (vms_id,)).fetchone()
    return None if row is None else _from_row(row)


def load_all(conn: sqlite3.Connection) -> list[Member]:
    """Every member, by VMS ID."""
    return [_from_row(r) for r in conn.execute("SELECT * FROM members ORDER BY vms_id")]


def save(conn: sqlite3.Connection, member: Member) -> None:
    """Insert or update in place (never delete-and-insert: records point at the member)."""
    values = (
        member.vms_id,
        member.id_1365,
        member.account_1365,
        int(member.identity_mismatch),
        None if member.consent_vms is None else member.consent_vms.isoformat(),
        None if member.consent_1365 is None else member.consent_1365.isoformat(),
        member.channel,
        member.destination,
    )
    conn.execute(
        "INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vms_id) DO UPDATE SET"
        " id_1365 = excluded.id_1365, account_1365 = excluded.account_1365,"
        " identity_mismatch = excluded.identity_mismatch, consent_vms = excluded.consent_vms,"
        " consent_1365 = excluded.consent_1365, channel = excluded.channel,"
        " destination = excluded.destination",
        values,
    )


def apply_update(member: Member, update: dict[str, Any]) -> Member:
    """The member with the fields of a validated SandboxMemberUpdate applied."""
    changes: dict[str, Any] = {}
    for key in ("id_1365", "account_1365", "identity_mismatch"):
        if key in update:
            changes[key] = update[key]
    for key in ("consent_vms", "consent_1365"):
        if key in update:
            changes[key] = _day(update[key])
    if "contact" in update:
        changes["channel"] = update["contact"]["channel"]
        changes["destination"] = update["contact"]["destination"]
    return replace(member, **changes)


def _consent(on: date | None) -> dict[str, Any]:
    return {"agreed": on is not None, "agreed_on": None if on is None else on.isoformat()}


def contract_view(member: Member) -> dict[str, Any]:
    """The contract's Member: the 1365 ID masked, null when there is no 1365 account."""
    known = member.id_1365 is not None and member.account_1365 == "active"
    return {
        "vms_id": member.vms_id,
        "id_1365_masked": mask_id(member.id_1365) if known and member.id_1365 else None,
        "consent_vms": _consent(member.consent_vms),
        "consent_1365": _consent(member.consent_1365),
        "account_1365": member.account_1365,
    }


def operator_view(member: Member, record_count: int) -> dict[str, Any]:
    """The operator's SandboxMember: nothing masked, because nothing is real."""
    return {
        "vms_id": member.vms_id,
        "id_1365": member.id_1365,
        "account_1365": member.account_1365,
        "identity_mismatch": member.identity_mismatch,
        "consent_vms": None if member.consent_vms is None else member.consent_vms.isoformat(),
        "consent_1365": None if member.consent_1365 is None else member.consent_1365.isoformat(),
        "contact": {"channel": member.channel, "destination": member.destination},
        "record_count": record_count,
    }
