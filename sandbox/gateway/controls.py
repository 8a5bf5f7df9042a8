"""The operator controls (members, consents, records, clock, deliveries, faults)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from core.clock import OffsetClock

from . import members, records
from .core import Gateway
from .db import wire
from .problems import Problem


def _member_or_404(gw: Gateway, vms_id: str) -> members.Member:
    member = members.load(gw.db.conn, vms_id.lower())
    if member is None:
        raise Problem(404, "member_not_found", f"no member {vms_id.lower()}")
    return member


def _view(gw: Gateway, member: members.Member) -> dict[str, Any]:
    return members.operator_view(member, records.count_for(gw.db.conn, member.vms_id))


def get_member(gw: Gateway, vms_id: str) -> dict[str, Any]:
    """The operator view of one member, 404 member_not_found if absent."""
    return _view(gw, _member_or_404(gw, vms_id))


def list_members(gw: Gateway) -> dict[str, Any]:
    """The operator view of every member."""
    return {"members": [_view(gw, m) for m in members.load_all(gw.db.conn)]}


def put_member(gw: Gateway, vms_id: str, update: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Create or change a member from a validated SandboxMemberUpdate; True when created."""
    key = vms_id.lower()
    with gw.db.transaction() as conn:
        current = members.load(conn, key)
        member = members.apply_update(current or members.default_member(key), update)
        members.save(conn, member)
    return current is None, _view(gw, member)


def set_consents(gw: Gateway, vms_id: str, consents: dict[str, Any]) -> dict[str, Any]:
    """Apply a validated SandboxConsents (vms / portal: date text or None; absent = keep)."""
    renamed = {
        field: consents[name]
        for name, field in (("vms", "consent_vms"), ("portal", "consent_1365"))
        if name in consents
    }
    with gw.db.transaction() as conn:
        member = members.apply_update(_member_or_404(gw, vms_id), renamed)
        members.save(conn, member)
    return _view(gw, member)


def add_records(gw: Gateway, vms_id: str, specs: list[dict[str, Any]]) -> list[str]:
    """Store validated SandboxRecordCreate items as unsent records; their new ids."""
    member = _member_or_404(gw, vms_id)
    ids = [records.new_record_id() for _ in specs]
    with gw.db.transaction() as conn:
        for record_id, spec in zip(ids, specs, strict=True):
            records.insert(conn, member.vms_id, spec, record_id)
    return ids


def clock_view(gw: Gateway) -> dict[str, Any]:
    """The SandboxClock: now, and the offset when it can be advanced."""
    adjustable = isinstance(gw.clock, OffsetClock)
    offset = int(gw.clock.offset.total_seconds()) if isinstance(gw.clock, OffsetClock) else None
    return {"now": wire(gw.now()), "adjustable": adjustable, "offset_seconds": offset}


def advance_clock(gw: Gateway, seconds: int) -> dict[str, Any]:
    """Advance an OffsetClock by `seconds`; 409 for an injected clock."""
    gw.advance_clock(timedelta(seconds=seconds))
    return clock_view(gw)


def deliveries_view(gw: Gateway, vms_id: str | None) -> dict[str, Any]:
    """Delivered codes, oldest first, optionally for one member."""
    wanted = None if vms_id is None else vms_id.lower()
    chosen = [d for d in gw.deliveries if wanted is None or d.vms_id == wanted]
    return {"deliveries": [d.view() for d in chosen]}


def faults_view(gw: Gateway) -> dict[str, Any]:
    """The SandboxFaults now in force."""
    return asdict(gw.faults)


def set_faults(gw: Gateway, update: dict[str, Any]) -> dict[str, Any]:
    """Apply a validated SandboxFaultsUpdate; fields left out keep their value."""
    for name in ("outage", "latency_ms", "fail_next"):
        if name in update:
            setattr(gw.faults, name, update[name])
    gw.save_faults()
    return faults_view(gw)
