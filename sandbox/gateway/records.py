"""VMS records and their linkage state (결과), derived from the clock when read."""

from __future__ import annotations

import base64
import binascii
import secrets
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .db import unstamp, wire
from .problems import validation_failed

VISIBLE_AFTER = timedelta(hours=24)  # "전송 성공 자료는 만 24시간 후 ... 확인"
STATUSES = ("unsent", "pending", "succeeded", "failed")
SUCCEEDED = "succeeded"

# What the portal says for each failure, shown verbatim in the 결과 column.
REASON_MESSAGES = {
    "consent_1365_missing": (
        "1365자원봉사포털에서 봉사실적 연계를 위한 정보제공 동의가 되어 있지 않아"
        " 전송되지 않았습니다."
    ),
    "account_1365_not_found": (
        "1365자원봉사포털에 일치하는 회원정보가 없습니다. (휴면 계정 삭제 또는 미가입)"
    ),
    "identity_mismatch": (
        "실명인증 정보가 일치하지 않습니다. 주민등록번호가 변경된 경우 1365자원봉사포털에서"
        " 정보제공 동의 초기화 후 다시 동의해 주세요."
    ),
    "duplicate": "이미 1365자원봉사포털에 등록된 봉사실적입니다.",
    "portal_error": (
        "1365자원봉사포털 연계 중 일시적인 오류가 발생했습니다. 잠시 후 재전송해 주세요."
    ),
}


def reason(outcome: str) -> dict[str, str] | None:
    """The contract's Reason for a stored outcome, None for a success."""
    if outcome == SUCCEEDED:
        return None
    return {"code": outcome, "message": REASON_MESSAGES[outcome]}


@dataclass(frozen=True)
class RecordState:
    """One record with the state its last transmission gives it at a given moment."""

    seq: int
    record_id: str
    activity_date: str
    host: str
    activity: str
    minutes: int
    kind: str
    already_on_1365: bool
    status: str
    sent_at: datetime | None
    outcome: str | None

    def view(self) -> dict[str, Any]:
        """The contract's Record."""
        visible = (
            self.sent_at + VISIBLE_AFTER if self.status == SUCCEEDED and self.sent_at else None
        )
        return {
            "record_id": self.record_id,
            "activity_date": self.activity_date,
            "host": self.host,
            "activity": self.activity,
            "minutes": self.minutes,
            "kind": self.kind,
            "status": self.status,
            "sent_at": None if self.sent_at is None else wire(self.sent_at),
            "reason": reason(self.outcome) if self.status == "failed" and self.outcome else None,
            "visible_on_1365_at": None if visible is None else wire(visible),
        }


def member_records(conn: sqlite3.Connection, vms_id: str, now: datetime) -> list[RecordState]:
    """Every record of the member, newest activity first (ties: newest entered first)."""
    rows = conn.execute(
        "SELECT r.*, t.created_at, t.completes_at, i.outcome FROM records r"
        " LEFT JOIN transmissions t ON t.transmission_id = r.last_transmission_id"
        " LEFT JOIN transmission_items i ON i.transmission_id = r.last_transmission_id"
        "  AND i.record_id = r.record_id"
        " WHERE r.vms_id = ? ORDER BY r.activity_date DESC, r.seq DESC",
        (vms_id,),
    ).fetchall()
    return [_state(row, now) for row in rows]


def _state(row: sqlite3.Row, now: datetime) -> RecordState:
    sent_at = None if row["created_at"] is None else unstamp(row["created_at"])
    if sent_at is None:
        status = "unsent"
    elif now < unstamp(row["completes_at"]):
        status = "pending"
    else:
        status = SUCCEEDED if row["outcome"] == SUCCEEDED else "failed"
    return RecordState(
        seq=row["seq"],
        record_id=row["record_id"],
        activity_date=row["activity_date"],
        host=row["host"],
        activity=row["activity"],
        minutes=row["minutes"],
        kind=row["kind"],
        already_on_1365=bool(row["already_on_1365"]),
        status=status,
        sent_at=sent_at,
        outcome=row["outcome"],
    )


def counts(states: list[RecordState]) -> dict[str, int]:
    """How many records are in each state."""
    tally = Counter(s.status for s in states)
    return {status: tally[status] for status in STATUSES}


def encode_cursor(state: RecordState) -> str:
    """Opaque to clients: where the next page starts in (activity date, entry order)."""
    return base64.urlsafe_b64encode(f"{state.activity_date}|{state.seq}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[str, int]:
    """(activity date, entry order) from a cursor, 400 if it is not one of ours."""
    try:
        day, seq = base64.urlsafe_b64decode(cursor.encode("ascii")).decode().split("|")
        date.fromisoformat(day)
        return day, int(seq)
    except (ValueError, UnicodeError, binascii.Error):
        raise validation_failed("cursor: not a next_cursor this gateway gave") from None


def page(
    states: list[RecordState], statuses: set[str] | None, limit: int, cursor: str | None
) -> dict[str, Any]:
    """One RecordPage; counts cover every record, not only the filtered ones."""
    chosen = [s for s in states if statuses is None or s.status in statuses]
    if cursor is not None:
        after = decode_cursor(cursor)
        chosen = [s for s in chosen if (s.activity_date, s.seq) < after]
    items = chosen[:limit]
    more = len(chosen) > limit
    return {
        "items": [s.view() for s in items],
        "next_cursor": encode_cursor(items[-1]) if more else None,
        "counts": counts(states),
    }


def new_record_id() -> str:
    """A fresh opaque record id."""
    return "rec_" + secrets.token_hex(8)


def insert(conn: sqlite3.Connection, vms_id: str, spec: dict[str, Any], record_id: str) -> None:
    """Store one validated SandboxRecordCreate as an unsent record."""
    conn.execute(
        "INSERT INTO records (record_id, vms_id, activity_date, host, activity, minutes, kind,"
        " already_on_1365) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record_id,
            vms_id,
            spec["activity_date"],
            spec["host"],
            spec["activity"],
            spec["minutes"],
            spec.get("kind", "개인봉사"),
            int(spec.get("already_on_1365", False)),
        ),
    )


def count_for(conn: sqlite3.Connection, vms_id: str) -> int:
    """How many records the member has."""
    return int(
        conn.execute("SELECT COUNT(*) FROM records WHERE vms_id = ?", (vms_id,)).fetchone()[0]
    )
