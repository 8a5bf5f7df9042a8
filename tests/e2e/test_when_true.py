"""Issue 17 part 3 and part 7: every "when" the bot states is true, and its Korean reads right.

Each test is a volunteer's journey on the sandbox gateway and Bot API, on the fake clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.runtime import BotRuntime
from core.clock import FakeClock
from linkage.client import GatewayClient
from sandbox.gateway import GatewaySandbox
from tests.conftest import GATEWAY_KEY
from tests.helpers.linking import link
from tests.helpers.sending import results_in
from tests.helpers.status import data_of, link_id, send_all
from tests.journey import User

RECORD = {"activity_date": "2026-03-01", "host": "행복복지관", "activity": "배식", "minutes": 120,
          "kind": "일반"}  # fmt: skip
LOOK_NOW = "1365 자원봉사포털에서 실적을 확인해 보세요"


async def linked(user: User, gateway: GatewaySandbox, vms_id: str) -> User:
    await user.send("/start")
    await link(user, gateway, vms_id)
    return user


# --- the visibility time in /status, and /status right after a send ---------------------------


async def test_status_names_a_visible_time_only_for_records_still_waiting_with_their_count(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    await send_all(gateway, await link_id(bot, 1001))  # 4 records, sent at 18:00
    await results_in(bot, clock)
    clock.advance(timedelta(hours=25))  # the four are on 1365 since yesterday evening
    gateway.add_records("kindly0904", [RECORD])
    async with GatewayClient(gateway.base_url, GATEWAY_KEY) as client:  # one more, at 19:01
        await client.create_transmission(await link_id(bot, 1001), idempotency_key="test-2")
    await results_in(bot, clock)
    text = (await minji.send("/status")).text
    assert "✅ 전송 성공 5건" in text
    assert "4건은 지금 1365에서 확인할 수 있어요." in text
    assert "1건은 내일 오후 7시 1분부터 1365에서 확인할 수 있어요." in text
    # Not the newest time for all five, as the trial saw.
    assert "   1365에서 내일" not in text and "5건은" not in text
    # Until the last one is there, the next step names the time, not "look on 1365 now".
    assert LOOK_NOW not in text
    assert "보낸 실적 1건이 1365에 올라가기를 기다리고 있어요. 내일 오후 7시 1분부터" in text
    clock.advance(timedelta(hours=24))
    text = (await minji.send("/status")).text
    assert "   1365에서 확인할 수 있어요." in text and "부터 1365에서 확인할 수" not in text
    assert LOOK_NOW in text


async def test_status_right_after_a_send_says_when_not_look_on_1365(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    await minji.send("/send")
    await minji.click("보내기")  # at 18:00 on 2 March
    await results_in(bot, clock)
    text = (await minji.send("/status")).text
    assert LOOK_NOW not in text and "1365에서 확인해 보세요" not in text
    assert "4건은 내일 오후 6시부터 1365에서 확인할 수 있어요." in text
    assert "보낸 실적 4건이 1365에 올라가기를 기다리고 있어요. 내일 오후 6시부터" in text
    assert "🌐 1365 자원봉사포털 열기" not in (await minji.send("/status")).new[0].buttons


# --- times across midnight ---------------------------------------------------------------------


async def test_a_send_at_23_40_says_the_next_one_is_possible_at_0_40_tomorrow(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    clock.set(datetime(2026, 3, 2, 14, 40, tzinfo=UTC))  # 23:40 in Seoul
    await minji.send("/send")
    await minji.click("보내기")
    refused = await minji.send("/send")
    assert "내일 0시 40분부터 보낼 수 있어요(1시간 남았어요)" in refused.text
    status = (await minji.send("/status")).text
    assert "🕐 내일 0시 40분부터 보낼 수 있어요(60분 남았어요)." in status
    assert "오전 12시" not in status + refused.text
    await results_in(bot, clock)
    result = minji.last.text
    assert "✅ 성공 4건: 3월 4일 0시 40분부터" not in result  # a day later, not two
    assert "✅ 성공 4건: 내일 오후 11시 40분부터 1365에서 볼 수 있어요." in result


# --- resend buttons say what they send ---------------------------------------------------------


async def test_resend_buttons_count_what_they_send_and_failed_only_sends_only_the_failed(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minjun = await linked(user(1001), gateway, "minjun.vms")  # no 1365 consent: all fail
    await send_all(gateway, await link_id(bot, 1001))
    await results_in(bot, clock)
    gateway.set_consents("minjun.vms", portal=date(2026, 3, 2))
    gateway.add_records("minjun.vms", [RECORD, RECORD])
    clock.advance(timedelta(hours=1))
    seen = await minjun.send("/status")
    failed = re.search(r"❌ 전송 실패 (\d+)건", seen.text)
    assert failed is not None, seen.text
    only, every = f"🔁 실패한 {failed[1]}건만 다시 보내기", "📤 미전송 2건까지 모두 보내기"
    assert seen.new[0].buttons[:2] == [only, every]
    assert data_of(seen.new[0], only) == "send:failed"
    assert data_of(seen.new[0], every) == "send:start"
    prompt = await minjun.click(only)
    assert f"실패했던 실적 {failed[1]}건(" in prompt.text and "미전송" not in prompt.text
    await minjun.click("보내기")
    async with GatewayClient(gateway.base_url, GATEWAY_KEY) as client:
        records = (await client.records(await link_id(bot, 1001), limit=100)).items
    assert sum(1 for r in records if r.status == "unsent") == 2  # the unsent ones stayed


# --- duplicates in totals ----------------------------------------------------------------------


async def test_hanbits_total_leaves_out_the_duplicates_1365_refused(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    hanbit = await linked(user(1001), gateway, "hanbit2007")
    await send_all(gateway, await link_id(bot, 1001))  # two of the unsent are on 1365 already
    await results_in(bot, clock)
    text = (await hanbit.send("/status")).text
    async with GatewayClient(gateway.base_url, GATEWAY_KEY) as client:
        page = await client.records(await link_id(bot, 1001), limit=100)
        records, cursor = list(page.items), page.next_cursor
        while cursor:
            page = await client.records(await link_id(bot, 1001), limit=100, cursor=cursor)
            records += page.items
            cursor = page.next_cursor
    duplicates = sum(1 for r in records if r.reason is not None and r.reason.code == "duplicate")
    assert duplicates > 0  # the demo member has some
    total = re.search(r"모두 (\d+)건, 총 ", text)
    assert total is not None and int(total[1]) == len(records) - duplicates, text
    assert f"중복 {duplicates}건은 뺐어요" in text
    assert f"그중 {duplicates}건은 1365에 이미 있는 중복이라 따로 하실 일이 없어요." in text


# --- a mistyped ID ----------------------------------------------------------------------------


async def test_a_mistyped_id_is_never_promised_a_code_and_leads_to_finding_the_id(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/link")
    seen = await minji.send("nosuchuser99")
    assert "보냈어요" not in seen.text
    assert "이 아이디가 VMS에 가입된 아이디라면" in seen.text
    assert "📭 인증번호가 안 와요" in seen.new[0].buttons
    # An ID that exists reads the same: the answer never tells whether an ID exists.
    other = user(1002)
    await other.send("/link")
    real = await other.send("kindly0904")
    assert real.new[0].buttons == seen.new[0].buttons
    helped = await minji.click("📭 인증번호가 안 와요")
    assert "아이디가 맞는지" in helped.text or "똑같은지 확인해 주세요" in helped.text
    message = helped.new[0]
    assert data_of(message, "🌐 VMS 사이트 열기") == "https://www.vms.or.kr"
    assert "✏️ 아이디 바꾸기" in message.buttons
    again = await minji.click("✏️ 아이디 바꾸기")
    assert "VMS 아이디를 다시 보내 주세요" in again.text
    code_step = await minji.send("kindly0904")
    assert "6자리 인증번호" in code_step.text


async def test_not_knowing_the_id_during_link_gets_the_id_recovery_path(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/link")
    seen = await minji.send("아이디가 뭔지 모르겠어요")
    assert "VMS 아이디는" in seen.text and "영문, 숫자" not in seen.text
    assert data_of(seen.new[0], "🌐 VMS 사이트 열기") == "https://www.vms.or.kr"
    # The flow stays open: the ID, once found, is taken.
    code_step = await minji.send("kindly0904")
    assert "6자리 인증번호" in code_step.text
    code = await gateway.delivered_code("kindly0904")
    assert code is not None
    assert "연결" in (await minji.send(code)).text


# --- a question inside any open flow -----------------------------------------------------------


async def test_a_question_at_the_send_confirmation_is_answered_and_the_send_stays_open(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = await linked(user(1001), gateway, "kindly0904")
    prompt = await minji.send("/send")
    seen = await minji.send("봉사시간 언제 들어와요?")
    assert "봉사시간이 1365에 들어오기까지" in seen.text
    assert "위 메시지의 버튼으로 이어서 해 주세요" in seen.text
    sent = await minji.click("보내기", prompt.new[0].message_id)
    assert "1365로 보냈어요" in sent.text


async def test_a_question_in_settings_is_answered_and_the_menu_still_works(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/start")
    await minji.send("/settings")
    seen = await minji.send("나이스에 안 보여요")
    assert "학교 NEIS에 봉사시간이 안 보일 때" in seen.text
    assert "설정은 위 메시지의 버튼으로 바꿀 수 있어요" in seen.text


async def test_a_question_in_the_staff_flows_is_answered_and_they_stay_open(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    from tests.conftest import ADMIN_ID

    admin = user(ADMIN_ID, first_name="담당자")
    await admin.send("/start")
    await admin.send("/broadcast")
    seen = await admin.send("전송이 안 돼요")
    assert "전송이 안 될 때" in seen.text
    assert "위 메시지의 버튼으로 이어서 해 주세요" in seen.text
    await admin.send("/remind")
    seen = await admin.send("봉사시간 언제 들어와요?")
    assert "봉사시간이 1365에 들어오기까지" in seen.text


# --- part 7: words the trial marked -----------------------------------------------------------


async def test_the_first_start_after_linking_does_not_say_welcome_back(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")  # linked before any /start
    start = await minji.send("/start")
    assert "다시 오셨네요" not in start.text
    assert "민지님, 안녕하세요! 지금 상황을 알려 드릴게요." in start.text


async def test_an_answer_that_points_at_the_status_button_comes_with_it(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/start")
    seen = await minji.send("봉사시간 언제 들어와요?")  # not linked: no status button below
    assert "📊 연계 현황 보기" not in seen.new[0].buttons
    assert "어디까지 왔는지는 아래 버튼으로 볼 수 있어요" not in seen.text
    assert "VMS 계정을 연결하면" in seen.text and "🔗 VMS 계정 연결" in seen.new[0].buttons
    await link(minji, gateway, "kindly0904")
    seen = await minji.send("봉사시간 언제 들어와요?")
    assert "어디까지 왔는지는 아래 버튼으로 볼 수 있어요" in seen.text
    assert "📊 연계 현황 보기" in seen.new[0].buttons
