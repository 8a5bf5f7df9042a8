"""Transmissions (봉사실적 일괄전송): choosing records, deciding outcomes, replay and cooldown."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from .db import stamp, unstamp, wire
from .members import Member
from .problems import Problem, validation_failed
from .records import SUCCEEDED, VISIBLE_AFTER, RecordState, reason

# "봉사실적 전송은 1시간에 1회만 가능합니다": 3600 s from the member's last ACCEPTED transmission
# (refusals and idempotent replays start nothing).
COOLDOWN = timedelta(hours=1)
RESENDABLE = ("unsent", "failed")  # failed rows have 재전송


def request_hash(body: dict[str, Any]) -> str:
    """A fingerprint of the body; the order of record_ids does not make it another request."""
    canonical = dict(body)
    if "record_ids" in canonical:
        canonical["record_ids"] = sorted(canonical["record_ids"])
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def find_replay(conn: sqlite3.Connection, vms_id: str, key: str, fingerprint: str) -> str | None:
    """The transmission an earlier request with this key made; 422 if its body differed."""
    row = conn.execute(
        "SELECT transmission_id, request_hash FROM transmissions"
        " WHERE vms_id = ? AND idempotency_key = ?",
        (vms_id, key),
    ).fetchone()
    if row is None:
        return None
    if row["request_hash"] != fingerprint:
        raise Problem(
            422, "idempotency_key_reused", "this Idempotency-Key came with another body before"
        )
    return str(row["transmission_id"])


def choose(states: list[RecordState], body: dict[str, Any]) -> list[RecordState]:
    """The records the body asks for, all of them unsent or failed."""
    if body["scope"] == "unsent_and_failed":
        if "record_ids" in body:
            raise validation_failed("record_ids: only allowed with scope 'selected'")
        chosen = [s for s in states if s.status in RESENDABLE]
        if not chosen:
            raise Problem(422, "nothing_to_send", "no unsent or failed records")
        return chosen
    if "record_ids" not in body:
        raise validation_failed("record_ids: required with scope 'selected'")
    by_id = {s.record_id: s for s in states}
    wanted = set(body["record_ids"])
    bad = [i for i in body["record_ids"] if i not in by_id or by_id[i].status not in RESENDABLE]
    if bad:
        shown = ", ".join(bad[:3]) + (" …" if len(bad) > 3 else "")
        raise Problem(
            422, "validation_failed", f"record_ids: not this member's unsent or failed: {shown}"
        )
    return [s for s in states if s.record_id in wanted]


def cooldown_left(conn: sqlite3.Connection, vms_id: str, now: datetime) -> timedelta | None:
    """How long until this member may send again, None when they may send now."""
    row = conn.execute(
        "SELECT MAX(created_at) AS last FROM transmissions WHERE vms_id = ?", (vms_id,)
    ).fetchone()
    if row["last"] is None:
        return None
    left = unstamp(row["last"]) + COOLDOWN - now
    return left if left > timedelta(0) else None


def outcome(member: Member, record: RecordState, portal_error: bool) -> str:
    """What 1365 will answer for this record, judged at send time, member-level reasons first."""
    if member.consent_1365 is None:
        return "consent_1365_missing"
    if member.account_1365 != "active":
        return "account_1365_not_found"
    if member.identity_mismatch:
        return "identity_mismatch"
    if record.already_on_1365:
        return "duplicate"
    if portal_error:
        return "portal_error"
    return SUCCEEDED


def store(
    conn: sqlite3.Connection,
    vms_id: str,
    outcomes: list[tuple[str, str]],
    created_at: datetime,
    completes_at: datetime,
    idempotency: tuple[str, str] | None = None,
) -> str:
    """Write the transmission, its planned (record, outcome) pairs, and mark the records sent."""
    transmission_id = "trn_" + secrets.token_hex(10)
    key, fingerprint = idempotency if idempotency else (None, None)
    conn.execute(
        "INSERT INTO transmissions VALUES (?, ?, ?, ?, ?, ?)",
        (transmission_id, vms_id, key, fingerprint, stamp(created_at), stamp(completes_at)),
    )
    conn.executemany(
        "INSERT INTO transmission_items VALUES (?, ?, ?, ?)",
        [(transmission_id, n, rid, result) for n, (rid, result) in enumerate(outcomes)],
    )
    conn.executemany(
        "UPDATE records SET last_transmission_id = ? WHERE record_id = ?",
        [(transmission_id, rid) for rid, _ in outcomes],
    )
    return transmission_id


def view(conn: sqlite3.Connection, transmission_id: str, now: datetime) -> dict[str, Any]:
    """The contract's Transmission: results stay pending until the clock passes completes_at."""
    row = conn.execute(
        "SELECT * FROM transmissions WHERE transmission_id = ?", (transmission_id,)
    ).fetchone()
    created, completes = unstamp(row["created_at"]), unstamp(row["completes_at"])
    done = now >= completes
    items = conn.execute(
        "SELECT record_id, outcome FROM transmission_items WHERE transmission_id = ?"
        " ORDER BY position",
        (transmission_id,),
    ).fetchall()
    results = []
    for item in items:
        result = item["outcome"] if done else "pending"
        ok = result == SUCCEEDED
        results.append(
            {
                "record_id": item["record_id"],
                "status": result if result in ("pending", SUCCEEDED) else "failed",
                "reason": reason(result) if result not in ("pending", SUCCEEDED) else None,
                "visible_on_1365_at": wire(created + VISIBLE_AFTER) if ok else None,
            }
        )
    return {
        "transmission_id": transmission_id,
        "status": "completed" if done else "accepted",
        "created_at": wire(created),
        "completed_at": wire(completes) if done else None,
        "record_count": len(items),
        "results": results,
    }


def recent(conn: sqlite3.Connection, vms_id: str, limit: int) -> list[str]:
    """Ids of the member's newest transmissions, newest first."""
    rows = conn.execute(
        "SELECT transmission_id FROM transmissions WHERE vms_id = ?"
        " ORDER BY created_at DESC, rowid DESC LIMIT ?",
        (vms_id, limit),
    ).fetchall()
    return [str(r["transmission_id"]) for r in rows]


def belongs_to(conn: sqlite3.Connection, transmission_id: str, vms_id: str) -> bool:
    """Whether the transmission is this member's."""
    row = conn.execute(
        "SELECT 1 FROM transmissions WHERE transmission_id = ? AND vms_id = ?",
        (transmission_id, vms_id),
    ).fetchone()
    return row is not None
