"""Guide mode's side of the linkage port: there is no gateway, and every call says so.

A subclass of GatewayClient so every service keeps its one type for the port; nothing here
opens a connection. Services that reach it by some path the guide-mode handlers do not close
(an owed revocation, a nudge scheduled before the operator removed the gateway) get the
GatewayError they already handle, never a network attempt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

from linkage.client import GatewayClient
from linkage.errors import GatewayUnavailable
from linkage.models import Health, Link, LinkRequest, Member, RecordPage, Transmission


class NotConnected(GatewayUnavailable):
    """This bot has no gateway (guide mode): nothing can be read from or sent to VMS."""


def _none() -> NoReturn:
    raise NotConnected("no linkage gateway is configured (guide mode)", code="not_connected")


class NoGateway(GatewayClient):
    """The port with nothing behind it."""

    def __init__(self) -> None:  # no super().__init__: no HTTP client, no key
        pass

    def __repr__(self) -> str:
        return "NoGateway()"

    async def aclose(self) -> None:
        return None

    async def health(self) -> Health:
        _none()

    async def request_link_code(self, vms_id: str) -> LinkRequest:
        _none()

    async def confirm_link(self, request_id: str, code: str) -> Link:
        _none()

    async def revoke_link(self, link_id: str) -> None:
        _none()

    async def member(self, link_id: str) -> Member:
        _none()

    async def records(
        self,
        link_id: str,
        *,
        status: Iterable[str] | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> RecordPage:
        _none()

    async def create_transmission(
        self, link_id: str, *, idempotency_key: str, record_ids: list[str] | None = None
    ) -> Transmission:
        _none()

    async def transmission(self, link_id: str, transmission_id: str) -> Transmission:
        _none()

    async def transmissions(self, link_id: str, *, limit: int = 20) -> list[Transmission]:
        _none()
