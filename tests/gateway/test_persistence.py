"""State lives in the sandbox's own SQLite file and survives a restart."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox, OffsetClock
from sandbox.gateway.db import MIGRATIONS
from tests.gateway.conftest import API_KEY, OPERATOR_KEY, link, make_client, records, send


async def test_a_restart_keeps_links_transmissions_deliveries_and_faults(
    gw_db: Path, clock: FakeClock
) -> None:
    first = GatewaySandbox(api_key=API_KEY, db_path=gw_db, clock=clock)
    async with first, make_client(first.base_url) as client:
        link_id = await link(client, first, "kindly0904")
        tid = (await send(client, link_id, key="once")).json()["transmission_id"]
        first.fail_next(2)
        first.set_latency(1)
        code = await first.delivered_code("kindly0904")
    await first.stop()  # a second stop is harmless

    clock.advance(timedelta(minutes=5))
    second = GatewaySandbox(api_key=API_KEY, db_path=gw_db, clock=clock, operator_key=OPERATOR_KEY)
    async with (
        second,
        make_client(second.base_url) as client,
        make_client(second.base_url, key=OPERATOR_KEY) as operator,
    ):
        assert second.last_code("kindly0904") == code
        assert (await operator.get("/sandbox/faults")).json() == {
            "outage": False,
            "latency_ms": 1,
            "fail_next": 2,
        }
        page = await records(client, link_id)
        assert page["counts"]["succeeded"] == 4
        replay = await send(client, link_id, key="once")
        assert (replay.status_code, replay.json()["transmission_id"]) == (200, tid)
        again = await send(client, link_id)
        assert again.status_code == 429  # the cooldown survived the restart
        clock.advance(timedelta(hours=1))
        assert (await send(client, link_id)).json()["code"] == "nothing_to_send"  # never re-sent


async def test_the_offset_clock_survives_a_restart(gw_db: Path) -> None:
    ahead = OffsetClock(timedelta(hours=1))  # a caller's own offset is kept on first start
    async with GatewaySandbox(api_key=API_KEY, db_path=gw_db, clock=ahead) as sandbox:
        sandbox.advance_clock(timedelta(days=2))
    clock = OffsetClock()
    async with GatewaySandbox(api_key=API_KEY, db_path=gw_db, clock=clock) as sandbox:
        assert clock.offset == timedelta(days=2, hours=1)
        sandbox.reset()
        assert clock.offset == timedelta(0)


async def test_the_file_is_wal_and_holds_no_api_key(gateway: GatewaySandbox, gw_db: Path) -> None:
    gateway.reset()
    conn = sqlite3.connect(gw_db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    finally:
        conn.close()
    stored = b"".join(p.read_bytes() for p in gw_db.parent.glob(gw_db.name + "*"))
    assert API_KEY.encode() not in stored


async def test_operator_methods_work_before_start(gw_db: Path, clock: FakeClock) -> None:
    sandbox = GatewaySandbox(api_key=API_KEY, db_path=gw_db, clock=clock)
    assert sandbox.member("kindly0904")["record_count"] == 4
    sandbox.set_outage(True)
    async with sandbox, make_client(sandbox.base_url) as client:
        response = await client.get("/v1/links/lnk_x/member")
        assert response.status_code == 503
