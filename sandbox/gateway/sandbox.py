"""GatewaySandbox: the linkage gateway contract on loopback HTTP, with operator controls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from core.clock import Clock, OffsetClock

from ..loopback import serve_on_loopback
from . import controls, spec
from .app import build_app
from .core import Delivery, Gateway
from .demo import DEMO_MEMBERS
from .hooks import Hold, Hooks, Rewrite
from .linking import CENTER_DELIVERIES_PER_HOUR
from .problems import Problem


class _Keep:
    """Marks a consent left as it is."""


KEEP = _Keep()


def _plain(value: Any) -> Any:
    """Dates as the contract writes them, so Python callers go through the same schemas."""
    if isinstance(value, date | datetime):
        return value.isoformat()[:10]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _checked(schema: str, data: Any) -> Any:
    """`data` if it matches components/schemas/<schema>, else ValueError saying why."""
    plain = _plain(data)
    try:
        spec.check(schema, spec.validator(f"/components/schemas/{schema}", "operator"), plain)
    except Problem as problem:
        raise ValueError(problem.detail) from None
    return plain


class GatewaySandbox:
    """The gateway of linkage/openapi.yaml with simulated members, for tests and demos."""

    DEMO_MEMBERS = DEMO_MEMBERS

    def __init__(
        self,
        *,
        api_key: str,
        db_path: str | Path,
        clock: Clock | None = None,
        result_delay: timedelta = timedelta(seconds=60),
        code_ttl: timedelta = timedelta(minutes=10),
        operator_key: str | None = None,
        center_cap: int = CENTER_DELIVERIES_PER_HOUR,
    ) -> None:
        if not api_key:
            raise ValueError("the sandbox needs a non-empty API key")
        if operator_key is not None and (not operator_key or operator_key == api_key):
            raise ValueError("the operator key must be non-empty and not the center's key")
        self._api_key = api_key
        # None: the HTTP operator API (/sandbox/...) refuses everyone; Python methods still work.
        self._operator_key = operator_key
        self._center_cap = center_cap
        self._db_path = Path(db_path)
        self.clock: Clock = clock if clock is not None else OffsetClock()
        self._result_delay, self._code_ttl = result_delay, code_ttl
        self._gateway: Gateway | None = None
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None
        # Loaded from the file when it opens, kept (same list) across stop, restart and reset.
        self.deliveries: list[Delivery] = []
        self._hooks = Hooks()  # Python-only test hooks, kept across restarts

    def __repr__(self) -> str:  # never show the key
        return f"GatewaySandbox(db_path={str(self._db_path)!r}, base_url={self._base_url!r})"

    @property
    def gateway(self) -> Gateway:
        """The state, opened on first use so operator methods work before start()."""
        if self._gateway is None:
            self._gateway = Gateway(
                self._db_path,
                self.clock,
                self._result_delay,
                self._code_ttl,
                self.deliveries,
                self._center_cap,
            )
        return self._gateway

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """ "http://127.0.0.1:PORT", no trailing slash."""
        if self._base_url is None:
            raise RuntimeError("the gateway sandbox is not started")
        return self._base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on loopback (port 0 picks a free one); base_url says where."""
        if self._runner is not None:
            raise RuntimeError("the gateway sandbox is already started")
        app = build_app(self.gateway, self._api_key, self._operator_key, self._hooks)
        self._runner, self._base_url = await serve_on_loopback(app, host, port)
        await self.gateway.outbox.start()

    async def stop(self) -> None:
        """Close the server and the database; safe to call twice."""
        runner, self._runner, self._base_url = self._runner, None, None
        if runner is not None:
            await runner.cleanup()
        gateway, self._gateway = self._gateway, None
        if gateway is not None:
            await gateway.outbox.stop()  # codes already promised still go out
            gateway.close()

    async def __aenter__(self) -> GatewaySandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- operator methods (the same as /sandbox/...) -------------------------------------------

    def last_code(self, vms_id: str) -> str | None:
        """The newest code delivered so far to this member, None if none was.

        Codes leave off the response path: right after a link request, prefer
        ``await delivered_code(vms_id)``, which first waits for queued deliveries.
        """
        wanted = vms_id.lower()
        found = [d.code for d in self.deliveries if d.vms_id == wanted]
        return found[-1] if found else None

    async def settle_deliveries(self) -> None:
        """Wait until every code queued so far has been delivered."""
        if self._gateway is not None:
            await self._gateway.outbox.settled()

    async def delivered_code(self, vms_id: str) -> str | None:
        """The newest code delivered to this member once queued ones are out (None: none)."""
        await self.settle_deliveries()
        return self.last_code(vms_id)

    def now(self) -> datetime:
        """The sandbox's current time."""
        return self.gateway.now()

    def reset(self) -> None:
        """Back to the demo members, with no links, deliveries, faults or clock offset."""
        self.gateway.reset()

    def member(self, vms_id: str) -> dict[str, Any]:
        """The operator view (SandboxMember); KeyError if there is no such member."""
        try:
            return controls.get_member(self.gateway, vms_id)
        except Problem:
            raise KeyError(vms_id) from None

    def put_member(self, vms_id: str, **fields: Any) -> dict[str, Any]:
        """Create or update a member; fields as in SandboxMemberUpdate (dates may be `date`)."""
        if not spec.validator("/components/parameters/VmsId/schema", "operator").is_valid(vms_id):
            raise ValueError(f"not a VMS ID: {vms_id!r}")
        return controls.put_member(self.gateway, vms_id, _checked("SandboxMemberUpdate", fields))[1]

    def set_consents(
        self,
        vms_id: str,
        *,
        vms: date | _Keep | None = KEEP,
        portal: date | _Keep | None = KEEP,
    ) -> dict[str, Any]:
        """Give (a date) or withdraw (None) either consent; one left out stays as it is."""
        given = {k: v for k, v in (("vms", vms), ("portal", portal)) if not isinstance(v, _Keep)}
        self.member(vms_id)  # KeyError for an unknown member
        return controls.set_consents(self.gateway, vms_id, _checked("SandboxConsents", given))

    def add_records(self, vms_id: str, specs: Iterable[Mapping[str, Any]]) -> list[str]:
        """Add unsent records (SandboxRecordCreate fields); their new ids, in order."""
        body = _checked("SandboxRecordsCreate", {"records": [dict(s) for s in specs]})
        self.member(vms_id)  # KeyError for an unknown member
        return controls.add_records(self.gateway, vms_id, body["records"])

    def advance_clock(self, delta: timedelta) -> None:
        """Move an OffsetClock forward (RuntimeError for an injected clock: advance that one)."""
        try:
            self.gateway.advance_clock(delta)
        except Problem as problem:
            raise RuntimeError(problem.detail) from None

    def set_outage(self, down: bool) -> None:
        """While down, every /v1 call but health answers 503 unavailable."""
        controls.set_faults(self.gateway, {"outage": down})

    def set_latency(self, ms: int) -> None:
        """Delay every /v1 call by `ms` milliseconds."""
        controls.set_faults(self.gateway, _checked("SandboxFaultsUpdate", {"latency_ms": ms}))

    def fail_next(self, n: int) -> None:
        """The records of the next n accepted transmissions fail with portal_error."""
        controls.set_faults(self.gateway, _checked("SandboxFaultsUpdate", {"fail_next": n}))

    # --- Python-only test hooks (no HTTP operator call reaches them) -------------------------

    def hold_next(self, operation_id: str) -> Hold:
        """The next answer to this operation (an operationId of linkage/openapi.yaml) waits
        until the returned Hold's `release` is set; `reached` tells when it is waiting."""
        hold = Hold()
        self._hooks.holds[operation_id] = hold
        return hold

    def rewrite(self, operation_id: str, change: Rewrite | None) -> None:
        """Every 2xx JSON answer to this operation goes out as `change(body)`; None stops it."""
        if change is None:
            self._hooks.rewrites.pop(operation_id, None)
        else:
            self._hooks.rewrites[operation_id] = change
