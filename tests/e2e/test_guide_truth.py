"""The guide and /status never say "all fine" when it is not, and never leave a dead end.

Each journey uses a sandbox demo member in its own situation (sandbox/gateway/demo.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.helpers.guide import (
    BACK_TO_1365,
    DONE_1365,
    NEXT,
    RESEND,
    SEND,
    STATUS,
    STUCK,
    finish_site,
    link,
    only_edit,
    progress,
)
from tests.helpers.status import data_of, link_id, linked, send_all
from tests.journey import User

GUIDE_1365 = "📋 1365 정보제공 동의 방법 보기"


async def test_no_step_before_the_last_records_a_consent(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    """Step 2 means "I logged in", not "1365 is done": no consent button until step 5."""
    minji = user(1001)
    await minji.send("/howto")
    for _ in range(4):
        guide = minji.message_with_button(NEXT)
        assert not [b for b in guide.buttons if b.startswith("✅")], guide.buttons
        await minji.click(NEXT)
    stored = await progress(bot, 1001)
    assert stored is not None and (stored.stage, stored.step) == ("1365", 5)
    assert stored.consent_1365.mark == "unknown"  # walking records nothing
    assert DONE_1365 in minji.last.buttons


async def test_vms_step_one_leads_back_to_the_1365_steps(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    await link(bot, gateway, 1001, "sora2008")
    await minji.send("/howto")
    gateway.set_consents("sora2008", portal=date(2019, 9, 11))
    seen = await finish_site(minji, DONE_1365)
    (vms,) = seen.new
    text = only_edit(await minji.click(BACK_TO_1365), vms.message_id)
    assert "1365 자원봉사포털에서 동의하기" in text and "5단계 중 5단계" in text
    stored = await progress(bot, 1001)
    assert stored is not None and (stored.stage, stored.step) == ("1365", 5)
    assert DONE_1365 in minji.last.buttons
    # Pressing it again hands over to VMS on a new message, as the first time.
    seen = await minji.click(DONE_1365)
    assert "VMS에서 동의하기" in seen.new[0].text and "5단계 중 1단계" in seen.new[0].text


async def test_minjun_consents_after_failed_sends_and_is_told_to_send_them_again(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """VMS consent only; sent anyway (every record failed); then the 1365 consent in the guide."""
    minjun = await linked(user(1001), gateway, "minjun.vms")
    await send_all(gateway, await link_id(bot, 1001))
    clock.advance(timedelta(minutes=2))  # the sandbox's results come after 60 s
    assert "전송 실패 3건" in (await minjun.send("/status")).text

    await minjun.click(GUIDE_1365)
    gateway.set_consents("minjun.vms", portal=date(2026, 1, 5))
    seen = await finish_site(minjun, DONE_1365)
    assert "2026년 1월 5일에 동의하셨어요" in seen.edited[0].text
    (finale,) = seen.new
    # In order: the VMS consent found on the way, then the verdict, then what to do.
    text = finale.text
    assert text.index("VMS 연계 동의는 2025년 4월 2일에 이미 하셨어요") < text.index(
        "두 사이트 모두 동의를 마쳤어요"
    )
    assert "실적 3건이 실패한 채로 남아 있어요" in text and "'재전송'" in text
    assert finale.buttons == [RESEND, STATUS]
    assert data_of(finale, RESEND) == "send:failed"  # the failed ones only, as it says

    # /howto: both consents, but not "nothing to do".
    (done,) = (await minjun.send("/howto")).new
    assert "따로 하실 일은 없어요" not in done.text
    assert "실패한 채로 남아 있어요" in done.text and done.buttons[0] == RESEND


async def test_minjun_status_after_the_1365_consent_says_send_the_failed_again(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """Within the hour the results are in (failed): not "waiting for results" but when to resend."""
    minjun = await linked(user(1001), gateway, "minjun.vms")
    await send_all(gateway, await link_id(bot, 1001))
    clock.advance(timedelta(minutes=2))
    gateway.set_consents("minjun.vms", portal=date(2026, 1, 5))
    status = (await minjun.send("/status")).text
    assert "✅ 1365 정보제공 동의: 2026년 1월 5일에 동의하셨어요." in status
    assert "실패한 실적 3건을 다시 보내야 해요" in status
    assert "전송 결과를 기다리고 있어요" not in status
    assert "이제 1365 정보제공 동의가 확인됐으니" in status  # not "확인되니" (issue 17)
    clock.advance(timedelta(hours=1))
    seen = await minjun.send("/status")
    assert "실패한 실적 3건을 다시 보내 주세요" in seen.text
    assert data_of(seen.new[0], "🔁 실패한 3건 다시 보내기") == "send:failed"


async def test_jiwoo_deleted_account_is_never_shown_green_and_the_guide_says_why(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    jiwoo = await linked(user(1001), gateway, "jiwoo0521")
    seen = await jiwoo.send("/status")
    assert "✅ 1365" not in seen.text
    assert "⚠️ 1365 정보제공 동의: 1365 계정이 없어져 다시 해야 해요." in seen.text
    assert "✅ VMS 연계 동의: 2021년 5월 21일에 동의하셨어요." in seen.text
    assert GUIDE_1365 in seen.new[0].buttons

    intro, first = (await jiwoo.click(GUIDE_1365)).new
    assert "1365 계정을 찾을 수 없어요" in intro.text and "회원가입부터 다시" in intro.text
    assert "1365 자원봉사포털에서 동의하기" in first.text and "5단계 중 1단계" in first.text
    seen = await finish_site(jiwoo, DONE_1365)
    assert "아직 1365 계정이 보이지 않아요" in seen.text
    # Signed up again and consented: the check goes through, VMS is already done.
    gateway.put_member("jiwoo0521", account_1365="active", id_1365="jiwoo_new")
    gateway.set_consents("jiwoo0521", portal=date(2026, 1, 6))
    seen = await jiwoo.click("🔄 다시 확인")
    assert "2026년 1월 6일에 동의하셨어요" in seen.edited[0].text
    assert "두 사이트 모두 동의를 마쳤어요" in seen.new[0].text


async def test_seoyeon_identity_mismatch_leads_to_the_consent_reset(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    seoyeon = await linked(user(1001), gateway, "seoyeon88")
    await send_all(gateway, await link_id(bot, 1001))
    clock.advance(timedelta(minutes=2))
    seen = await seoyeon.send("/status")
    assert "✅ 1365" not in seen.text
    assert "⚠️ 1365 정보제공 동의: 주민등록번호가 바뀌어 초기화하고 다시 해야 해요." in seen.text
    assert data_of(seen.new[0], "🌐 1365 자원봉사포털 열기").startswith("https://www.1365.go.kr")

    (guide,) = (await seoyeon.click("📋 동의 초기화 방법 보기")).new
    assert "두 사이트 모두 동의가 확인됐어요" not in guide.text
    assert "따로 하실 일은 없어요" not in guide.text
    assert "실명인증 정보가 맞지 않아" in guide.text
    assert "'정보제공 동의 초기화'" in guide.text and "실명인증" in guide.text
    assert guide.buttons == ["🌐 1365 열기", RESEND, STATUS]
    # /howto says the same.
    assert "'정보제공 동의 초기화'" in (await seoyeon.send("/howto")).text


async def test_the_post_link_message_carries_the_guide_button(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    from tests.helpers.linking import link as link_by_chat

    sora = user(1001)
    await sora.send("/start")
    seen = await link_by_chat(sora, gateway, "sora2008")
    (done,) = seen.new
    assert "1365에서 먼저 동의해 주세요" in done.text
    assert done.buttons == [GUIDE_1365]
    opened = await sora.click(GUIDE_1365)
    assert "5단계 중 1단계" in opened.new[-1].text
    # Both consents in place: no guide, the next step is sending (and /status).
    kindly = user(1002)
    await kindly.send("/start")
    (done,) = (await link_by_chat(kindly, gateway, "kindly0904")).new
    assert done.buttons == ["📤 1365로 실적 보내기", "📊 연계 현황 보기"]


async def test_the_failing_answer_names_the_vms_page_and_refresh(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/howto")
    await minji.click(STUCK)
    answer = (await minji.click("❌ 동의했는데 전송이 안 돼요")).text
    assert "VMS '마이페이지' → '1365연계 결과조회'" in answer
    assert "'새로고침'" in answer and "'재전송'" in answer


async def test_already_done_offers_the_send(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    await link(bot, gateway, 1001, "kindly0904")
    (done,) = (await minji.send("/howto")).new
    assert done.buttons == [SEND, STATUS]
    seen = await minji.click(SEND)
    assert "1365로 보낼까요?" in seen.text
