"""A volunteer's journey without a dead end: questions answered, /link recoverable, /start
that knows them, groups that continue in private, and the center's contact where it is asked."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from app import build_application
from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.links import LinkRepository
from tests.conftest import make_settings
from tests.journey import User

CODE_BUTTONS = ["✏️ 아이디 바꾸기", "🔁 인증번호 다시 받기", "📭 인증번호가 안 와요"]
CONTACT = "☎️ 02-123-4567 (평일 9시~18시)\\n카카오톡 채널: 우리동네자원봉사센터"


async def link(user: User, gateway: GatewaySandbox, vms_id: str = "kindly0904") -> None:
    await user.send("/link")
    await user.send(vms_id)
    assert "연결했어요" in (await user.send(await gateway.delivered_code(vms_id) or "")).text


def links_of(bot: BotRuntime) -> LinkRepository:
    return LinkRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]


# --- plain questions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "first_button"),
    [
        ("봉사시간 언제 들어와요?", "만 24시간 뒤에 1365", "📊 연계 현황 보기"),
        ("전송이 안 돼요", "1365 정보제공 동의가 먼저", "📊 연계 현황 보기"),
        ("NEIS에 안 보여요", "1시간 단위로만", "📊 연계 현황 보기"),
        ("동의 어떻게 해요", "1365 자원봉사포털에서 먼저", "📋 연계 방법 안내"),
    ],
)
async def test_plain_questions_get_the_answer_and_the_next_step(
    user: Callable[..., User],
    gateway: GatewaySandbox,
    question: str,
    answer: str,
    first_button: str,
) -> None:
    minji = user(1001)
    await link(minji, gateway)
    seen = await minji.send(question)
    assert "무엇을 도와드릴까요" not in seen.text
    assert answer in seen.text
    assert seen.new[0].buttons[0] == first_button
    assert seen.new[0].buttons[-1] == "◀ 다른 질문 보기"


async def test_an_answers_button_leads_on(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await link(minji, gateway)
    await minji.send("봉사시간 언제 들어와요?")
    seen = await minji.click("📊 연계 현황 보기")
    assert "VMS 아이디 kin****04" in seen.text  # the /status message
    await minji.send("전송이 안 돼요")
    seen = await minji.click("📋 연계 방법 안내")
    assert "1365" in seen.text and seen.new  # the guide answered, not the stale-button toast


async def test_without_a_link_answers_offer_linking(user: Callable[..., User]) -> None:
    seen = await user(1001).send("봉사시간 언제 들어와요?")
    assert seen.new[0].buttons == ["🔗 VMS 계정 연결", "◀ 다른 질문 보기"]


async def test_stray_text_gets_a_menu_with_buttons_that_answer(user: Callable[..., User]) -> None:
    minji = user(1001)
    seen = await minji.send("음…")
    assert "무엇을 도와드릴까요?" in seen.text and "알아듣지 못했어요" not in seen.text
    menu = seen.new[0]
    assert menu.buttons[:4] == [
        "⏱ 봉사시간은 언제 들어와요?",
        "❌ 전송이 안 돼요",
        "🏫 NEIS에 안 보여요",
        "📋 동의는 어떻게 해요?",
    ]
    assert "☎️ 센터에 문의" in menu.buttons
    seen = await minji.click("🏫 NEIS에 안 보여요")
    assert seen.edited and "1시간 단위로만" in seen.text
    seen = await minji.click("◀ 다른 질문 보기")
    assert "무엇을 도와드릴까요?" in seen.text
    seen = await minji.click("☎️ 센터에 문의")
    assert "소속 자원봉사센터" in seen.text  # CENTER_CONTACT unset: said plainly


# --- /link ----------------------------------------------------------------------------------


async def test_a_mistyped_id_can_be_changed_and_a_sentence_gives_its_id(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/link")
    seen = await minji.send("kindly0094")  # a typo: a code "goes" to nobody
    assert "인증번호가 가요" in seen.text and seen.new[0].buttons == CODE_BUTTONS
    seen = await minji.click("✏️ 아이디 바꾸기")
    assert "VMS 아이디를 다시 보내 주세요" in seen.text
    assert "✏️ 아이디 바꾸기" not in minji.sandbox.bot_messages(1001)[-2].buttons  # used up
    seen = await minji.send("제 아이디는 kindly0904 입니다")
    assert "인증번호가 가요" in seen.text
    first = await gateway.delivered_code("kindly0904")
    seen = await minji.click("🔁 인증번호 다시 받기")
    assert "인증번호가 가요" in seen.text and seen.new[-1].buttons == CODE_BUTTONS
    second = await gateway.delivered_code("kindly0904")
    # Two codes went out, both to kindly0904: the mistyped ID's request reached nobody.
    assert first is not None and second is not None
    assert [d.vms_id for d in gateway.deliveries] == ["kindly0904", "kindly0904"]
    assert "연결했어요" in (await minji.send(second)).text
    stored = await links_of(bot).get(1001)
    assert stored is not None and stored.vms_id == "kindly0904"


async def test_a_new_code_refused_by_the_limit_says_when(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/link")
    await minji.send("kindly0904")
    # Two codes an hour for one ID from one account (REQUESTS_PER_ID_PER_HOUR).
    assert "인증번호가 가요" in (await minji.click("🔁 인증번호 다시 받기")).text
    seen = await minji.click("🔁 인증번호 다시 받기")
    assert "지금은 인증번호를 더 보낼 수 없어요" in seen.text and "뒤에 다시 해 주세요" in seen.text
    # No "new code" button that would only be refused; the last code still works, and says so.
    assert seen.new[-1].buttons == []
    assert "이미 받은 인증번호가 있다면 그대로 보내셔도 돼요" in seen.text
    code = await gateway.delivered_code("kindly0904")
    assert "연결했어요" in (await minji.send(code or "")).text


async def test_several_id_shaped_words_are_asked_again(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await minji.send("/link")
    seen = await minji.send("kindly0904 아니면 sora2008 이에요")
    assert "하나만 다시 보내 주세요" in seen.text
    await gateway.settle_deliveries()
    assert gateway.deliveries == []


async def test_cancel_while_linked_says_the_link_stays(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await link(minji, gateway)
    await minji.send("/link")
    await minji.send("sora2008")
    seen = await minji.send("/cancel")
    assert "지금 연결은 그대로예요" in seen.text and "kin****04" in seen.text
    assert "저장된 것은 없어요" not in seen.text
    stored = await links_of(bot).get(1001)
    assert stored is not None and stored.vms_id == "kindly0904"


# --- /start ---------------------------------------------------------------------------------


async def test_a_returning_volunteer_sees_where_they_stand(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await link(minji, gateway)
    seen = await minji.send("/start")
    assert (
        "안녕하세요, 민지님!" not in seen.text
        and "민지님, 안녕하세요! 지금 상황을 알려 드릴게요." in seen.text
    )
    assert "VMS 아이디 kin****04 ↔ 1365 아이디 kindly****" in seen.text
    assert "✅ 1365 정보제공 동의: 2019년 9월 11일에 동의하셨어요." in seen.text
    assert "미전송 실적 4건을 1365로 보내 주세요" in seen.text  # /status's next step
    assert seen.new[0].buttons == [
        "📤 미전송 4건 보내기",
        "📊 연계 현황 보기",
        "📋 연계 방법 안내",
        "❓ 도움말",
        "⚙️ 설정",
        "🌐 언어 / Language",
    ]
    seen = await minji.click("📤 미전송 4건 보내기")
    assert "1365로 보낼까요?" in seen.text


async def test_a_returning_volunteer_without_consent_gets_the_guide_first(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    sora = user(1001)
    await link(sora, gateway, "sora2008")
    seen = await sora.send("/start")
    assert "❌ 1365 정보제공 동의: 아직 안 하셨어요." in seen.text
    assert seen.new[0].buttons[0] == "📋 1365 정보제공 동의 방법 보기"
    seen = await sora.click("📋 1365 정보제공 동의 방법 보기")
    assert "5단계 중 1단계" in seen.text


async def test_start_with_the_gateway_down_still_shows_the_link(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    minji = user(1001)
    await link(minji, gateway)
    gateway.set_outage(True)
    seen = await minji.send("/start")
    assert "kin****04" in seen.text and "확인하지 못했어요" in seen.text
    assert "📊 연계 현황 보기" in seen.new[0].buttons


async def test_start_payloads_enter_the_same_flow_as_the_command(
    user: Callable[..., User],
) -> None:
    minji = user(1001)
    seen = await minji.send("/start howto")
    assert "5단계 중 1단계" in seen.text
    seen = await minji.send("이 다음엔 뭐 해요?")  # answered by the guide, not the fallback
    assert "버튼으로 진행해 주세요" in seen.text and "무엇을 도와드릴까요" not in seen.text
    assert "아이디를 보내 주세요" in (await minji.send("/start link")).text
    await minji.send("/cancel")
    seen = await minji.send("/start status")
    assert "안녕하세요" not in seen.text  # the status answer, not the greeting
    assert "🔗 VMS 계정 연결" in seen.new[0].buttons
    seen = await minji.send("/start send")
    assert "먼저 VMS 계정을 연결해야 해요" in seen.text
    assert seen.new[0].buttons == ["🔗 VMS 계정 연결"]


# --- groups ---------------------------------------------------------------------------------


async def test_a_group_invitation_continues_what_was_asked(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    in_group = user(2001, first_name="지훈", chat_id=-100123, chat_type="supergroup")
    name = bot.app.bot.username
    for command, payload in (("/link", "link"), ("/howto", "howto"), (f"/status@{name}", "status")):
        seen = await in_group.send(command)
        assert "1:1 대화에서만" in seen.text
        assert seen.new[0].reply_markup[0][0]["url"] == f"https://t.me/{name}?start={payload}"
    seen = await in_group.send("/help")
    assert "이렇게 쓰시면 돼요" in seen.text and "소속 자원봉사센터" in seen.text
    assert "개인정보 안내" in (await in_group.send("/privacy")).text
    assert (await in_group.send("/link@some_other_bot")).new == []


# --- CENTER_CONTACT -------------------------------------------------------------------------


@pytest.fixture
async def with_contact(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> AsyncIterator[BotRuntime]:
    settings = make_settings(sandbox, db_path, gateway, center_contact=CONTACT)
    runtime = BotRuntime(await build_application(settings, clock=clock), poll_timeout=0.5)
    await runtime.start()
    yield runtime
    await runtime.stop()


async def test_the_centers_contact_is_shown_where_asked(
    sandbox: BotApiSandbox, with_contact: BotRuntime
) -> None:
    minji = User(sandbox, with_contact, 1001)
    help_text = (await minji.send("/help")).text
    assert "02-123-4567 (평일 9시~18시)\n카카오톡 채널: 우리동네자원봉사센터" in help_text
    seen = await minji.send("센터에 전화하고 싶어요")
    assert "센터 연락처" in seen.text and "02-123-4567" in seen.text
    assert "소속 자원봉사센터" not in seen.text
