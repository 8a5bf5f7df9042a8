"""One open flow per user: the router, flow tokens, /cancel, /start payloads, expiry, no-op edits.

The sandbox fixture fails any test in which the strict Bot API rejected a request, so the
double-tap tests in flows below also prove that no "message is not modified" reached it: a
flow's message keeps its digest in the flow row, which every worker reads. Outside flows
nothing remembers what a message shows (a memory per worker goes stale, issue 16 part 4), so
a double tap's second, identical edit is sent and refused once, and taken as done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.runtime import BotRuntime
from core.clock import FakeClock
from handlers.settings import SettingsFlow
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.users import UserRepository
from tests.conftest import StartBot
from tests.journey import User

REMINDERS_OFF = "🔕 센터 알림 끄기"
STALE = "더 이상 쓸 수 없어요"


def data_of(message, label: str) -> str:  # type: ignore[no-untyped-def]
    """The callback data behind a button, as a client would send it again."""
    for row in message.reply_markup:
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r}")


async def reminders(bot: BotRuntime, telegram_id: int) -> bool:
    stored = await UserRepository(bot.app.bot_data.backend.db).get(telegram_id)  # type: ignore[union-attr]
    assert stored is not None
    return stored.reminders


async def open_flow_name(bot: BotRuntime, telegram_id: int) -> str | None:
    row = await bot.app.bot_data.backend.db.fetch_one(  # type: ignore[union-attr]
        "SELECT name FROM flows WHERE telegram_id = ?", (telegram_id,)
    )
    return None if row is None else str(row["name"])


async def race(user: User, message_id: int, data: str, times: int = 2) -> None:
    """Presses the same button `times` times before the bot has handled the first press, so
    every press carries the message as it was before any of them (an old copy)."""
    sent = [
        await user.sandbox.user_click(user.user_id, user.chat_id, message_id, data)
        for _ in range(times)
    ]
    for receipt in sent:
        await user.runtime.processor.wait_processed(receipt.update_id)


async def test_forged_or_unparseable_flow_buttons_change_nothing(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/settings")
    menu = minji.message_with_button(REMINDERS_OFF)
    real = data_of(menu, REMINDERS_OFF)
    token = real.split(":")[1]
    forged = [
        "f:AAAAAAAA:rem_off",  # well-formed, wrong token
        f"f:{token}:explode",  # right token, an action the flow does not have
        f"f:{token}:lang:xx",  # a language that does not exist
        "f:short:rem_off",  # not even a token
        "f:",
        f"f:{token}:rem_off\n",
    ]
    for data in forged:
        seen = await minji.click_data(menu.message_id, data)
        assert seen.toast is not None and STALE in seen.toast["text"], data
        assert seen.new == [] and seen.edited == [], data
    assert await reminders(bot, 1001) is True
    # The real button still works: nothing above replaced or closed the flow.
    seen = await minji.click_data(menu.message_id, real)
    assert seen.toast is not None and "알림을 껐어요" in seen.toast["text"]
    assert await reminders(bot, 1001) is False


async def test_every_settings_switch_is_one_table_entry_that_turns_both_ways(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    """The switches are rows of one table (handlers/settings.py: _SWITCHES) behind one button
    step; an argument the table lacks is a stale press that changes nothing."""
    assert [action for _, action in SettingsFlow.buttons if "switch" in action] == ["switch:"]
    assert len(SettingsFlow.buttons) == 5  # close, lang, lang:, switch:, back
    minji = user(1001)
    await minji.send("/settings")
    menu = minji.last
    for label, said, shown in (
        (REMINDERS_OFF, "센터 알림을 껐어요", "🔔 센터 알림 받기"),
        ("🆕 새 실적 알림 끄기", "새 실적 알림을 껐어요", "🆕 새 실적 알림 받기"),
        ("🔔 센터 알림 받기", "센터 알림을 켰어요", REMINDERS_OFF),
        ("🆕 새 실적 알림 받기", "새 실적 알림을 켰어요", "🆕 새 실적 알림 끄기"),
    ):
        seen = await minji.click(label, message_id=menu.message_id)
        assert seen.toast is not None and said in seen.toast["text"]
        data_of(seen.edited[0], shown)  # the button now turns it back
    forged = data_of(minji.last, REMINDERS_OFF).replace("reminders_off", "reminders_maybe")
    seen = await minji.click_data(menu.message_id, forged)
    assert seen.toast is not None and STALE in seen.toast["text"] and seen.edited == []
    assert await reminders(bot, 1001) is True


async def test_a_replaced_flow_keeps_its_buttons_stale_and_free_text_goes_to_the_new_one(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/settings")
    first = minji.message_with_button(REMINDERS_OFF)
    await minji.send("/settings")  # a second menu replaces the first flow
    second = minji.last
    assert first.message_id != second.message_id
    seen = await minji.click(REMINDERS_OFF, message_id=first.message_id)
    assert seen.toast is not None and STALE in seen.toast["text"]
    assert seen.edited == [] and await reminders(bot, 1001) is True
    seen = await minji.click(REMINDERS_OFF, message_id=second.message_id)
    assert "알림: 꺼짐" in seen.edited[0].text

    await minji.send("/link")  # link replaces settings
    seen = await minji.click("🔔 센터 알림 받기", message_id=second.message_id)
    assert seen.toast is not None and STALE in seen.toast["text"]
    assert await reminders(bot, 1001) is False
    assert "인증번호가 가요" in (await minji.send("kindly0904")).text


async def test_opening_a_flow_leaves_buttons_outside_flows_working(
    user: Callable[..., User],
) -> None:
    minji = user(1001)
    await minji.send("/start")
    menu = minji.last
    await minji.send("/lang")
    picker = minji.last
    await minji.send("/link")
    # The start menu and the language picker carry what they act on: no flow token.
    seen = await minji.click("❓ 도움말", message_id=menu.message_id)
    assert "이렇게 쓰시면 돼요" in seen.text
    seen = await minji.click("English", message_id=picker.message_id)
    assert "in English from now on" in seen.text
    # The start menu opens a flow again, twice in a row without harm.
    for _ in range(2):
        seen = await minji.click("🔗 VMS 계정 연결", message_id=menu.message_id)
        assert "user ID" in seen.text


async def test_start_payloads_enter_the_same_flow_as_their_command(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    jihun = user(1002)
    assert "아이디를 보내 주세요" in (await jihun.send("/start link")).text
    assert await open_flow_name(bot, 1002) == "link"
    assert "인증번호가 가요" in (await jihun.send("kindly0904")).text

    minji = user(1001)
    seen = await minji.send("/start howto")
    assert "5단계 중 1단계" in seen.new[-1].text
    assert await open_flow_name(bot, 1001) == "guide"
    # The bug this fixes: free text after /start howto got the generic hint.
    seen = await minji.send("어디를 눌러요?")
    assert "버튼으로 진행해 주세요" in seen.text and "1365 안내 1단계" in seen.text
    assert "무엇을 도와드릴까요" not in seen.text
    # /start with a payload that is not a flow closes the open one, like any other command.
    assert "이렇게 쓰시면 돼요" in (await minji.send("/start help")).text
    assert await open_flow_name(bot, 1001) is None
    assert "무엇을 도와드릴까요" in (await minji.send("어디를 눌러요?")).text


async def test_cancel_is_answered_by_the_open_flow_or_says_nothing_to_cancel(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    assert "진행 중인 일이 없어요" in (await minji.send("/cancel")).text
    await minji.send("/link")
    assert "계정 연결을 그만뒀어요" in (await minji.send("/cancel")).text
    assert await open_flow_name(bot, 1001) is None
    assert "진행 중인 일이 없어요" in (await minji.send("/cancel")).text
    await minji.send("/settings")
    assert "진행하던 일을 그만뒀어요" in (await minji.send("/cancel")).text
    await minji.send("/howto")
    assert "/howto 로 언제든 이어서" in (await minji.send("/cancel")).text
    assert "무엇을 도와드릴까요" in (await minji.send("여기요")).text


async def test_any_other_command_closes_the_open_flow(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    for command in ("/help", "/privacy", "/frob", "/lang", "/start"):
        await minji.send("/settings")
        assert await open_flow_name(bot, 1001) == "settings"
        await minji.send(command)
        assert await open_flow_name(bot, 1001) is None, command
    assert "무엇을 도와드릴까요" in (await minji.send("알림 꺼줘")).text


async def test_an_expired_flow_is_said_once_then_treated_as_none(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await minji.send("/settings")
    menu = minji.message_with_button(REMINDERS_OFF)
    clock.advance(timedelta(minutes=59))
    assert "버튼으로 바꿀 수 있어요" in (await minji.send("알림")).text  # still open
    clock.advance(timedelta(minutes=2))
    # Its buttons are stale, and the press does not use up the one-time notice.
    seen = await minji.click(REMINDERS_OFF, message_id=menu.message_id)
    assert seen.toast is not None and STALE in seen.toast["text"]
    assert await reminders(bot, 1001) is True
    assert "시작한 지 오래돼서 닫았어요" in (await minji.send("알림")).text
    assert "무엇을 도와드릴까요" in (await minji.send("알림")).text
    assert await open_flow_name(bot, 1001) is None

    await minji.send("/link")
    clock.advance(timedelta(minutes=31))
    assert "진행 중인 일이 없어요" in (await minji.send("/cancel")).text
    assert await open_flow_name(bot, 1001) is None


async def test_a_double_tap_in_a_flow_sends_one_edit(
    user: Callable[..., User], sandbox: BotApiSandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/settings")
    menu = minji.message_with_button(REMINDERS_OFF)
    await race(minji, menu.message_id, data_of(menu, REMINDERS_OFF), times=3)
    assert "알림: 꺼짐" in minji.last.text
    assert await reminders(bot, 1001) is False
    edits = [e for e in sandbox.transcript(1001) if e.message_id == menu.message_id]
    assert len(edits) == 1 and edits[0].edited  # one message, edited (once: see fixture)


async def test_the_flow_row_alone_stops_a_repeated_edit(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    """No memory in the process: the flow row's digest stops the second, identical edit."""
    minji = user(1001)
    await minji.send("/settings")
    menu = minji.message_with_button(REMINDERS_OFF)
    await race(minji, menu.message_id, data_of(menu, REMINDERS_OFF))
    await race(minji, menu.message_id, data_of(minji.last, "🌐 언어 / Language"))
    assert "사용할 언어를 골라 주세요" in minji.last.text
    assert await reminders(bot, 1001) is False


@pytest.mark.rejections_expected
async def test_double_taps_outside_flows_change_the_message_once(
    user: Callable[..., User], sandbox: BotApiSandbox, bot: BotRuntime
) -> None:
    """The cost of keeping no memory of rendered messages: one refused edit per double tap
    outside a flow, caught, and nothing else refused."""
    minji = user(1001)
    await minji.send("/lang")
    picker = minji.last
    await race(minji, picker.message_id, "lang:en")
    assert "in English from now on" in minji.last.text
    await minji.send("/howto")
    guide = minji.message_with_button("Next ▶")
    await race(minji, guide.message_id, data_of(guide, "Next ▶"))
    assert "Step 2 of 5" in minji.last.text
    refused = [(r.method, int(r.params["message_id"])) for r in sandbox.rejections]
    assert refused == [
        ("editMessageText", picker.message_id),
        ("editMessageText", guide.message_id),
    ]
    assert all("message is not modified" in r.description for r in sandbox.rejections)


async def test_flow_state_survives_a_restart_between_two_steps(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, start_bot: StartBot
) -> None:
    first = await start_bot()
    await User(sandbox, first, 1001).send("/link")
    await User(sandbox, first, 1001).send("kindly0904")
    await first.stop()
    second = await start_bot()
    seen = await User(sandbox, second, 1001).send(gateway.last_code("kindly0904") or "")
    assert "연결했어요" in seen.text


async def test_updates_of_one_user_queued_together_follow_the_flow(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    """Each step is stored before the next update of the user is read."""
    minji = user(1001)
    sent = [
        await minji.sandbox.user_send(1001, text, first_name="민지")
        for text in ("/link", "kindly0904")
    ]
    await asyncio.gather(*(bot.processor.wait_processed(s.update_id) for s in sent))
    assert "인증번호가 가요" in minji.last.text
    assert "연결했어요" in (await minji.send(gateway.last_code("kindly0904") or "")).text
