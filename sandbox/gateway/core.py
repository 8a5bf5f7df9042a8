"""Gateway: the sandbox's state (SQLite, clock, deliveries, faults) and the /v1 use cases."""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from core.clock import Clock, OffsetClock

from . import demo, linking, records, transmissions
from .db import Database, stamp, unstamp, wire
from .members import contract_view
from .outbox import Outbox
from .problems import Problem, rate_limited

log = logging.getLogger("sandbox.gateway")


@dataclass(frozen=True)
class Delivery:
    """A link code the sandbox "sent" to a member's phone or mailbox."""

    vms_id: str
    code: str
    channel: str
    destination_masked: str
    at: datetime

    def view(self) -> dict[str, Any]:
        """The operator's SandboxDelivery."""
        return {**asdict(self), "at": wire(self.at)}


@dataclass
class Faults:
    """Failures the operator injected."""

    outage: bool = False
    latency_ms: int = 0
    fail_next: int = 0


class Gateway:
    """Everything the HTTP layer and the Python operator methods act on."""

    def __init__(
        self,
        db_path: Path,
        clock: Clock,
        result_delay: timedelta,
        code_ttl: timedelta,
        deliveries: list[Delivery] | None = None,
        center_cap: int = linking.CENTER_DELIVERIES_PER_HOUR,
    ) -> None:
        self.db = Database(db_path)
        self.clock = clock
        self.result_delay = result_delay
        self.code_ttl = code_ttl
        self.center_cap = center_cap
        self.outbox: Outbox[Delivery] = Outbox(self._deliver)
        # Filled in place, so a caller's reference stays live across restarts and resets.
        self.deliveries: list[Delivery] = [] if deliveries is None else deliveries
        self.faults = Faults()
        if self.db.get_meta("salt") is None:
            self._seed()
        self._load()

    def _load(self) -> None:
        """Bring back what a restart must not lose: deliveries, faults, the clock offset."""
        rows = self.db.conn.execute("SELECT * FROM deliveries ORDER BY seq").fetchall()
        self.deliveries[:] = [
            Delivery(
                r["vms_id"], r["code"], r["channel"], r["destination_masked"], unstamp(r["at"])
            )
            for r in rows
        ]
        self.faults = Faults(**json.loads(self.db.get_meta("faults") or "{}"))
        offset = self.db.get_meta("clock_offset")
        if offset is not None and isinstance(self.clock, OffsetClock):
            self.clock.offset = timedelta(seconds=float(offset))

    def now(self) -> datetime:
        """The sandbox's time (the injected clock)."""
        return self.clock.now()

    def reset(self) -> None:
        """Back to the demo members, no links, no deliveries, no faults, no clock offset."""
        if isinstance(self.clock, OffsetClock):
            self.clock.offset = timedelta(0)
        self._seed()
        self.deliveries.clear()  # in place: callers may hold the list
        self.faults = Faults()

    def _seed(self) -> None:
        """Wipe the file and seed the demo as of the clock's now (keeping any clock offset)."""
        with self.db.transaction():
            self.db.wipe()
            self.db.set_meta("salt", secrets.token_hex(16))
            if isinstance(self.clock, OffsetClock):
                self.db.set_meta("clock_offset", repr(self.clock.offset.total_seconds()))
            demo.seed(self.db.conn, self.now())

    def save_faults(self) -> None:
        """Persist the faults, so a restart keeps them."""
        self.db.set_meta("faults", json.dumps(asdict(self.faults)))

    def advance_clock(self, delta: timedelta) -> None:
        """Move an OffsetClock forward and remember it; 409 for any other clock."""
        if not isinstance(self.clock, OffsetClock):
            raise Problem(409, "clock_not_adjustable", "this sandbox runs on an injected clock")
        self.clock.advance(delta)
        self.db.set_meta("clock_offset", repr(self.clock.offset.total_seconds()))

    # --- linking ---------------------------------------------------------------------------

    def request_code(self, vms_id: str) -> dict[str, Any]:
        """Open a link request and queue its code; the answer never waits for the delivery."""
        now = self.now()
        with self.db.transaction() as conn:
            decoy_key = (self.db.get_meta("salt") or "").encode()
            sent = linking.create_request(
                conn, vms_id, now, self.code_ttl, decoy_key, self.center_cap
            )
        delivery = None
        if sent.member is not None and sent.code is not None:
            view = sent.view
            delivery = Delivery(
                sent.member.vms_id, sent.code, view["channel"], view["destination_masked"], now
            )
        self.outbox.post(delivery)  # None for an unknown ID: the same path, nothing sent
        return sent.view

    def _deliver(self, delivery: Delivery) -> None:
        """Stand-in for the SMS or mail provider: store the code and log one line."""
        self.db.conn.execute(
            "INSERT INTO deliveries (vms_id, code, channel, destination_masked, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (delivery.vms_id, delivery.code, delivery.channel, delivery.destination_masked,
             stamp(delivery.at)),
        )  # fmt: skip
        self.deliveries.append(delivery)
        # The operator's terminal stands in for the member's phone: one line per code.
        log.info(
            "link code for %s: %s (%s %s)",
            delivery.vms_id,
            delivery.code,
            delivery.channel,
            delivery.destination_masked,
        )

    def confirm(self, request_id: str, code: str) -> dict[str, Any]:
        """Confirm a code, committing a spent attempt before refusing a wrong one."""
        with self.db.transaction() as conn:
            result = linking.confirm(conn, request_id, code, self.now())
        if isinstance(result, Problem):
            raise result
        return result

    def revoke(self, link_id: str) -> None:
        """Revoke a link; unknown and revoked links are fine."""
        with self.db.transaction() as conn:
            linking.revoke(conn, link_id, self.now())

    # --- member, records, transmissions ------------------------------------------------------

    def member(self, link_id: str) -> dict[str, Any]:
        """The linked member's contract view."""
        return contract_view(linking.linked_member(self.db.conn, link_id))

    def records(
        self, link_id: str, statuses: set[str] | None, limit: int, cursor: str | None
    ) -> dict[str, Any]:
        """One page of the linked member's records."""
        member = linking.linked_member(self.db.conn, link_id)
        states = records.member_records(self.db.conn, member.vms_id, self.now())
        return records.page(states, statuses, limit, cursor)

    def transmit(self, link_id: str, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Accept a bulk send (202), replay one (200), or refuse with a problem."""
        now = self.now()
        fingerprint = transmissions.request_hash(body)
        with self.db.transaction() as conn:
            member = linking.linked_member(conn, link_id)
            replayed = transmissions.find_replay(conn, member.vms_id, key, fingerprint)
            if replayed is not None:
                return 200, transmissions.view(conn, replayed, now)
            if member.consent_vms is None:
                raise Problem(409, "consent_vms_missing", "the member has not consented on VMS")
            # The contract's order: 409 consent, then 429 cooldown, then 422 nothing to send.
            # Concurrent sends thus see 429 after the first is accepted, never "nothing".
            left = transmissions.cooldown_left(conn, member.vms_id, now)
            if left is not None:
                raise rate_limited(left, "one transmission per member per hour")
            chosen = transmissions.choose(records.member_records(conn, member.vms_id, now), body)
            portal_error = self.faults.fail_next > 0
            if portal_error:
                spent = Faults(**{**asdict(self.faults), "fail_next": self.faults.fail_next - 1})
                self.db.set_meta("faults", json.dumps(asdict(spent)))
            outcomes = [
                (r.record_id, transmissions.outcome(member, r, portal_error)) for r in chosen
            ]
            tid = transmissions.store(
                conn, member.vms_id, outcomes, now, now + self.result_delay, (key, fingerprint)
            )
            accepted = transmissions.view(conn, tid, now)
        if portal_error:  # only once the transaction holding it has committed
            self.faults.fail_next -= 1
        return 202, accepted

    def transmission(self, link_id: str, transmission_id: str) -> dict[str, Any]:
        """A transmission of the linked member, 404 not_found for anyone else's."""
        member = linking.linked_member(self.db.conn, link_id)
        if not transmissions.belongs_to(self.db.conn, transmission_id, member.vms_id):
            raise Problem(404, "not_found", "no such transmission for this link")
        return transmissions.view(self.db.conn, transmission_id, self.now())

    def recent_transmissions(self, link_id: str, limit: int) -> dict[str, Any]:
        """The linked member's newest transmissions, newest first."""
        member = linking.linked_member(self.db.conn, link_id)
        ids = transmissions.recent(self.db.conn, member.vms_id, limit)
        now = self.now()
        return {"items": [transmissions.view(self.db.conn, tid, now) for tid in ids]}

    def close(self) -> None:
        """Close the database file."""
        self.db.close()
