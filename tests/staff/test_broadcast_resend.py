"""Deliveries left 'unknown' by a crash: the final report offers to resend to exactly those
people, asks first, resends once however often it is pressed, and only for staff."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.journey import User
from tests.staff.broadcast_helpers import (
    backend_of,
    copies,
    launch,
    run_to_end,
    volunteers,
)
from tests.staff.helpers import services

NEEDLE = "센터 안내"
BUTTON = "확인 안 된 3명에게 다시 보내기"
GO = "네, 2명에게 다시 보낼게요"


async def _crashed_broadcast(bot: BotRuntime, admin: User, in_flight: list[int]) -> int:
    """A broadcast whose run died with `in_flight` mid-call: the rows as a kill -9 leaves
    them ('sending'), then the next run settles them as unknown and sends the rest."""
    launched = await launch(bot, by=ADMIN_ID, progress_chat_id=ADMIN_ID)
    marks = ", ".join("?" for _ in in_flight)
    await backend_of(bot).db.write(
        f"UPDATE deliveries SET state = 'sending', attempts = 1"
        f" WHERE broadcast_id = ? AND telegram_id IN ({marks})",
        (launched.broadcast_id, *in_flight),
    )
    await run_to_end(bot, launched.broadcast_id)
    return launched.broadcast_id


async def _broadcast_count(bot: BotRuntime) -> int:
    row = await backend_of(bot).db.fetch_one("SELECT COUNT(*) AS n FROM broadcasts")
    assert row is not None
    return int(row["n"])


async def test_staff_resend_to_exactly_the_unknown_once_after_asking(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    admin = user(ADMIN_ID, first_name="관리")
    await admin.send("/start")
    people = await volunteers(user, range(1001, 1007))
    first = await _crashed_broadcast(bot, admin, [1002, 1003, 1004])

    report = admin.last
    assert "받았는지 알 수 없는 사람이 3명" in report.text
    assert "같은 공지를 두 번 받게 돼요" in report.text
    assert report.buttons == [BUTTON]
    # Nobody was sent a second copy by the run itself.
    assert [copies(sandbox, p.chat_id, NEEDLE) for p in people] == [1, 0, 0, 0, 1, 1]

    # Since the report: one of them deleted everything, so the resend leaves them out.
    leaver = people[3]
    await leaver.send("/forget")
    await leaver.click("네, 모두 지워 주세요")

    asked = await admin.click(BUTTON)
    assert len(asked.new) == 1
    confirm = asked.new[0]
    assert "확인 안 된 2명에게 같은 공지를 다시 보낼까요?" in confirm.text
    assert "두 번 받게 돼요" in confirm.text
    assert confirm.buttons == [GO, "보내지 않을게요"]
    assert await _broadcast_count(bot) == 1  # asking creates nothing

    went = await admin.click(GO, confirm.message_id)
    assert "확인 안 된 2명에게 다시 보내기 시작했어요" in went.text
    resend = await services(bot).broadcasts.get(first + 1)
    assert resend is not None and resend.resend_of == first and resend.text_ko
    await run_to_end(bot, resend.id)
    assert [copies(sandbox, p.chat_id, NEEDLE) for p in people] == [1, 1, 1, 0, 1, 1]
    totals = await services(bot).broadcasts.totals(resend.id)
    assert totals["sent"] == 2 and sum(totals.values()) == 2

    # A second press of the confirmation (a double tap reaches the bot with the old
    # buttons), of the report's button, or a forged one: no second resend, no third copy.
    again = await admin.click_data(confirm.message_id, f"staff:bcgo:{first}")
    assert again.toast is not None and "이미 한 번 다시 보냈어요 (공지 #2)" in again.toast["text"]
    pressed = await admin.click(BUTTON, report.message_id)
    assert pressed.toast is not None and "이미 한 번 다시 보냈어요" in pressed.toast["text"]
    forged = await admin.click_data(report.message_id, f"staff:bcgo:{first}")
    assert forged.toast is not None and "이미" in forged.toast["text"]
    assert await _broadcast_count(bot) == 2
    assert [copies(sandbox, p.chat_id, NEEDLE) for p in people] == [1, 1, 1, 0, 1, 1]

    # The resend had no unknowns: its report offers nothing, and a forged press finds nobody.
    assert admin.last.buttons == []
    nobody = await admin.click_data(admin.last.message_id, f"staff:bcgo:{resend.id}")
    assert nobody.toast is not None and "다시 보낼 사람이 없어요" in nobody.toast["text"]
    assert await _broadcast_count(bot) == 2

    entries = await services(bot).staff.recent_actions()
    resends = [e for e in entries if e.action == "broadcast.resend"]
    assert len(resends) == 1 and resends[0].actor == ADMIN_ID
    assert resends[0].detail == {"broadcast": resend.id, "of": first, "recipients": 2}
    log = (await admin.send("/staff log")).text
    assert "공지 #1에서 확인 안 된 사람에게 다시 보냄: 공지 #2 (2명)" in log


async def test_a_volunteer_pressing_the_resend_button_is_refused_and_nothing_is_sent(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    admin = user(ADMIN_ID)
    await admin.send("/start")
    people = await volunteers(user, range(1001, 1004))
    first = await _crashed_broadcast(bot, admin, [1002])
    volunteer = people[0]
    for action in ("bcre", "bcgo"):
        seen = await volunteer.click_data(volunteer.last.message_id, f"staff:{action}:{first}")
        assert seen.toast is not None
        assert seen.toast["text"] == "센터 담당자만 쓸 수 있는 버튼이에요."
        assert seen.new == []
    assert await _broadcast_count(bot) == 1
    assert copies(sandbox, 1002, NEEDLE) == 0


async def test_a_broadcast_still_sending_cannot_be_resent(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin = user(ADMIN_ID)
    await admin.send("/start")
    await volunteers(user, range(1001, 1003))
    launched = await launch(bot, by=ADMIN_ID, progress_chat_id=ADMIN_ID)
    seen = await admin.click_data(admin.last.message_id, f"staff:bcgo:{launched.broadcast_id}")
    assert seen.toast is not None and "아직 보내는 중이거나" in seen.toast["text"]
    assert await _broadcast_count(bot) == 1
