"""Invites: an admin's single-use, one-day deep link makes whoever opens it staff, once."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.journey import User
from tests.staff.helpers import ONLY, REFUSED, invite_link, services


@pytest.mark.sqlite_only  # reads the SQLite file's bytes for the token
async def test_the_invited_user_opens_the_link_becomes_staff_and_passes_the_guard(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, db_path: Path
) -> None:
    admin, sujin = user(ADMIN_ID, first_name="관리"), user(2002, first_name="수진")
    await sujin.send("/start")
    assert (await sujin.send("/broadcast")).texts == [ONLY]
    username, payload = await invite_link(admin)
    assert username == sandbox.world.profile.username
    seen = await sujin.send(f"/start {payload}")
    assert seen.texts == ["센터 담당자가 됐어요. 명령 메뉴에서 담당자 명령을 볼 수 있어요."]
    assert await services(bot).staff.is_staff(2002)
    for command in ("/broadcast", "/stats"):
        assert ONLY not in (await sujin.send(command)).text
    actions = [(e.actor, e.action) for e in await services(bot).staff.recent_actions()]
    # Newest first: /stats (audited as "stats.view") came after joining.
    assert [a for a in actions if a[1] != "stats.view"][:2] == [
        (2002, "staff.join"),
        (ADMIN_ID, "staff.invite"),
    ]
    # Only the token's SHA-256 is stored: the database file never holds the token itself.
    token = payload.removeprefix("staff-")
    backend = bot.app.bot_data.backend
    assert backend is not None
    row = await backend.db.fetch_one("SELECT token_hash, used_by FROM staff_invites")
    assert row is not None and row["used_by"] == 2002
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    await backend.db.checkpoint()
    assert token.encode() not in await asyncio.to_thread(db_path.read_bytes)


async def test_a_used_link_is_refused_politely_and_nothing_else(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin, sujin, stranger = user(ADMIN_ID), user(2002), user(3003)
    _, payload = await invite_link(admin)
    await sujin.send(f"/start {payload}")
    seen = await stranger.send(f"/start {payload}")
    assert seen.texts == [REFUSED]
    assert not await services(bot).staff.is_staff(3003)
    assert (await stranger.send("/broadcast")).texts == [ONLY]


async def test_an_expired_link_is_refused_and_stays_unused(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    admin, late = user(ADMIN_ID), user(2002)
    _, payload = await invite_link(admin)
    clock.advance(timedelta(hours=24, seconds=1))
    assert (await late.send(f"/start {payload}")).texts == [REFUSED]
    assert not await services(bot).staff.is_staff(2002)


async def test_a_link_opened_just_before_it_expires_works(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    admin, sujin = user(ADMIN_ID), user(2002)
    _, payload = await invite_link(admin)
    clock.advance(timedelta(hours=23, minutes=59))
    await sujin.send(f"/start {payload}")
    assert await services(bot).staff.is_staff(2002)


async def test_an_unknown_or_mangled_token_is_refused(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    guess = user(3003)
    for payload in ("staff-", "staff-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "staff-../../x"):
        assert (await guess.send(f"/start {payload}")).texts == [REFUSED], payload
    assert not await services(bot).staff.is_staff(3003)


async def test_staff_may_not_invite_and_an_admin_opening_a_link_leaves_it_unused(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin, sujin, minho = user(ADMIN_ID), user(2002), user(2003)
    _, payload = await invite_link(admin)
    assert (await admin.send(f"/start {payload}")).texts == ["이미 센터 담당자예요."]
    await sujin.send(f"/start {payload}")  # still unused, so it still works
    seen = await sujin.send("/staff invite")
    assert seen.texts == ["담당자 초대는 관리자만 할 수 있어요. 관리자에게 부탁해 주세요."]
    assert "staff-" not in seen.text
    assert (await sujin.send("/staff log")).texts == ["관리자만 할 수 있어요."]
    assert (await minho.send("/staff invite")).texts == [ONLY]
