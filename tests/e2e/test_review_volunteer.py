"""The volunteer journeys a reviewer drove on the console demo, each defect as it was met."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.e2e.test_link_journeys import link
from tests.e2e.test_send_journeys import results_in, transmissions
from tests.journey import User

RESET = "📋 동의 초기화 방법 보기"
GUIDE_1365 = "📋 1365 정보제공 동의 방법 보기"
GUIDE_VMS = "📋 VMS 연계 동의 방법 보기"


def next_step_of(text: str) -> str:
    """The line under "다음 할 일", as /status and /start both show it."""
    lines = text.splitlines()
    return lines[lines.index("다음 할 일") + 1]


async def sent_and_failed(user: User, bot: BotRuntime, clock: FakeClock) -> None:
    """/send, confirmed (anyway, when warned), and the results back."""
    seen = await user.send("/send")
    if "그래도 보내기" in seen.new[0].buttons:
        await user.click("그래도 보내기")
        await user.click("네, 그래도 보낼게요")
    else:
        await user.click("보내기")
    await results_in(bot, clock)


# --- 1: the returning /start is /status's own decision ----------------------------------------


async def test_returning_start_after_identity_failures_shows_the_reset_not_all_fine(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    seoyeon = user(1001)
    await link(seoyeon, gateway, "seoyeon88")
    await sent_and_failed(seoyeon, bot, clock)
    assert "실명인증 정보가 맞지 않아요" in seoyeon.last.text
    start = await seoyeon.send("/start")
    assert "✅ 1365 정보제공 동의" not in start.text
    assert "이제 VMS 실적을 1365로 보내면 돼요" not in start.text
    assert "전송 실패 3건" in start.text
    assert "'정보제공 동의 초기화'를 누르고" in start.text
    assert start.new[0].buttons[0] == RESET
    assert "📤 미전송 실적 보내기" not in start.new[0].buttons
    status = await seoyeon.send("/status")
    assert next_step_of(start.text) == next_step_of(status.text)


async def test_returning_start_after_consent_names_the_failed_records_and_the_wait(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minjun = user(1002)
    await link(minjun, gateway, "minjun.vms")
    await sent_and_failed(minjun, bot, clock)
    failed = re.search(r"❌ 실패 (\d+)건", minjun.last.text)
    assert failed is not None, minjun.last.text
    gateway.set_consents("minjun.vms", portal=date(2026, 5, 1))
    start = await minjun.send("/start")
    assert f"전송 실패 {failed[1]}건" in start.text
    assert f"실패한 실적 {failed[1]}건을 다시 보내야 해요" in start.text
    assert "부터 보낼 수 있어요" in start.text
    status = await minjun.send("/status")
    assert next_step_of(start.text) == next_step_of(status.text)
    clock.advance(timedelta(hours=1))
    start = await minjun.send("/start")
    assert start.new[0].buttons[0] == "📤 실패한 실적 다시 보내기"
    seen = await minjun.click("📤 실패한 실적 다시 보내기")
    assert "보낼까요?" in seen.text


async def test_returning_start_with_everything_in_place_offers_one_send_button(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1003)
    await link(minji, gateway, "kindly0904")
    start = await minji.send("/start")
    assert "✅ 1365 정보제공 동의: 2019년 9월 11일에 동의하셨어요." in start.text
    assert "미전송 실적 4건을 1365로 보내 주세요" in start.text
    buttons = start.new[0].buttons
    assert buttons[0] == "📤 미전송 실적 보내기" and "📤 1365로 실적 보내기" not in buttons
    assert "📊 연계 현황 보기" in buttons


# --- 3: /send without the VMS consent names the site to do first, with its guide ---------------


async def test_send_without_both_consents_points_to_1365_first(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    sora = user(1004)
    await link(sora, gateway, "sora2008")
    seen = await sora.send("/send")
    assert "1365에서 먼저 정보제공 동의를 한 다음" in seen.text
    assert seen.new[0].buttons == [GUIDE_1365]
    gateway.set_consents("sora2008", portal=date(2026, 5, 1))
    seen = await sora.send("/send")
    assert "1365에서 먼저" not in seen.text
    assert "1365 정보제공 동의는 되어 있으니, 이제 VMS에서 연계 동의를 해 주세요" in seen.text
    assert seen.new[0].buttons == [GUIDE_VMS]
    assert len(await transmissions(gateway, bot, 1004)) == 0


# --- 4: /status never says "지금 보낼 수 있어요" of a send refused or sure to fail --------------


async def test_status_does_not_call_a_refused_or_failing_send_possible(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    sora = user(1005)
    await link(sora, gateway, "sora2008")
    text = (await sora.send("/status")).text
    assert "지금 보낼 수 있어요" not in text
    assert "VMS 연계 동의가 있어야 보낼 수 있어요" in text
    jiwoo = user(1006)
    await link(jiwoo, gateway, "jiwoo0521")
    text = (await jiwoo.send("/status")).text
    assert "지금 보낼 수 있어요" not in text and "지금 보내면 모두 실패해요" in text
    seoyeon = user(1007)
    await link(seoyeon, gateway, "seoyeon88")
    await sent_and_failed(seoyeon, bot, clock)
    clock.advance(timedelta(hours=1))
    text = (await seoyeon.send("/status")).text
    assert "지금 보낼 수 있어요" not in text and "지금 보내면 모두 실패해요" in text
    minji = user(1008)
    await link(minji, gateway, "kindly0904")
    assert "🕐 지금 보낼 수 있어요." in (await minji.send("/status")).text


# --- 5: /send asks "그래도 보내기" whenever every record would fail ----------------------------


async def test_send_warns_for_a_gone_1365_account(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    jiwoo = user(1009)
    await link(jiwoo, gateway, "jiwoo0521")
    seen = await jiwoo.send("/send")
    assert "1365 계정을 찾을 수 없어요" in seen.text and "모두 실패" in seen.text
    assert "보내기" not in seen.new[0].buttons and "그래도 보내기" in seen.new[0].buttons
    seen = await jiwoo.click("그래도 보내기")
    assert "1365 계정이 없어서" in seen.text
    assert len(await transmissions(gateway, bot, 1009)) == 0
    seen = await jiwoo.click("네, 그래도 보낼게요")
    assert "1365로 보냈어요" in seen.text


async def test_send_after_identity_failures_warns_and_offers_the_reset(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    seoyeon = user(1010)
    await link(seoyeon, gateway, "seoyeon88")
    await sent_and_failed(seoyeon, bot, clock)
    # 12: the result names the reset, like /status, and offers no resend within the hour.
    result = seoyeon.last
    assert result.buttons == [RESET], result.buttons
    clock.advance(timedelta(hours=1))
    seen = await seoyeon.send("/send")
    assert "정보제공 동의 초기화" in seen.text and "모두 실패" in seen.text
    assert seen.new[0].buttons[0] == RESET and "그래도 보내기" in seen.new[0].buttons
    assert "보내기" not in seen.new[0].buttons
    seen = await seoyeon.click("그래도 보내기")
    assert "아직 동의를 초기화하지 않았다면" in seen.text
    assert len(await transmissions(gateway, bot, 1010)) == 1
