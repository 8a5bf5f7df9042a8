"""/status against a gateway that is not the sandbox: its own ids, page size, order and extras.

A tiny real HTTP server on loopback plays a gateway that follows the contract in its own
way: 7 records a page whatever the limit, oldest first, long ids with slashes, fields the
contract does not know, transmissions listed oldest first. The service must trust its
fields and order, and keep showing the cache when it breaks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.services.linking import LinkService
from bot.services.status import PAGE_SIZE, StatusService, ref_of
from core.clock import FakeClock
from linkage.client import GatewayClient
from store.db import Database
from store.due_work import DueWorkRepository
from store.links import LinkRepository
from store.migrations import migrate
from store.rate_limits import RateLimits
from store.status_cache import StatusCacheRepository
from store.users import UserRepository
from tests.linkage.conftest import Serve

TOTAL = 23
PER_PAGE = 7
SENT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _record(n: int) -> dict[str, Any]:
    failed = n % 5 == 0
    return {
        "record_id": f"urn:center-42/records/2025/{n:04d}#" + "x" * 60,
        "activity_date": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "host": f"수요처 {n}",
        "activity": f"활동 {n}",
        "minutes": 30 + n,
        "kind": "개인봉사",
        "status": "failed" if failed else "unsent",
        "sent_at": "2026-03-01T09:00:00+09:00" if failed else None,
        "reason": {"code": "portal_error", "message": "잠시 후", "hint": "extra"}
        if failed
        else None,
        "visible_on_1365_at": None,
        "color": "green",  # a field this bot does not know
    }


class OtherGateway:
    def __init__(self) -> None:
        self.records = [_record(n) for n in range(TOTAL)]  # oldest first: its own order
        self.broken = False

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.broken:
            return web.Response(status=200, text="<html>maintenance</html>")
        path = request.path
        if path.endswith("/member"):
            return web.json_response(
                {
                    "vms_id": "other.member",
                    "id_1365_masked": "oth****",
                    "consent_vms": {"agreed": True, "agreed_on": "2024-01-02"},
                    "consent_1365": {"agreed": True, "agreed_on": "2024-01-01"},
                    "account_1365": "active",
                    "tier": "gold",
                }
            )
        if path.endswith("/records"):
            start = int(request.query.get("cursor", "0").removeprefix("p") or 0)
            items = self.records[start : start + PER_PAGE]
            more = start + PER_PAGE < TOTAL
            failed = sum(r["status"] == "failed" for r in self.records)
            return web.json_response(
                {
                    "items": items,
                    "next_cursor": f"p{start + PER_PAGE}" if more else None,
                    "counts": {"unsent": TOTAL - failed, "pending": 0, "succeeded": 0,
                               "failed": failed},
                }
            )  # fmt: skip
        if path.endswith("/transmissions"):
            older = SENT - timedelta(hours=5)
            return web.json_response(
                {"items": [_transmission("t1", older), _transmission("t2", SENT)]}
            )
        return web.json_response({"code": "not_found"}, status=404)


def _transmission(tid: str, at: datetime) -> dict[str, Any]:
    return {
        "transmission_id": tid,
        "status": "completed",
        "created_at": at.isoformat(),
        "completed_at": at.isoformat(),
        "record_count": 1,
        "results": [],
    }


@pytest.fixture
async def db(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3", clock=clock)
    await migrate(database)
    yield database
    await database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(SENT + timedelta(minutes=20))


async def _service(db: Database, clock: FakeClock, url: str) -> tuple[StatusService, GatewayClient]:
    gateway = GatewayClient(url, "key", retries=0, clock=clock)
    links = LinkRepository(db)
    await UserRepository(db).touch(7, "ko")
    await links.save(7, "lnk/other 1", "other.member", "oth****")
    service = StatusService(
        gateway,
        LinkService(gateway, links, DueWorkRepository(db), clock, RateLimits(db)),
        StatusCacheRepository(db),
        clock,
    )
    return service, gateway


async def test_pages_ids_and_order_of_another_gateway(
    serve: Serve, db: Database, clock: FakeClock
) -> None:
    other = OtherGateway()
    service, gateway = await _service(db, clock, await serve(other.handle))
    try:
        view = await service.show(7)
        assert view.summary.unsent.count == 18 and view.summary.failed.count == 5
        assert view.summary.top_reason == "portal_error"
        # The newest transmission by its own time, though the list gave it last.
        assert view.next_send_at() == SENT + timedelta(hours=1)
        second = await service.page(7, "all", 1)
        assert [line.host for line in second.lines] == [
            f"수요처 {n}" for n in range(PAGE_SIZE, 2 * PAGE_SIZE)
        ]  # the gateway's own order, across its 7-record pages
        assert second.pages == 3 and second.total == TOTAL
        failed = await service.page(7, "failed", 0)
        assert [line.host for line in failed.lines] == [f"수요처 {n}" for n in range(0, 23, 5)]
        long_id = other.records[3]["record_id"]
        assert (await service.record(7, ref_of(long_id))).host == "수요처 3"
        with pytest.raises(LookupError):
            await service.page(7, "all", 3)
    finally:
        await gateway.aclose()


async def test_a_broken_gateway_leaves_the_cache_with_its_time(
    serve: Serve, db: Database, clock: FakeClock
) -> None:
    other = OtherGateway()
    service, gateway = await _service(db, clock, await serve(other.handle))
    try:
        first = await service.show(7)
        other.broken = True
        clock.advance(timedelta(minutes=5))
        again = await service.show(7)
        assert again.stale and again.fetched_at == first.fetched_at
        assert again.summary == first.summary
    finally:
        await gateway.aclose()
