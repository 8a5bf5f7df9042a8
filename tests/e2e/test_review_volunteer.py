"""The volunteer journeys a reviewer drove on the console demo, each defect as it was met."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.helpers.linking import link
from tests.helpers.sending import results_in, transmissions
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
    assert not any(b.startswith("📤 미전송") for b in start.new[0].buttons)
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
    resend = f"🔁 실패한 {failed[1]}건 다시 보내기"  # minjun has nothing unsent left
    assert start.new[0].buttons[0] == resend
    seen = await minjun.click(resend)
    assert f"실패했던 실적 {failed[1]}건" in seen.text and "보낼까요?" in seen.text


async def test_returning_start_with_everything_in_place_offers_one_send_button(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1003)
    await link(minji, gateway, "kindly0904")
    start = await minji.send("/start")
    assert "✅ 1365 정보제공 동의: 2019년 9월 11일에 동의하셨어요." in start.text
    assert "미전송 실적 4건을 1365로 보내 주세요" in start.text
    buttons = start.new[0].buttons
    assert buttons[0] == "📤 미전송 4건 보내기" and "📤 1365로 실적 보내기" not in buttons
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
    # Neither consent: 1365 is named first, as the guide walks it (issue 17, part 7).
    assert "1365 정보제공 동의를 먼저 하고 VMS 연계 동의까지 마쳐야 보낼 수 있어요" in text
    assert "VMS 연계 동의가 있어야 보낼 수 있어요" not in text
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


# --- 6, 7, 12: the code step ---------------------------------------------------------------


async def test_a_new_code_says_the_old_one_no_longer_works(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1011)
    await minji.send("/link")
    first = await minji.send("kindly0904")
    assert "새 인증번호를 보냈어요" not in first.text
    old = await gateway.delivered_code("kindly0904")
    again = await minji.click("🔁 인증번호 다시 받기")
    assert "인증번호를 새로 요청했어요. 먼저 받은 번호는 이제 쓸 수 없으니" in again.text
    assert again.text != first.text
    new = await gateway.delivered_code("kindly0904")
    assert new is not None and new != old


async def test_a_code_in_a_sentence_or_a_pasted_sms_is_taken(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1012)
    await minji.send("/link")
    await minji.send("kindly0904")
    code = await gateway.delivered_code("kindly0904")
    assert code is not None
    seen = await minji.send(f"인증번호는 {code[:3]} {code[3:]} 이에요")
    assert "연결했어요" in seen.text, seen.text
    sora = user(1013)
    await sora.send("/link")
    await sora.send("sora2008")
    code = await gateway.delivered_code("sora2008")
    assert code is not None
    seen = await sora.send(f"[Web발신]\n[VMS] 인증번호는 [{code}] 입니다.")
    assert "연결했어요" in seen.text, seen.text


async def test_two_codes_in_one_message_are_asked_again_not_guessed(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1014)
    await minji.send("/link")
    await minji.send("kindly0904")
    seen = await minji.send("123456 아니면 654321")
    assert "인증번호는 숫자 6자리예요" in seen.text


async def test_after_the_code_limit_no_new_code_button_is_offered(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1015)
    await minji.send("/link")
    await minji.send("kindly0904")
    for _ in range(10):
        seen = await minji.click("🔁 인증번호 다시 받기")
        if "지금은 인증번호를 더 보낼 수 없어요" in seen.text:
            break
    else:
        raise AssertionError("the code-request limit was never reached")
    assert "🔁 인증번호 다시 받기" not in minji.last.buttons
    # The code already received still works: the flow stayed open.
    code = await gateway.delivered_code("kindly0904")
    assert code is not None
    assert "연결했어요" in (await minji.send(code)).text


# --- 8: a plain question during a flow gets its answer; the flow stays open --------------------


async def test_a_question_during_the_guide_is_answered_and_the_guide_goes_on(
    user: Callable[..., User],
) -> None:
    minji = user(1016)
    await minji.send("/howto")
    seen = await minji.send("봉사시간 언제 들어와요?")
    assert "만 24시간 뒤" in seen.text
    assert "위 안내 메시지의 버튼을 눌러 계속해 주세요" in seen.text
    assert "안내는 메시지 아래 버튼으로 진행해 주세요" not in seen.text
    # The guide is still the open flow, at the same step.
    seen = await minji.send("아무 말")
    assert "안내는 메시지 아래 버튼으로 진행해 주세요. 지금은 1365 안내 1단계에 있어요" in seen.text


async def test_a_question_during_linking_is_answered_and_linking_goes_on(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1017)
    await minji.send("/link")
    seen = await minji.send("전송이 안 돼요")
    assert "VMS 아이디는 영문, 숫자" not in seen.text
    assert "VMS 아이디를 보내 주세요" in seen.text
    await minji.send("kindly0904")
    seen = await minji.send("봉사시간 언제 들어와요?")
    assert "인증번호는 숫자 6자리예요" not in seen.text
    assert "받은 인증번호 6자리를 보내 주세요" in seen.text
    code = await gateway.delivered_code("kindly0904")
    assert code is not None
    assert "연결했어요" in (await minji.send(code)).text


# --- 9: a link with both consents offers the next step ----------------------------------------


async def test_a_link_with_both_consents_offers_send_and_status(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1018)
    done = await link(minji, gateway, "kindly0904")
    assert done.new[-1].buttons == ["📤 1365로 실적 보내기", "📊 연계 현황 보기"]
    seen = await minji.click("📤 1365로 실적 보내기")
    assert "1365로 보낼까요?" in seen.text


# --- 11, 12: answers --------------------------------------------------------------------------


async def test_the_consent_answer_says_1365_must_come_before_sending(
    user: Callable[..., User],
) -> None:
    seen = await user(1019).send("동의 어떻게 해요")
    assert "순서가 바뀌면" not in seen.text
    assert "1365 정보제공 동의가 되어 있지 않으면 실적을 보내도 1365로 넘어가지 않아요" in seen.text


async def test_the_neis_answer_for_an_unlinked_user_asks_to_link(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1020)
    seen = await minji.send("나이스에 안 보여요")
    assert "아래 버튼으로 확인해 보세요" not in seen.text
    assert "VMS 계정을 연결하면" in seen.text and "🔗 VMS 계정 연결" in seen.new[0].buttons
    await link(minji, gateway, "kindly0904")
    seen = await minji.send("나이스에 안 보여요")
    assert "1365까지 넘어갔는지는 아래 버튼으로 확인해 보세요" in seen.text


# --- 13: wording ------------------------------------------------------------------------------


async def test_the_guide_quotes_its_button_and_says_when_a_consent_was_given(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minjun = user(1021)
    await link(minjun, gateway, "minjun.vms")
    gateway.set_consents("minjun.vms", portal=None, vms=None)
    gateway.set_consents("minjun.vms", portal=date(2025, 4, 1))
    intro = (await minjun.send("/howto")).new[0]
    assert "1365 정보제공 동의는 2025년 4월 1일에 이미 하셨어요. 이 부분은 건너뛸게요." in (
        intro.text
    )
    for _ in range(4):
        seen = await minjun.click("다음 ▶")
    assert "'✅ VMS 연계 동의를 마쳤어요' 버튼을 눌러 주세요" in seen.text


async def test_status_leaves_out_states_without_records(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1022)
    await link(minji, gateway, "kindly0904")
    text = (await minji.send("/status")).text
    assert "미전송 4건" in text
    assert "전송 성공 0건" not in text and "전송 실패 0건" not in text


async def test_an_unlinked_volunteer_who_said_both_were_done_is_told_why_the_guide_restarts(
    user: Callable[..., User],
) -> None:
    minji = user(1023)
    await minji.send("/howto")
    for done in ("✅ 1365 정보제공 동의를 마쳤어요", "✅ VMS 연계 동의를 마쳤어요"):
        for _ in range(4):
            await minji.click("다음 ▶")
        await minji.click(done)
    seen = await minji.send("/howto")
    assert "지난번에 두 사이트 모두 마쳤다고 하셨어요" in seen.text
    assert "5단계 중 1단계" in seen.new[-1].text


# --- 10: records added right after linking are new ------------------------------------------


async def test_a_record_added_right_after_linking_is_announced_with_the_right_count(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1024)
    await link(minji, gateway, "kindly0904")  # 4 unsent records: not new
    record = {"activity_date": "2026-11-30", "host": "행복복지관", "activity": "배식",
              "minutes": 90, "kind": "일반"}  # fmt: skip
    gateway.add_records("kindly0904", [record, {**record, "minutes": 60}])
    clock.advance(timedelta(minutes=2))  # the old first run only noted a baseline here
    await bot.poller.run_due()
    clock.advance(timedelta(days=1))
    await bot.poller.run_due()
    told = [m.text for m in minji.sandbox.bot_messages(1024) if "VMS에 들어왔어요" in m.text]
    assert told == ["새 봉사 실적 2건이 VMS에 들어왔어요. 1365로 보낼까요?"]


# --- 14: a password typed to the bot ------------------------------------------------------------


async def test_a_message_with_a_password_is_deleted_before_any_flow_reads_it(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1025)
    await minji.send("/link")
    seen = await minji.send("아이디 kindly0904 비번 pass1234")
    assert "비밀번호가 전혀 필요 없어요" in seen.text
    assert "인증번호" not in seen.text  # the link flow never saw it
    assert await gateway.delivered_code("kindly0904") is None
    typed = [e for e in minji.sandbox.transcript(1025) if not e.from_bot and "pass1234" in e.text]
    assert len(typed) == 1 and typed[0].deleted
    seen = await minji.send("My password is hunter2")
    assert "비밀번호가 전혀 필요 없어요" in seen.text
