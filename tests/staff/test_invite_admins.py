"""Invites answer to the admins of now: a link made by an admin since removed from
ADMIN_TELEGRAM_IDS stops working, and admins list the open links and revoke them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from app import build_application
from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import ADMIN_ID, make_settings
from tests.journey import User
from tests.staff.helpers import ONLY, REFUSED, invite_link, services

FORMER = 9002  # an admin who is taken out of ADMIN_TELEGRAM_IDS
JOINED = "센터 담당자가 됐어요. 명령 메뉴에서 담당자 명령을 볼 수 있어요."


async def _start(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    admins: tuple[int, ...],
) -> BotRuntime:
    """The production-built bot over the same database file, with these admins configured."""
    settings = make_settings(sandbox, db_path, gateway, admin_telegram_ids=admins)
    runtime = BotRuntime(await build_application(settings, clock=clock), poll_timeout=0.5)
    await runtime.start()
    return runtime


async def test_an_invite_of_an_admin_removed_from_the_settings_stops_working(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> None:
    first = await _start(sandbox, gateway, db_path, clock, (ADMIN_ID, FORMER))
    try:
        _, theirs = await invite_link(User(sandbox, first, FORMER, first_name="전관리"))
        _, ours = await invite_link(User(sandbox, first, ADMIN_ID, first_name="관리"))
    finally:
        await first.stop()

    # The operator takes FORMER out of ADMIN_TELEGRAM_IDS and restarts the bot.
    second = await _start(sandbox, gateway, db_path, clock, (ADMIN_ID,))
    try:
        sujin = User(sandbox, second, 2002, first_name="수진")
        assert (await sujin.send(f"/start {theirs}")).texts == [REFUSED]
        assert not await services(second).staff.is_staff(2002)
        assert (await sujin.send("/broadcast")).texts == [ONLY]
        # Not listed among the links that work; the current admin's own link still works.
        admin = User(sandbox, second, ADMIN_ID, first_name="관리")
        listed = await admin.send("/staff invites")
        assert listed.text.count("• ") == 1 and "관리님이 만듦" in listed.text
        assert (await sujin.send(f"/start {ours}")).texts == [JOINED]
    finally:
        await second.stop()


async def test_admins_list_open_invites_and_revoke_one(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    admin = user(ADMIN_ID, first_name="관리")
    await admin.send("/start")
    assert (await admin.send("/staff invites")).texts == [
        "아직 쓸 수 있는 초대 링크가 없어요. 새로 만들려면 /staff invite"
    ]
    _, early = await invite_link(admin)
    clock.advance(timedelta(hours=2, minutes=5))
    _, late = await invite_link(admin)
    _, used = await invite_link(admin)
    await user(2003).send(f"/start {used}")  # used: no longer open

    listed = await admin.send("/staff invites")
    assert listed.texts == [
        "아직 쓸 수 있는 초대 링크\n"
        "• 내일 오후 6시까지 · 관리님이 만듦\n"
        "• 내일 오후 8시 5분까지 · 관리님이 만듦"
    ]
    screen = admin.last
    assert screen.buttons == [
        "내일 오후 6시까지인 초대 취소",
        "내일 오후 8시 5분까지인 초대 취소",
    ]

    # Staff who are not admins and volunteers cannot revoke, even with the button's data.
    sujin = user(2002, first_name="수진")
    await sujin.send(f"/start {late}")
    assert (await sujin.send("/staff invites")).texts == ["관리자만 할 수 있어요."]
    assert screen.reply_markup is not None
    revoke_early = screen.reply_markup[0][0]["callback_data"]
    refused = await sujin.click_data(sujin.last.message_id, revoke_early)
    assert refused.toast is not None and refused.toast["text"] == "관리자만 할 수 있어요."
    volunteer = user(1001)
    await volunteer.send("/start")
    refused = await volunteer.click_data(volunteer.last.message_id, revoke_early)
    assert refused.toast is not None
    assert refused.toast["text"] == "센터 담당자만 쓸 수 있는 버튼이에요."
    assert len(await services(bot).staff.open_invites()) == 1  # `late` was used by Sujin

    revoked = await admin.click("내일 오후 6시까지인 초대 취소", screen.message_id)
    assert revoked.edited and revoked.edited[0].text.startswith(
        "초대 링크를 취소했어요. 이제 그 링크로는 담당자가 될 수 없어요."
    )
    assert "아직 쓸 수 있는 초대 링크가 없어요" in revoked.edited[0].text
    assert (await user(2004).send(f"/start {early}")).texts == [REFUSED]
    assert not await services(bot).staff.is_staff(2004)
    # Pressed again (a stale copy of the screen): nothing left to revoke, said so.
    again = await admin.click_data(screen.message_id, revoke_early)
    assert again.toast is not None
    assert again.toast["text"] == "이미 쓰였거나 기한이 지났거나 취소된 초대예요."
    revokes = [e for e in await services(bot).staff.recent_actions() if e.action.endswith("revoke")]
    assert [(e.actor, e.action) for e in revokes] == [(ADMIN_ID, "staff.invite.revoke")]
    assert "초대 링크 취소함" in (await admin.send("/staff log")).text
