"""Staff commands and staff buttons are refused to volunteers; staff and admins pass the guard."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.journey import User

ONLY = "센터 담당자만 쓸 수 있는 명령이에요."


async def test_a_volunteer_typing_a_staff_command_is_refused_and_nothing_else(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    ours = f"/broadcast@{bot.app.bot.username}"  # another bot's /broadcast is ignored instead
    for command in ("/broadcast", "/stats", "/staff invite", "/remind", ours):
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
    assert [e.action for e in await staff.recent_actions()] == ["staff.add"]  # views: no audit
    await helper.send("/forget")
    await helper.click("네, 모두 지워 주세요")
    assert not await staff.is_staff(2002)
    entry = (await staff.recent_actions())[0]
    # What the admin did stays; whom they added goes with that person's /forget.
    assert entry.actor == ADMIN_ID and entry.detail == {"member": None}


async def test_editing_a_message_into_a_command_runs_nothing(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    """Editing "hello" into "/staff" used to show the staff list to a volunteer: the guard read
    only new messages, and CommandHandlers take edits. Now no edit runs any command."""
    minji = user(1001)
    await minji.send("/start")
    sent = await sandbox.user_send(1001, "hello", first_name="민지")
    await bot.processor.wait_processed(sent.update_id)
    for command in ("/staff", "/staff log", "/stats", "/broadcast", "/remind", "/forget"):
        seen = await minji.edit(sent.message_id, command)
        assert not seen.new and not seen.edited, (command, seen.texts)
    # Staff too: an old "/stats" or "/broadcast cancel" edited again does not run again.
    admin = user(ADMIN_ID)
    await admin.send("/start")
    stats = await sandbox.user_send(ADMIN_ID, "/stats")
    await bot.processor.wait_processed(stats.update_id)
    charts = len(sandbox.photos(ADMIN_ID))
    for command in ("/stats", "/broadcast cancel", "/staff"):
        seen = await admin.edit(stats.message_id, command)
        assert not seen.new and not seen.edited, (command, seen.texts)
    assert len(sandbox.photos(ADMIN_ID)) == charts  # no /stats ran again (no second chart)
    # The privacy guard still reads edits: a resident number edited in is deleted.
    seen = await minji.edit(sent.message_id, "제 번호는 900101-1234567 이에요")
    assert seen.new and "주민등록번호" in seen.new[0].text
