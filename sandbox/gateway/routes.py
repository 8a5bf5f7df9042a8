"""One handler per documented operation: validated request in, JSON out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web

from . import controls
from .core import Gateway
from .demo import DEMO_MEMBERS
from .problems import Problem, json_response
from .spec import Parsed, document

Handler = Callable[[Gateway, Parsed], web.Response | Awaitable[web.Response]]


@dataclass(frozen=True)
class Route:
    """A handler, and what an id that cannot exist answers (None: the handler decides)."""

    run: Handler
    bad_id: tuple[int, str] | None = None

    def bad_path(self) -> Problem | None:
        """The problem for an impossible id, or None to let the handler decide."""
        return None if self.bad_id is None else Problem(*self.bad_id, "no such id")


def _health(gw: Gateway, p: Parsed) -> web.Response:
    version = f"{document()['info']['version']}-sandbox"
    return json_response({"status": "ok", "simulated": True, "version": version})


def _request_code(gw: Gateway, p: Parsed) -> web.Response:
    return json_response(gw.request_code(p.body["vms_id"]), 202)


def _confirm(gw: Gateway, p: Parsed) -> web.Response:
    return json_response(gw.confirm(p.path["request_id"], p.body["code"]), 201)


def _revoke(gw: Gateway, p: Parsed) -> web.Response:
    gw.revoke(p.path["link_id"])
    return web.Response(status=204)


def _member(gw: Gateway, p: Parsed) -> web.Response:
    return json_response(gw.member(p.path["link_id"]))


def _records(gw: Gateway, p: Parsed) -> web.Response:
    wanted = p.query.get("status")
    statuses = None if wanted is None else set(wanted.split(","))
    limit = p.query.get("limit", 50)
    return json_response(gw.records(p.path["link_id"], statuses, limit, p.query.get("cursor")))


def _transmit(gw: Gateway, p: Parsed) -> web.Response:
    link_id = p.path["link_id"]
    status, body = gw.transmit(link_id, p.headers["Idempotency-Key"], p.body)
    where = f"/v1/links/{quote(link_id, safe='')}/transmissions/{body['transmission_id']}"
    return json_response(body, status, headers={"Location": where})


def _transmissions(gw: Gateway, p: Parsed) -> web.Response:
    return json_response(gw.recent_transmissions(p.path["link_id"], p.query.get("limit", 20)))


def _transmission(gw: Gateway, p: Parsed) -> web.Response:
    return json_response(gw.transmission(p.path["link_id"], p.path["transmission_id"]))


def _reset(gw: Gateway, p: Parsed) -> web.Response:
    gw.reset()
    return json_response({"demo_members": list(DEMO_MEMBERS)})


def _put_member(gw: Gateway, p: Parsed) -> web.Response:
    created, view = controls.put_member(gw, p.path["vms_id"], p.body)
    return json_response(view, 201 if created else 200)


def _add_records(gw: Gateway, p: Parsed) -> web.Response:
    ids = controls.add_records(gw, p.path["vms_id"], p.body["records"])
    return json_response({"record_ids": ids}, 201)


def _advance(gw: Gateway, p: Parsed) -> web.Response:
    return json_response(controls.advance_clock(gw, p.body["seconds"]))


async def _deliveries(gw: Gateway, p: Parsed) -> web.Response:
    # Codes leave off the response path; the operator sees every one queued before asking.
    await gw.outbox.settled()
    return json_response(controls.deliveries_view(gw, p.query.get("vms_id")))


LINK = (404, "link_not_found")
MEMBER = (404, "member_not_found")

ROUTES: dict[str, Route] = {
    "health": Route(_health),
    "requestLinkCode": Route(_request_code),
    "confirmLinkCode": Route(_confirm, (404, "request_not_found")),
    # Any well-formed id, even an unknown one, is "already revoked"; an impossible one is 400.
    "revokeLink": Route(_revoke, (400, "validation_failed")),
    "getMember": Route(_member, LINK),
    "listRecords": Route(_records, LINK),
    "createTransmission": Route(_transmit, LINK),
    "listTransmissions": Route(_transmissions, LINK),
    "getTransmission": Route(_transmission),  # lookups tell a bad link from a bad transmission
    "sandboxReset": Route(_reset),
    "sandboxListMembers": Route(lambda gw, p: json_response(controls.list_members(gw))),
    "sandboxGetMember": Route(
        lambda gw, p: json_response(controls.get_member(gw, p.path["vms_id"])), MEMBER
    ),
    "sandboxPutMember": Route(_put_member, (400, "validation_failed")),
    "sandboxSetConsents": Route(
        lambda gw, p: json_response(controls.set_consents(gw, p.path["vms_id"], p.body)), MEMBER
    ),
    "sandboxAddRecords": Route(_add_records, MEMBER),
    "sandboxGetClock": Route(lambda gw, p: json_response(controls.clock_view(gw))),
    "sandboxAdvanceClock": Route(_advance),
    "sandboxListDeliveries": Route(_deliveries),
    "sandboxGetFaults": Route(lambda gw, p: json_response(controls.faults_view(gw))),
    "sandboxSetFaults": Route(lambda gw, p: json_response(controls.set_faults(gw, p.body))),
}
