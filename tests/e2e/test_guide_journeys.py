"""/howto as volunteers live it: both sites step by step, skipped steps, stuck, restart, English."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.guide import SiteConsent
from tests.conftest import ADMIN_ID, StartBot
from tests.guide_labels import LABELS_1365, LABELS_VMS
from tests.helpers.guide import (
    BACK_TO_1365,
    CHECK,
    DONE_1365,
    DONE_VMS,
    NEXT,
    PREV,
    SEND,
    STATUS,
    STUCK,
    finish_site,
    link,
    only_edit,
    progress,
    walk,
)
from tests.journey import User

PHONE_NUMBER = re.compile(r"\d{2,4}-\d{3,4}-\d{4}|\b1\d{3}-\d{4}\b")


async def test_new_volunteer_reaches_confirmed_consents_on_both_sites(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    await link(bot, gateway, 1001, "sora2008")  # a member with no consent yet
    seen = await minji.click("📋 연계 방법 안내")
    intro, first = seen.new
    assert "두 사이트 모두에서 동의해야 해요" in intro.text and "1365에서 먼저" in intro.text
    assert intro.buttons == []
    assert "1365 자원봉사포털에서 동의하기" in first.text and "5단계 중 1단계" in first.text
    assert first.buttons == [NEXT, STUCK, "🌐 1365 열기"]
    assert first.reply_markup[-1][0]["url"] == "https://www.1365.go.kr"  # type: ignore[index]

    transcript = [first.text, *await walk(minji, 4)]
    assert "5단계 중 5단계" in transcript[-1]
    assert only_edit(await minji.click(PREV), first.message_id).count("5단계 중 4단계") == 1
    transcript.append(only_edit(await minji.click(NEXT), first.message_id))
    stored = await progress(bot, 1001)
    assert stored is not None and (stored.stage, stored.step) == ("1365", 5)

    assert minji.last.buttons == [PREV, DONE_1365, STUCK, "🌐 1365 열기"]
    # Claimed too early: the gateway does not show it, so the bot says so and waits.
    text = only_edit(await minji.click(DONE_1365), first.message_id)
    assert "아직 1365 정보제공 동의가 보이지 않아요" in text
    assert minji.last.buttons[0] == CHECK
    gateway.set_consents("sora2008", portal=date(2019, 9, 11))
    seen = await minji.click(CHECK)
    assert [m.message_id for m in seen.edited] == [first.message_id]
    assert "1365 정보제공 동의를 확인했어요" in seen.edited[0].text
    assert "2019년 9월 11일에 동의하셨어요" in seen.edited[0].text
    assert seen.edited[0].buttons == []
    (vms,) = seen.new
    assert "VMS에서 동의하기" in vms.text and "5단계 중 1단계" in vms.text
    assert vms.buttons == [BACK_TO_1365, NEXT, STUCK, "🌐 VMS 열기"]
    assert vms.reply_markup[-1][0]["url"] == "https://www.vms.or.kr"  # type: ignore[index]

    transcript += [vms.text, *await walk(minji, 4)]
    gateway.set_consents("sora2008", vms=date(2020, 3, 19))
    seen = await minji.click(DONE_VMS)
    assert "2020년 3월 19일에 동의하셨어요" in seen.edited[0].text
    (finale,) = seen.new
    assert "두 사이트 모두 동의를 마쳤어요" in finale.text and "봉사실적 일괄전송" in finale.text
    # The next step as buttons, and when to look on 1365.
    assert "'새로고침'" in finale.text and "만 24시간 뒤" in finale.text
    assert finale.buttons == [SEND, STATUS]

    everything = "\n".join(transcript)
    for label in (*LABELS_1365, *LABELS_VMS):
        assert label in everything, label
    stored = await progress(bot, 1001)
    assert stored is not None and stored.stage == "done"
    assert stored.consent_1365 == SiteConsent("confirmed", date(2019, 9, 11))
    assert stored.consent_vms == SiteConsent("confirmed", date(2020, 3, 19))


async def test_existing_1365_consent_is_skipped_and_the_guide_starts_at_vms(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    await link(bot, gateway, 1001, "sora2008")
    gateway.set_consents("sora2008", portal=date(2019, 9, 11))
    intro, first = (await minji.send("/howto")).new
    assert "1365 정보제공 동의는 2019년 9월 11일에 이미 하셨어요" in intro.text
    assert "건너뛸게요" in intro.text
    assert "VMS에서 동의하기" in first.text and "5단계 중 1단계" in first.text


async def test_both_consents_already_there_means_nothing_to_walk(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    await link(bot, gateway, 1001, "kindly0904")  # the handout's own example
    (done,) = (await minji.send("/howto")).new
    assert "두 사이트 모두 동의가 확인됐어요" in done.text
    assert "1365 정보제공 동의: 2019년 9월 11일에 동의하셨어요" in done.text
    assert "VMS 연계 동의: 2020년 3월 19일에 동의하셨어요" in done.text
    assert "따로 하실 일은 없어요" not in done.text  # four records wait to be sent
    assert done.buttons == [SEND, STATUS]


async def test_unlinked_volunteer_reports_for_themselves_and_is_offered_link(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    seen = await minji.send("/start howto")  # the deep link a center can print
    assert "5단계 중 1단계" in seen.new[-1].text
    seen = await finish_site(minji, DONE_1365)
    assert "1365 정보제공 동의를 하셨다고 기록해 둘게요" in seen.edited[0].text
    assert "/link" in seen.edited[0].text
    assert "VMS에서 동의하기" in seen.new[0].text
    seen = await finish_site(minji, DONE_VMS)
    # Only their taps say so: their word, never the verified "🎉 두 사이트 모두 동의를 마쳤어요!".
    assert "직접 알려 주신 내용" in seen.new[0].text and "/link" in seen.new[0].text
    assert "🎉" not in seen.new[0].text and "✅" not in seen.new[0].text
    assert "'새로고침'" in seen.new[0].text
    assert seen.new[0].buttons == ["🔗 VMS 계정 연결"]
    stored = await progress(bot, 1001)
    assert stored is not None and stored.consent_vms == SiteConsent("self")


async def test_stuck_on_a_changed_resident_number_then_continue(
    user: Callable[..., User],
) -> None:
    await user(ADMIN_ID).send("/start")  # a staff member who can receive a question
    minji = user(1001)
    await minji.send("/howto")
    guide = minji.message_with_button(NEXT)
    await walk(minji, 2)
    menu = only_edit(await minji.click(STUCK), guide.message_id)
    assert "어디에서 막히셨어요?" in menu and "1365 안내 3단계" in menu
    assert "🪪 주민등록번호가 바뀌었어요" in minji.last.buttons

    answer = only_edit(await minji.click("🪪 주민등록번호가 바뀌었어요"), guide.message_id)
    for needed in ("'정보제공 동의 초기화'", "실명인증", "2017년 5월 30일", "'동의'"):
        assert needed in answer, needed
    assert minji.last.buttons == [
        "해결했어요 → 계속",
        "☎️ 센터에 문의",
        "✍️ 센터에 질문 남기기",
        "◀ 다른 문제 보기",
    ]

    center = only_edit(await minji.click("☎️ 센터에 문의"), guide.message_id)
    assert "자원봉사센터" in center and "1365 자원봉사포털 고객센터" in center
    assert "아직 이 봇에서" not in center  # the bot does reach the center now
    assert PHONE_NUMBER.search(center) is None  # no invented phone numbers
    assert minji.last.buttons == ["해결했어요 → 계속", "✍️ 센터에 질문 남기기", "◀ 다른 문제 보기"]

    await minji.click("◀ 다른 문제 보기")
    neis = only_edit(await minji.click("🏫 학교(NEIS)에 봉사시간이 안 보여요"), guide.message_id)
    for needed in ("VMS → 1365 → NEIS", "1시간이 안 되는 실적", "3월 1일부터 다음 해 2월 말까지"):
        assert needed in neis, needed

    back = only_edit(await minji.click("해결했어요 → 계속"), guide.message_id)
    assert "5단계 중 3단계" in back and "'정보 수정'" in back


async def test_each_stuck_answer_names_what_to_do(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/howto")
    await minji.click(STUCK)
    expected = {
        "🔑 계정이 없거나 아이디·비밀번호를 잊었어요": "비밀번호 찾기",
        "🧭 메뉴를 못 찾겠어요": "'나의자원봉사' → '회원정보관리' → '자원봉사활동 부가정보'",
        "💤 1365 계정이 없어졌어요": "다시 회원가입",
        "❌ 동의했는데 전송이 안 돼요": "1365연계 결과조회",
    }
    for button, needed in expected.items():
        seen = await minji.click(button)
        assert needed in seen.text, button
        await minji.click("◀ 다른 문제 보기")


async def test_restart_mid_guide_resumes_at_the_same_step(
    sandbox: BotApiSandbox, start_bot: StartBot, clock: FakeClock
) -> None:
    first = await start_bot()
    minji = User(sandbox, first, 1001)
    await minji.send("/howto")
    await finish_site(minji, DONE_1365)  # unlinked: on to VMS
    await walk(minji, 2)
    vms = minji.message_with_button(NEXT)
    await first.stop()

    second = await start_bot()
    minji = User(sandbox, second, 1001)
    # The message from before the restart still works: its token is in the store.
    text = only_edit(await minji.click(NEXT, message_id=vms.message_id), vms.message_id)
    assert "5단계 중 4단계" in text
    await minji.click(PREV)
    await second.stop()

    clock.advance(timedelta(days=7))
    third = await start_bot()
    minji = User(sandbox, third, 1001)
    seen = await minji.send("/howto")
    (offer,) = seen.new
    assert "VMS 안내 3단계" in offer.text
    assert offer.buttons == ["▶ 이어서 하기 (VMS 안내 3단계)", "↺ 처음부터"]
    # The old guide message is retired: one guide message with live buttons at a time.
    assert [m.message_id for m in seen.edited] == [vms.message_id]
    assert "새 안내로 바뀌었어요" in seen.edited[0].text and seen.edited[0].buttons == []

    text = only_edit(await minji.click("▶ 이어서 하기 (VMS 안내 3단계)"), offer.message_id)
    assert "VMS에서 동의하기" in text and "5단계 중 3단계" in text
    stored = await progress(third, 1001)
    assert stored is not None and stored.consent_1365 == SiteConsent("self")


async def test_start_over_from_the_offer(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/howto")
    await walk(minji, 3)
    (offer,) = (await minji.send("/howto")).new
    assert "1365 안내 4단계" in offer.text
    seen = await minji.click("↺ 처음부터")
    assert [m.message_id for m in seen.edited] == [offer.message_id]
    assert "두 사이트 모두에서 동의해야 해요" in seen.edited[0].text
    assert "5단계 중 1단계" in seen.new[0].text


async def test_english_volunteer_gets_english_with_the_korean_labels(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    tom = user(1002, first_name="Tom", language_code="en")
    seen = await tom.send("/start")
    assert seen.new[0].buttons[0] == "📋 How to link"
    await link(bot, gateway, 1002, "sora2008")
    intro, first = (await tom.click("📋 How to link")).new
    assert "consent on both sites" in intro.text and "1365 first" in intro.text
    assert "Step 1 of 5" in first.text
    assert first.buttons == ["Next ▶", "😥 I'm stuck", "🌐 Open 1365"]
    transcript = [first.text]
    guide = tom.message_with_button("Next ▶")
    for _ in range(4):
        transcript.append(only_edit(await tom.click("Next ▶"), guide.message_id))

    await tom.click("😥 I'm stuck")
    answer = (await tom.click("🪪 My resident registration number changed")).text
    assert "'정보제공 동의 초기화'" in answer and "실명인증" in answer
    assert "Step 5 of 5" in (await tom.click("Solved → continue")).text

    gateway.set_consents("sora2008", portal=date(2019, 9, 11))
    seen = await tom.click("✅ My 1365 consent is done")
    assert "You agreed on 2019-09-11." in seen.edited[0].text
    vms = seen.new[0]
    transcript.append(vms.text)
    for _ in range(4):
        transcript.append(only_edit(await tom.click("Next ▶"), vms.message_id))
    gateway.set_consents("sora2008", vms=date(2020, 3, 19))
    seen = await tom.click("✅ My VMS consent is done")
    assert "You agreed on 2020-03-19." in seen.edited[0].text
    assert "You've consented on both sites!" in seen.new[0].text

    everything = "\n".join(transcript)
    for label in (*LABELS_1365, *LABELS_VMS):
        assert label in everything, label
