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

ATTEMPTS = 5  # wrong codes one request takes before it locks
WRONG_PER_DAY = 10  # wrong codes per member in any 24 hours, across all their requests
GUESS_WINDOW = timedelta(hours=24)
DELIVERIES_PER_HOUR = 5  # codes sent to one member in any hour
CENTER_DELIVERIES_PER_HOUR = 300  # codes the whole center sends in any hour (default)
DELIVERY_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class CodeSent:
    """A new link request, and the code to deliver (None for an unknown ID)."""

    view: dict[str, Any]
    member: members.Member | None
    code: str | None


def create_request(
    conn: sqlite3.Connection,
    vms_id: str,
    now: datetime,
    ttl: timedelta,
    decoy_key: bytes,
    center_cap: int = CENTER_DELIVERIES_PER_HOUR,
) -> CodeSent:
    """Open a request, voiding the ID's older ones; known and unknown IDs are treated alike.

    Every limit counts the ID as typed (lower-cased), whether or not a member has it, so a
    429 says nothing about existence either.
    """
    key = vms_id.lower()
    spent = _wrong_guesses(conn, key, now)
    if len(spent) >= WRONG_PER_DAY:
        wait = unstamp(spent[-WRONG_PER_DAY]) + GUESS_WINDOW - now
        raise rate_limited(wait, "too many wrong codes for this ID in 24 hours")
    _limit_deliveries(conn, key, now, center_cap)
    member = members.load(conn, key)
    # Drawn for every ID, so an unknown one costs the same work as a known one.
    code = f"{secrets.randbelow(10**6):06d}"
    if member is None:
        channel, masked = members.decoy_destination(decoy_key, key)
    else:
        channel = member.channel
        masked = members.mask_destination(member.channel, member.destination)
    conn.execute("UPDATE link_requests SET used = 1 WHERE vms_id = ? AND used = 0", (key,))
    attempts = min(ATTEMPTS, WRONG_PER_DAY - len(spent))
    request_id = "lrq_" + secrets.token_urlsafe(16)
    conn.execute(
        "INSERT INTO link_requests (request_id, vms_id, code, channel, destination_masked,"
        " created_at, expires_at, attempts_left) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            request_id,
            key,
            None if member is None else code,
            channel,
            masked,
            stamp(now),
            stamp(now + ttl),
            attempts,
        ),
    )
    view = {
        "request_id": request_id,
        "channel": channel,
        "destination_masked": masked,
        "expires_at": wire(now + ttl),
        "attempts_allowed": attempts,
    }
    return CodeSent(view, member, None if member is None else code)


def _wrong_guesses(conn: sqlite3.Connection, key: str, now: datetime) -> list[str]:
    """Stamps of this ID's wrong codes in the last 24 hours, oldest first."""
    rows = conn.execute(
        "SELECT at FROM wrong_guesses WHERE vms_id = ? AND at > ? ORDER BY at",
        (key, stamp(now - GUESS_WINDOW)),
    ).fetchall()
    return [str(r["at"]) for r in rows]


def _limit_deliveries(conn: sqlite3.Connection, key: str, now: datetime, center_cap: int) -> None:
    """At most five codes per ID per hour, and `center_cap` for the whole center."""
    since = stamp(now - DELIVERY_WINDOW)
    mine = conn.execute(
        "SELECT created_at FROM link_requests WHERE vms_id = ? AND created_at > ?"
        " ORDER BY created_at",
        (key, since),
    ).fetchall()
    if len(mine) >= DELIVERIES_PER_HOUR:
        oldest = unstamp(mine[-DELIVERIES_PER_HOUR]["created_at"])
        raise rate_limited(oldest + DELIVERY_WINDOW - now, "too many link codes for this ID")
    everyone = conn.execute(
        "SELECT created_at FROM link_requests WHERE created_at > ? ORDER BY created_at DESC"
        " LIMIT 1 OFFSET ?",
        (since, center_cap - 1),
    ).fetchone()
    if everyone is not None:
        wait = unstamp(everyone["created_at"]) + DELIVERY_WINDOW - now
        raise rate_limited(wait, "this center sent too many link codes this hour")


def confirm(
    conn: sqlite3.Connection, request_id: str, code: str, now: datetime
) -> dict[str, Any] | Problem:
    """Check the code; on success make the link, revoking the member's previous one.

    A wrong code is returned, not raised, so the caller commits the spent attempt.
    """
    row = conn.execute("SELECT * FROM link_requests WHERE request_id = ?", (request_id,)).fetchone()
    again = _confirmed_before(conn, row, code, now)
    if again is not None:
        return again
    if row is None or row["used"]:
        # Used, or voided by a newer request or by another request's success.
        raise Problem(404, "request_not_found", "no open link request with this id")
    daily_left = WRONG_PER_DAY - len(_wrong_guesses(conn, row["vms_id"], now))
    if min(row["attempts_left"], daily_left) <= 0:
        raise Problem(423, "request_locked", "too many wrong codes; request a new one later")
    if now >= unstamp(row["expires_at"]):
        raise Problem(410, "code_expired", "the code has expired; request a new one")
    member = members.load(conn, row["vms_id"]) if row["code"] else None
    # An unknown ID has no code, so it fails exactly like a wrong guess.
    if member is None or not hmac.compare_digest(row["code"].encode(), code.encode()):
        left = min(row["attempts_left"], daily_left) - 1
        conn.execute(
            "UPDATE link_requests SET attempts_left = ? WHERE request_id = ?", (left, request_id)
        )
        conn.execute(
            "INSERT INTO wrong_guesses (vms_id, at) VALUES (?, ?)", (row["vms_id"], stamp(now))
        )
        return Problem(422, "code_invalid", "the code is not right", attempts_left=left)
    # Success closes every open request of the member, not only this one.
    conn.execute("UPDATE link_requests SET used = 1 WHERE vms_id = ?", (member.vms_id,))
    previous = conn.execute(
        "SELECT link_id FROM links WHERE vms_id = ? AND revoked_at IS NULL", (member.vms_id,)
    ).fetchone()
    conn.execute(
        "UPDATE links SET revoked_at = ? WHERE vms_id = ? AND revoked_at IS NULL",
        (stamp(now), member.vms_id),
    )
    link_id = "lnk_" + secrets.token_urlsafe(18)
    replaced = None if previous is None else previous["link_id"]
    conn.execute(
        "INSERT INTO links (link_id, vms_id, created_at) VALUES (?, ?, ?)",
        (link_id, member.vms_id, stamp(now)),
    )
    conn.execute(
        "UPDATE link_requests SET link_id = ?, replaced_link_id = ? WHERE request_id = ?",
        (link_id, replaced, request_id),
    )
    return {
        "link_id": link_id,
        "member": members.contract_view(member),
        "replaced_link_id": replaced,
    }


def _confirmed_before(
    conn: sqlite3.Connection, row: sqlite3.Row | None, code: str, now: datetime
) -> dict[str, Any] | None:
    """The answer this request's successful confirmation got, when the same code comes
    again before it expires and its link is still active: a caller that lost the answer
    (it crashed, or the connection broke) asks again instead of losing the link."""
    if row is None or row["link_id"] is None or now >= unstamp(row["expires_at"]):
        return None
    if not hmac.compare_digest(row["code"].encode(), code.encode()):
        return None
    active = conn.execute(
        "SELECT 1 FROM links WHERE link_id = ? AND revoked_at IS NULL", (row["link_id"],)
    ).fetchone()
    member = members.load(conn, row["vms_id"])
    if active is None or member is None:
        return None
    return {
        "link_id": row["link_id"],
        "member": members.contract_view(member),
        "replaced_link_id": row["replaced_link_id"],
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
