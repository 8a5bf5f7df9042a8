"""/howto when things go wrong: stale and repeated presses, free text, the gateway down.

The sandbox fixture fails any test in which the Bot API rejected a request, so every test here
also proves that no "message is not modified" or other 400 reached Telegram.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.runtime import BotRuntime
from sandbox.gateway import GatewaySandbox
from store.guide import GuideRepository, SiteConsent
from tests.helpers.guide import (
    CHECK,
    DONE_1365,
    DONE_VMS,
    NEXT,
    link,
    only_edit,
    progress,
    walk,
)
from tests.journey import User


def guide_data(message, label: str) -> str:  # type: ignore[no-untyped-def]
    """The callback data behind a button, as a client would send it again."""
    for row in message.reply_markup:
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r}")


async def test_pressing_next_twice_moves_one_step(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/howto")
    guide = minji.message_with_button(NEXT)
    data = guide_data(guide, NEXT)
    assert data.endswith(":go:1365:2")  # the target step travels in the data
    first = await minji.click_data(guide.message_id, data)
    assert "5단계 중 2단계" in only_edit(first, guide.message_id)
    again = await minji.click_data(guide.message_id, data)
    assert again.new == [] and again.edited == []  # nothing changed, nothing sent
    stored = await progress(bot, 1001)
    assert stored is not None and stored.step == 2


async def test_pressing_done_twice_finishes_the_site_once(user: Callable[..., User]) -> None:
    minji = user(1001)
    await minji.send("/howto")
    await walk(minji, 4)
    guide = minji.message_with_button(DONE_1365)
    data = guide_data(guide, DONE_1365)
    first = await minji.click_data(guide.message_id, data)
    assert len(first.new) == 1 and "VMS에서 동의하기" in first.new[0].text
    again = await minji.click_data(guide.message_id, data)
    assert again.new == [] and again.edited == []
    assert again.toast is not None and "새 안내로 바뀌었어요" in again.toast["text"]


async def test_buttons_of_a_replaced_guide_point_to_the_current_one(
    user: Callable[..., User],
) -> None:
    minji = user(1001)
    await minji.send("/howto")
    old = minji.message_with_button(NEXT)
    old_next = guide_data(old, NEXT)
    await walk(minji, 2)
    seen = await minji.send("/howto")
    (offer,) = seen.new
    assert "1365 안내 3단계" in offer.text
    assert [m.message_id for m in seen.edited] == [old.message_id]  # retired, buttons gone

    for data in (old_next, old_next.replace(":go:1365:2", ":stuck:1365:2")):
        seen = await minji.click_data(old.message_id, data)
        assert seen.toast is not None and "새 안내로 바뀌었어요" in seen.toast["text"]
        assert seen.new == [] and seen.edited == []
    # The current guide is untouched and still works.
    seen = await minji.click("▶ 이어서 하기 (1365 안내 3단계)")
    assert "5단계 중 3단계" in only_edit(seen, offer.message_id)


async def test_a_leftover_guide_message_is_retired_and_the_current_step_resent(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/howto")
    await walk(minji, 1)
    leftover = minji.message_with_button(NEXT)
    # Two newer guide messages that never arrived (a crash between store and send, say):
    # the message on screen still has buttons, but its token is two generations old.
    repo = GuideRepository(bot.app.bot_data.backend.db)  # type: ignore[union-attr]
    await repo.hand_over(1001, leftover_token(leftover), "aaaaaa", "1365", 4)
    await repo.hand_over(1001, "aaaaaa", "bbbbbb", "1365", 4)

    seen = await minji.click(NEXT)
    assert seen.toast is not None and "다시 보내 드렸어요" in seen.toast["text"]
    assert [m.message_id for m in seen.edited] == [leftover.message_id]
    assert "새 안내로 바뀌었어요" in seen.edited[0].text and seen.edited[0].buttons == []
    (current,) = seen.new
    assert "5단계 중 4단계" in current.text
    assert "5단계 중 5단계" in only_edit(await minji.click(NEXT), current.message_id)


def leftover_token(message) -> str:  # type: ignore[no-untyped-def]
    return guide_data(message, NEXT).split(":")[1]


async def test_forged_guide_data_is_answered_not_obeyed(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/howto")
    guide = minji.message_with_button(NEXT)
    token = leftover_token(guide)
    for data in ("g:ffffff:go:1365:2", f"g:{token}:go:vms:2", f"g:{token}:next:vms"):
        seen = await minji.click_data(guide.message_id, data)
        assert seen.toast is not None, data
        assert seen.new == [], data
    for data in (f"g:{token}:go:1365:9", f"g:{token}:help:1365:1:nope", "g:"):
        seen = await minji.click_data(guide.message_id, data)
        assert seen.toast is not None and "더 이상 쓸 수 없어요" in seen.toast["text"], data
    stored = await progress(bot, 1001)
    assert stored is not None and (stored.stage, stored.step) == ("1365", 1)


async def test_free_text_mid_guide_gets_a_hint_and_the_guide_stays(
    user: Callable[..., User],
) -> None:
    minji = user(1001)
    await minji.send("/howto")
    guide = minji.message_with_button(NEXT)
    await walk(minji, 1)
    seen = await minji.send("정보 수정이 어디 있어요?")
    (hint,) = seen.new
    assert "버튼으로 진행해 주세요" in hint.text and "1365 안내 2단계" in hint.text
    assert seen.edited == []
    # A resident number typed mid-guide is deleted by the guard, never echoed by the guide.
    seen = await minji.send("제 번호 900101-1234567 이에요")
    assert "900101" not in seen.text and "주민등록번호로 보이는 내용" in seen.text
    assert "5단계 중 3단계" in only_edit(await minji.click(NEXT), guide.message_id)
    # /cancel leaves the guide; its buttons still work, and /howto offers to continue.
    assert "/howto" in (await minji.send("/cancel")).text
    assert "무엇을 도와드릴까요" in (await minji.send("아무 말")).text
    assert "5단계 중 4단계" in only_edit(await minji.click(NEXT), guide.message_id)
    assert "1365 안내 4단계" in (await minji.send("/howto")).text


async def test_gateway_down_keeps_the_word_and_the_check_can_be_retried(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    await link(bot, gateway, 1001, "sora2008")
    gateway.set_outage(True)
    intro = (await minji.send("/howto")).new[0]
    assert "미리 확인하지 못했어요" in intro.text
    await walk(minji, 4)
    guide = minji.message_with_button(DONE_1365)

    text = only_edit(await minji.click(DONE_1365), guide.message_id)
    assert "VMS 연계 서버에 연결할 수 없어서 1365 정보제공 동의를 확인하지 못했어요" in text
    assert minji.last.buttons == [CHECK, "VMS로 넘어가기 ▶"]
    stored = await progress(bot, 1001)
    assert stored is not None and stored.consent_1365 == SiteConsent("self")
    # Still down: checking again changes nothing on screen and sends nothing.
    again = await minji.click(CHECK)
    assert again.new == [] and again.edited == []

    gateway.set_outage(False)
    gateway.set_consents("sora2008", portal=date(2019, 9, 11))
    seen = await minji.click(CHECK)
    assert "2019년 9월 11일에 동의하셨어요" in seen.edited[0].text
    assert "VMS에서 동의하기" in seen.new[0].text
    stored = await progress(bot, 1001)
    assert stored is not None and stored.consent_1365 == SiteConsent("confirmed", date(2019, 9, 11))


async def test_gateway_down_volunteer_may_go_on_and_check_later(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/start")
    await link(bot, gateway, 1001, "sora2008")
    await minji.send("/howto")
    gateway.set_outage(True)
    await walk(minji, 4)
    await minji.click(DONE_1365)
    seen = await minji.click("VMS로 넘어가기 ▶")
    assert "기록해 뒀어요" in seen.edited[0].text and "VMS에서 동의하기" in seen.new[0].text
    await walk(minji, 4)
    await minji.click(DONE_VMS)
    seen = await minji.click("마치기 ▶")
    assert "/howto 에서 동의를 확인할 수 있어요" in seen.new[0].text
    # Back up, and the consent really is missing: /howto starts at 1365 again.
    gateway.set_outage(False)
    assert "1365 자원봉사포털에서 동의하기" in (await minji.send("/howto")).new[-1].text
