"""Linking by proof of ownership: one-time codes, attempts, expiry, one active link per member."""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import members
from .db import stamp, unstamp, wire
from .problems import Problem, rate_limited

ATTEMPTS = 5
REQUESTS_PER_WINDOW = 5
REQUEST_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class CodeSent:
    """A new link request, and the code to deliver (None for an unknown ID)."""

    view: dict[str, Any]
    member: members.Member | None
    code: str | None


def create_request(
    conn: sqlite3.Connection, vms_id: str, now: datetime, ttl: timedelta, salt: str
) -> CodeSent:
    """Open a request; known and unknown IDs get answers of the same shape."""
    key = vms_id.lower()
    _limit_requests(conn, key, now)
    member = members.load(conn, key)
    if member is None:
        channel, masked = members.decoy_destination(salt, key)
        code = None
    else:
        channel, masked = (
            member.channel,
            members.mask_destination(member.channel, member.destination),
        )
        code = f"{secrets.randbelow(10**6):06d}"
    request_id = "lrq_" + secrets.token_urlsafe(16)
    conn.execute(
        "INSERT INTO link_requests (request_id, vms_id, code, channel, destination_masked,"
        " created_at, expires_at, attempts_left) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (request_id, key, code, channel, masked, stamp(now), stamp(now + ttl), ATTEMPTS),
    )
    view = {
        "request_id": request_id,
        "channel": channel,
        "destination_masked": masked,
        "expires_at": wire(now + ttl),
        "attempts_allowed": ATTEMPTS,
    }
    return CodeSent(view, member, code)


def _limit_requests(conn: sqlite3.Connection, key: str, now: datetime) -> None:
    """At most five requests per ID per hour, for unknown IDs too (no enumeration by 429)."""
    rows = conn.execute(
        "SELECT created_at FROM link_requests WHERE vms_id = ? AND created_at > ?"
        " ORDER BY created_at",
        (key, stamp(now - REQUEST_WINDOW)),
    ).fetchall()
    if len(rows) >= REQUESTS_PER_WINDOW:
        oldest = unstamp(rows[-REQUESTS_PER_WINDOW]["created_at"])
        raise rate_limited(oldest + REQUEST_WINDOW - now, "too many link requests for this ID")


def confirm(
    conn: sqlite3.Connection, request_id: str, code: str, now: datetime
) -> dict[str, Any] | Problem:
    """Check the code; on success make the link, revoking the member's previous one.

    A wrong code is returned, not raised, so the caller commits the spent attempt.
    """
    row = conn.execute("SELECT * FROM link_requests WHERE request_id = ?", (request_id,)).fetchone()
    if row is None or row["used"]:
        raise Problem(404, "request_not_found", "no open link request with this id")
    if row["attempts_left"] <= 0:
        raise Problem(423, "request_locked", "too many wrong codes; request a new one")
    if now >= unstamp(row["expires_at"]):
        raise Problem(410, "code_expired", "the code has expired; request a new one")
    member = members.load(conn, row["vms_id"]) if row["code"] else None
    # An unknown ID has no code, so it fails exactly like a wrong guess.
    if member is None or not hmac.compare_digest(row["code"].encode(), code.encode()):
        left = row["attempts_left"] - 1
        conn.execute(
            "UPDATE link_requests SET attempts_left = ? WHERE request_id = ?", (left, request_id)
        )
        return Problem(422, "code_invalid", "the code is not right", attempts_left=left)
    conn.execute("UPDATE link_requests SET used = 1 WHERE request_id = ?", (request_id,))
    previous = conn.execute(
        "SELECT link_id FROM links WHERE vms_id = ? AND revoked_at IS NULL", (member.vms_id,)
    ).fetchone()
    conn.execute(
        "UPDATE links SET revoked_at = ? WHERE vms_id = ? AND revoked_at IS NULL",
        (stamp(now), member.vms_id),
    )
    link_id = "lnk_" + secrets.token_urlsafe(18)
    conn.execute(
        "INSERT INTO links (link_id, vms_id, created_at) VALUES (?, ?, ?)",
        (link_id, member.vms_id, stamp(now)),
    )
    return {
        "link_id": link_id,
        "member": members.contract_view(member),
        "replaced_link_id": None if previous is None else previous["link_id"],
    }


def linked_member(conn: sqlite3.Connection, link_id: str) -> members.Member:
    """The member behind an active link, or 404 link_not_found."""
    row = conn.execute(
        "SELECT vms_id FROM links WHERE link_id = ? AND revoked_at IS NULL", (link_id,)
    ).fetchone()
    member = None if row is None else members.load(conn, row["vms_id"])
    if member is None:
        raise Problem(404, "link_not_found", "no active link with this id")
    return member


def revoke(conn: sqlite3.Connection, link_id: str, now: datetime) -> None:
    """Revoke if active; unknown and already revoked links are fine too."""
    conn.execute(
        "UPDATE links SET revoked_at = ? WHERE link_id = ? AND revoked_at IS NULL",
        (stamp(now), link_id),
    )
