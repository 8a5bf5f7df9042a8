"""Staff commands and staff buttons are refused to volunteers; staff and admins pass the guard."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import BotRuntime
from tests.conftest import ADMIN_ID
from tests.journey import User

ONLY = "센터 담당자만 쓸 수 있는 명령이에요."


async def test_a_volunteer_typing_a_staff_command_is_refused_and_nothing_else(
    user: Callable[..., User],
) -> None:
    minji = user(1001)
    await minji.send("/start")
    for command in ("/broadcast", "/stats", "/staff invite", "/remind", "/broadcast@yeongye_bot"):
        seen = await minji.send(command)
        assert seen.texts == [ONLY], command


async def test_a_forged_staff_button_gets_an_alert_and_changes_nothing(
    user: Callable[..., User],
) -> None:
    minji = user(1001)
    await minji.send("/start")
    seen = await minji.click_data(minji.last.message_id, "staff:bc:go:1")
    assert seen.toast is not None
    assert seen.toast["text"] == "센터 담당자만 쓸 수 있는 버튼이에요."
    assert seen.toast.get("show_alert") is True
    assert not seen.new and not seen.edited


async def test_admins_and_staff_pass_the_guard_and_forget_ends_staff_membership(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin = user(ADMIN_ID)
    seen = await admin.send("/stats")
    assert ONLY not in seen.text
    staff = bot.app.bot_data.backend.services.staff  # type: ignore[union-attr]
    helper = user(2002)
    await helper.send("/start")
    assert await staff.add(2002, added_by=ADMIN_ID)
    assert ONLY not in (await helper.send("/broadcast")).text
    assert [e.action for e in await staff.recent_actions()] == ["staff.add", "stats.view"]
    await helper.send("/forget")
    await helper.click("네, 모두 지워 주세요")
    assert not await staff.is_staff(2002)
    entry = (await staff.recent_actions())[0]
    assert entry.actor == ADMIN_ID and entry.detail == {"member": 2002}
