"""Issue 8: no member enumeration, one open request per member, the guessing budget, caps."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from sandbox.gateway.members import SMS_SHARE_PERMILLE, decoy_destination, mask_destination
from sandbox.gateway.outbox import Outbox
from tests.gateway.conftest import API_KEY, OPERATOR_KEY, make_client, request_code

# The shapes real members' masks have (members.mask_destination).
SMS_MASK = re.compile(r"01[016789]-\*{4}-[0-9]{2}\*{2}")
RECORD = {"activity_date": "2026-02-14", "host": "도서관", "activity": "책 정리", "minutes": 30}
MAIL_MASK = re.compile(r"[a-z0-9._%+-]{1,2}\*{4}@[a-z0-9]\*{3}\.[a-z]+")


async def confirm(client: httpx.AsyncClient, request_id: str, code: str) -> httpx.Response:
    return await client.post(f"/v1/link-requests/{request_id}/confirmation", json={"code": code})


def wrong_for(code: str | None) -> str:
    return "000000" if code != "000000" else "111111"


def test_decoys_come_from_a_keyed_hash_in_the_real_mix_and_shapes() -> None:
    key = b"a fixed secret for a deterministic test"
    ids = [f"qx{n:04d}zz" for n in range(2000)]
    decoys = [decoy_destination(key, vms_id) for vms_id in ids]
    assert decoys == [decoy_destination(key, vms_id) for vms_id in ids]  # stable
    assert decoys != [decoy_destination(b"another center's secret", v) for v in ids]  # keyed
    sms = [masked for channel, masked in decoys if channel == "sms"]
    mail = [masked for channel, masked in decoys if channel == "email"]
    # The finding: every e-mail decoy showed the ID's own first letters ("qx"). Now
    # they match only as often as two random letters do (1 in 676).
    assert sum(masked.startswith("qx") for masked in mail) <= len(mail) // 100
    assert all(SMS_MASK.fullmatch(m) for m in sms) and all(MAIL_MASK.fullmatch(m) for m in mail)
    # The same channel mix as real members (fixed key: the share is a fixed number here).
    assert abs(len(sms) / len(decoys) - SMS_SHARE_PERMILLE / 1000) < 0.04
    domains = {m.split("@")[1] for m in mail}
    assert len(domains) >= 5  # not a handful of telltale domains
    # Real members' masks have the very same shapes.
    assert SMS_MASK.fullmatch(mask_destination("sms", "010-3921-1204"))
    assert MAIL_MASK.fullmatch(mask_destination("email", "js.park@snu.ac.kr"))


async def test_unknown_ids_answer_stably_without_their_own_characters(
    gw_db: Path, clock: FakeClock
) -> None:
    ids = [f"zq{n:03d}.vms" for n in range(40)]
    answers: list[dict[str, str]] = []
    for _ in range(2):  # the second run is after a restart: the secret is kept in the file
        async with (
            GatewaySandbox(api_key=API_KEY, db_path=gw_db, clock=clock) as sandbox,
            make_client(sandbox.base_url) as client,
        ):
            seen = {}
            for vms_id in ids:
                body = await request_code(client, vms_id)
                seen[vms_id] = f"{body['channel']} {body['destination_masked']}"
                assert body["attempts_allowed"] == 5
            answers.append(seen)
            # Two random letters are "zq" once in 676 draws; before, every e-mail decoy was.
            assert sum("zq****@" in masked for masked in seen.values()) <= 3
            assert await sandbox.delivered_code(ids[0]) is None
        clock.advance(timedelta(hours=2))  # past the per-ID hourly cap
    assert answers[0] == answers[1]


async def test_codes_leave_off_the_response_path() -> None:
    delivered: list[str] = []
    outbox: Outbox[str] = Outbox(delivered.append)
    await outbox.start()
    outbox.post("123456")
    outbox.post(None)  # an unknown ID's turn: same path, nothing delivered
    assert delivered == []  # posting returned before anything was delivered
    await outbox.settled()
    assert delivered == ["123456"]
    outbox.post("654321")
    await outbox.stop()  # what was queued still goes out
    assert delivered == ["123456", "654321"]


async def test_the_operator_api_waits_for_queued_codes(
    client: httpx.AsyncClient, operator: httpx.AsyncClient
) -> None:
    await request_code(client, "kindly0904")
    seen = (await operator.get("/sandbox/deliveries", params={"vms_id": "kindly0904"})).json()
    assert len(seen["deliveries"]) == 1


async def test_a_new_request_voids_the_old_and_success_closes_all(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    first = await request_code(client, "kindly0904")
    first_code = await gateway.delivered_code("kindly0904")
    second = await request_code(client, "kindly0904")
    second_code = await gateway.delivered_code("kindly0904") or ""
    old = await confirm(client, first["request_id"], first_code or "")
    assert (old.status_code, old.json()["code"]) == (404, "request_not_found")
    assert (await confirm(client, second["request_id"], second_code)).status_code == 201
    closed = await confirm(client, first["request_id"], second_code)
    assert (closed.status_code, closed.json()["code"]) == (404, "request_not_found")
    # The request that linked answers its own code again with its link (a caller that lost
    # the answer), never anything else.
    assert (await confirm(client, second["request_id"], second_code)).status_code == 201
    other = wrong_for(second_code)
    closed = await confirm(client, second["request_id"], other)
    assert (closed.status_code, closed.json()["code"]) == (404, "request_not_found")


@pytest.mark.parametrize("vms_id", ["kindly0904", "nobody4242"])
async def test_ten_wrong_codes_a_day_per_member(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock, vms_id: str
) -> None:
    spent = 0
    for _ in range(2):
        request = await request_code(client, vms_id)
        wrong = wrong_for(await gateway.delivered_code(vms_id))
        for _ in range(request["attempts_allowed"]):
            response = await confirm(client, request["request_id"], wrong)
            assert response.json()["code"] == "code_invalid"
            spent += 1
        clock.advance(timedelta(hours=2))
    assert spent == 10
    refused = await client.post("/v1/link-requests", json={"vms_id": vms_id})
    assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    clock.advance(timedelta(hours=20, minutes=1))  # the first wrong code is 24 h old
    again = await request_code(client, vms_id)
    assert again["attempts_allowed"] == 5


async def test_a_budget_partly_spent_shortens_the_next_request(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    for _ in range(2):
        request = await request_code(client, "kindly0904")
        wrong = wrong_for(await gateway.delivered_code("kindly0904"))
        for _ in range(4):
            await confirm(client, request["request_id"], wrong)
    request = await request_code(client, "kindly0904")
    assert request["attempts_allowed"] == 2
    code = await gateway.delivered_code("kindly0904")
    response = await confirm(client, request["request_id"], wrong_for(code))
    assert response.json()["attempts_left"] == 1


async def test_the_center_has_an_hourly_delivery_cap(gw_db: Path, clock: FakeClock) -> None:
    async with (
        GatewaySandbox(api_key=API_KEY, db_path=gw_db, clock=clock, center_cap=3) as sandbox,
        make_client(sandbox.base_url) as client,
    ):
        for vms_id in ("kindly0904", "nobody4242", "sora2008"):
            await request_code(client, vms_id)
        refused = await client.post("/v1/link-requests", json={"vms_id": "hanbit2007"})
        assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")
        assert refused.headers["Retry-After"] == "3600"
        clock.advance(timedelta(hours=1))
        await request_code(client, "hanbit2007")


async def test_concurrent_sends_get_one_acceptance_and_429s_never_422(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    from tests.gateway.conftest import link, send

    link_id = await link(client, gateway, "kindly0904")
    answers = await asyncio.gather(*(send(client, link_id, key=f"k{n}") for n in range(19)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [202] + [429] * 18


async def test_accepted_sends_say_where_they_are_and_are_listed(
    client: httpx.AsyncClient, gateway: GatewaySandbox, clock: FakeClock
) -> None:
    from tests.gateway.conftest import link, send

    link_id = await link(client, gateway, "kindly0904")
    assert (await client.get(f"/v1/links/{link_id}/transmissions")).json() == {"items": []}
    gateway.add_records("kindly0904", [RECORD])
    first = await send(client, link_id, key="a")
    assert first.status_code == 202
    there = await client.get(first.headers["Location"])
    assert there.json()["transmission_id"] == first.json()["transmission_id"]
    clock.advance(timedelta(hours=1))
    gateway.add_records("kindly0904", [RECORD])
    second = await send(client, link_id, key="b")
    listed = (await client.get(f"/v1/links/{link_id}/transmissions")).json()["items"]
    ids = [t["transmission_id"] for t in listed]
    assert ids == [second.json()["transmission_id"], first.json()["transmission_id"]]
    one = (await client.get(f"/v1/links/{link_id}/transmissions", params={"limit": 1})).json()
    assert len(one["items"]) == 1
    gone = await client.get("/v1/links/lnk_nope/transmissions")
    assert (gone.status_code, gone.json()["code"]) == (404, "link_not_found")


async def test_the_operator_key_is_not_the_center_key(gw_db: Path) -> None:
    async with GatewaySandbox(api_key=API_KEY, db_path=gw_db, operator_key=OPERATOR_KEY) as gw:
        async with make_client(gw.base_url, key=API_KEY) as center:
            response = await center.get("/sandbox/deliveries")
        assert response.status_code == 401
