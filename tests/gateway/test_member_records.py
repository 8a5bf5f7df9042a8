"""The member view, and the records table (봉사일, 수요처, 활동내역, 봉사시간, 구분, 결과)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from sandbox.gateway import DEMO_MEMBERS, GatewaySandbox
from tests.gateway.conftest import link, records


async def member(client: httpx.AsyncClient, gateway: GatewaySandbox, vms_id: str) -> dict[str, Any]:
    response = await client.get(f"/v1/links/{await link(client, gateway, vms_id)}/member")
    assert response.status_code == 200
    return dict(response.json())


def consent(on: str | None) -> dict[str, object]:
    return {"agreed": on is not None, "agreed_on": on}


async def test_the_seeds_example_member(client: httpx.AsyncClient, gateway: GatewaySandbox) -> None:
    assert await member(client, gateway, "kindly0904") == {
        "vms_id": "kindly0904",
        "id_1365_masked": "kindly****",
        "consent_vms": consent("2020-03-19"),
        "consent_1365": consent("2019-09-11"),
        "account_1365": "active",
    }


@pytest.mark.parametrize(
    ("vms_id", "vms", "portal", "account", "masked"),
    [
        ("sora2008", None, None, "active", "sora_****"),
        ("minjun.vms", "2025-04-02", None, "active", "minjun****"),
        ("jiwoo0521", "2021-05-21", "2021-05-20", "not_found", None),
        ("seoyeon88", "2018-04-09", "2016-08-20", "active", "seoyeo****"),
    ],
)
async def test_each_demo_situation_shows_in_the_member_view(
    client: httpx.AsyncClient,
    gateway: GatewaySandbox,
    vms_id: str,
    vms: str | None,
    portal: str | None,
    account: str,
    masked: str | None,
) -> None:
    view = await member(client, gateway, vms_id)
    assert (view["consent_vms"], view["consent_1365"]) == (consent(vms), consent(portal))
    assert (view["account_1365"], view["id_1365_masked"]) == (account, masked)


async def test_every_demo_member_can_link(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    assert len(DEMO_MEMBERS) == 7
    for vms_id in DEMO_MEMBERS:
        assert (await member(client, gateway, vms_id))["vms_id"] == vms_id


async def test_record_fields(client: httpx.AsyncClient, gateway: GatewaySandbox) -> None:
    page = await records(client, await link(client, gateway, "kindly0904"))
    assert page["counts"] == {"unsent": 4, "pending": 0, "succeeded": 0, "failed": 0}
    assert page["next_cursor"] is None
    first = page["items"][0]
    assert first["status"] == "unsent"
    assert first["sent_at"] is first["reason"] is first["visible_on_1365_at"] is None
    assert first["kind"] in ("개인봉사", "단체봉사")
    dates = [item["activity_date"] for item in page["items"]]
    assert dates == sorted(dates, reverse=True)


async def test_paging_through_the_heavy_volunteer(
    client: httpx.AsyncClient, gateway: GatewaySandbox
) -> None:
    link_id = await link(client, gateway, "hanbit2007")
    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        page = await records(client, link_id, limit=37, **({"cursor": cursor} if cursor else {}))
        pages += 1
        assert sum(page["counts"].values()) == 220  # counts cover all records on every page
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 6
    assert len(seen) == len({r["record_id"] for r in seen}) == 220
    keys = [r["activity_date"] for r in seen]
    assert keys == sorted(keys, reverse=True)
    years = {date.fromisoformat(k).year - (date.fromisoformat(k).month < 3) for k in keys}
    assert years == {2024, 2025}  # two school years (1 March - end of February)
    assert any(r["minutes"] == 30 for r in seen)
    statuses = {r["status"] for r in seen}
    assert statuses == {"unsent", "succeeded", "failed"}


async def test_status_filter_and_counts(client: httpx.AsyncClient, gateway: GatewaySandbox) -> None:
    link_id = await link(client, gateway, "hanbit2007")
    everything = await records(client, link_id, limit=100)
    failed = await records(client, link_id, status="failed")
    assert len(failed["items"]) == everything["counts"]["failed"] > 0
    assert failed["counts"] == everything["counts"]
    for item in failed["items"]:
        assert item["reason"]["code"] == "portal_error"
        assert "일시적인 오류" in item["reason"]["message"]
        assert item["sent_at"] is not None and item["visible_on_1365_at"] is None
    done = await records(client, link_id, status="succeeded", limit=1)
    [success] = done["items"]
    assert success["reason"] is None and success["visible_on_1365_at"] is not None
    mixed = await records(client, link_id, status="unsent,failed", limit=100)
    rest = await records(client, link_id, status="unsent,failed", cursor=mixed["next_cursor"])
    both = mixed["items"] + rest["items"]
    assert {i["status"] for i in both} == {"unsent", "failed"}
    assert len(both) == everything["counts"]["unsent"] + everything["counts"]["failed"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"status": "sent"},
        {"status": "unsent,"},
        {"cursor": "bm9wZQ=="},
        {"cursor": "!!!"},
        {"cursor": "x" * 201},
    ],
)
async def test_bad_queries_are_400(
    client: httpx.AsyncClient, gateway: GatewaySandbox, params: dict[str, str | int]
) -> None:
    link_id = await link(client, gateway, "kindly0904")
    response = await client.get(f"/v1/links/{link_id}/records", params=params)
    assert (response.status_code, response.json()["code"]) == (400, "validation_failed")
    assert len(response.json()["detail"]) <= 300


async def test_texts_come_back_exactly(client: httpx.AsyncClient, gateway: GatewaySandbox) -> None:
    page = await records(client, await link(client, gateway, "yuna.kim"))
    texts = [i["host"] + i["activity"] for i in page["items"]]
    joined = "".join(texts)
    for piece in ("<", "&", '"', "'", "🍱", "\n", "&amp;", "<b>굵게</b>"):
        assert piece in joined
    assert max(len(i["activity"]) for i in page["items"]) > 300
