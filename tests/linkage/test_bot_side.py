"""Issue 8 where the bot reads the contract: whole-string patterns, "other" states, and a
redirected revocation that must not be recorded as done."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.services.linking import (
    CODE,
    REVOKE_LINK,
    VMS_ID,
    BadCode,
    BadVmsId,
    LinkService,
    Unavailable,
)
from bot.services.members import MemberStatus
from core.clock import FakeClock
from handlers.link_views import consents
from linkage.client import GatewayClient
from linkage.models import Member
from store.db import Database
from store.due_work import DueWorkRepository
from store.links import LinkRepository
from store.rate_limits import RateLimits
from store.users import UserRepository
from tests.linkage.conftest import Serve


@pytest.fixture
async def db(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3", clock=clock)
    try:
        yield database
    finally:
        await database.close()


@pytest.mark.parametrize("text", ["kindly0904\n", "evil0001\n", "kindly0904\r\n"])
def test_a_trailing_newline_is_not_a_vms_id(text: str) -> None:
    assert VMS_ID.fullmatch(text) is None and VMS_ID.fullmatch(text.strip())
    assert CODE.fullmatch("123456\n") is None


async def test_the_service_refuses_what_is_not_whole(db: Database) -> None:
    async with GatewayClient("http://127.0.0.1:9", "k") as gateway:  # never reached
        service = LinkService(
            gateway, LinkRepository(db), DueWorkRepository(db), db.clock, RateLimits(db)
        )
        with pytest.raises(BadVmsId):
            await service.request_code(1, "kindly\n0904")
        with pytest.raises(BadCode):
            await service.confirm(1, "lrq_1", "123\n456")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_account_state_newer_than_the_bot_gets_the_generic_text(lang: str) -> None:
    member = Member.model_validate_json(
        '{"vms_id": "kindly0904", "id_1365_masked": null,'
        ' "consent_vms": {"agreed": true, "agreed_on": "2020-03-19"},'
        ' "consent_1365": {"agreed": true, "agreed_on": "2019-09-11"},'
        ' "account_1365": "suspended"}'
    )
    text = str(consents(lang, MemberStatus.from_gateway(member)))
    assert ("1365 계정 상태를 여기서는 알 수 없어요" if lang == "ko" else "can't be shown") in text
    assert "suspended" not in text


async def test_a_redirected_unlink_keeps_the_link_and_owes_nothing_done(
    serve: Serve, db: Database
) -> None:
    async def moved(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "/login"})

    await UserRepository(db).touch(1001, None)
    links = LinkRepository(db)
    await links.save(1001, "lnk_1", "kindly0904", None)
    async with GatewayClient(await serve(moved), "k", backoff=0.001) as gateway:
        work = DueWorkRepository(db)
        service = LinkService(gateway, links, work, db.clock, RateLimits(db))
        with pytest.raises(Unavailable):
            await service.unlink(1001)
        assert await links.get(1001) is not None  # nothing was revoked, so nothing forgotten
        assert await service.revoke_or_owe("lnk_1") is False
        assert [(i.kind, i.key) for i in await work.all()] == [(REVOKE_LINK, "lnk_1")]
