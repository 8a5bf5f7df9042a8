"""The last dead ends of issue 10: the center reached from wherever the bot names it, a deleted
1365 account never shown green, and commands in a group that leave the private flow alone."""

from __future__ import annotations

from collections.abc import Callable

from bot.runtime import BotRuntime
from sandbox.gateway import GatewaySandbox
from tests.conftest import ADMIN_ID
from tests.helpers.linking import link
from tests.journey import User
from tests.staff.helpers import services

ASK = "✍️ 센터에 질문 남기기"
PROMPT = "센터 담당자에게 보낼 질문을 한 메시지로 써 주세요"
SENT = "센터에 전했어요"
STUCK, NEXT = "😥 막혔어요", "다음 ▶"


async def admin_ready(user: Callable[..., User]) -> User:
    admin = user(ADMIN_ID, first_name="관리")
    await admin.send("/start")  # the admin's chat exists, so the copy can reach it
    return admin


async def test_a_stuck_answer_in_the_guide_writes_to_the_center(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin = await admin_ready(user)
    minji = user(1001)
    await minji.send("/howto")
    guide = minji.message_with_button(NEXT)
    await minji.click(NEXT)
    await minji.click(STUCK)
    await minji.click("🧭 메뉴를 못 찾겠어요")
    assert ASK in minji.last.buttons and minji.last.message_id == guide.message_id

    prompt = await minji.click(ASK)
    assert PROMPT in prompt.text
    assert SENT in (await minji.send("'정보 수정'이 안 보여요")).text
    assert "'정보 수정'이 안 보여요" in admin.last.text  # the staff copy
    assert await services(bot).help_requests.open_count() == 1
    # The guide's own buttons still work after the question (they carry their own token).
    back = await minji.click("해결했어요 → 계속", guide.message_id)
    assert "5단계 중 2단계" in back.edited[0].text


async def test_the_guides_center_screen_shows_the_contact_and_the_ask_button(
    user: Callable[..., User],
) -> None:
    await admin_ready(user)  # the button shows only where a staff member can receive it
    minji = user(1001)
    await minji.send("/howto")
    await minji.click(STUCK)
    seen = await minji.click("☎️ 센터에 문의")
    assert "소속 자원봉사센터" in seen.text  # CENTER_CONTACT unset: contact.unset
    assert "아직 이 봇에서" not in seen.text
    assert ASK in minji.last.buttons
    assert PROMPT in (await minji.click(ASK)).text


async def test_the_centers_contact_answer_offers_to_write(user: Callable[..., User]) -> None:
    await admin_ready(user)
    minji = user(1001)
    seen = await minji.send("센터에 전화하고 싶어요")
    assert "소속 자원봉사센터" in seen.text
    assert seen.new[0].buttons[0] == ASK
    assert PROMPT in (await minji.click(ASK)).text


async def test_a_taken_over_link_says_how_to_tell_the_center(
    user: Callable[..., User], gateway: GatewaySandbox
) -> None:
    await admin_ready(user)
    minji, other = user(1001), user(1002, first_name="누군가")
    await link(minji, gateway)
    await link(other, gateway)
    notice = minji.last
    assert "연결은 끊어졌어요" in notice.text and "소속 자원봉사센터" in notice.text
    assert notice.buttons == [ASK]
    assert PROMPT in (await minji.click(ASK)).text


async def test_a_deleted_1365_account_is_never_green(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    """jiwoo0521: 1365 consent on record, 1365 account deleted for dormancy."""
    admin = await admin_ready(user)
    jiwoo = user(1001)
    linked = await link(jiwoo, gateway, "jiwoo0521")
    gone = "⚠️ 1365 정보제공 동의: 1365 계정이 없어져 다시 해야 해요."
    for seen in (linked, await jiwoo.send("/start")):
        assert "✅ 1365" not in seen.text and gone in seen.text
        assert "✅ VMS 연계 동의: 2021년 5월 21일에 동의하셨어요." in seen.text
        assert seen.new[0].buttons[0] == "📋 1365 정보제공 동의 방법 보기"
    # The staff copy of a question does not call that consent "done" either.
    await jiwoo.send("/status")
    await jiwoo.send("/help")
    await jiwoo.click(ASK)
    await jiwoo.send("1365에 봉사시간이 안 보여요")
    assert "동의: 1365 계정 없음 · VMS 완료" in admin.last.text


async def test_help_in_a_group_leaves_the_private_link_flow_open(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    await admin_ready(user)
    minji = user(1001)
    in_group = user(1001, chat_id=-100123, chat_type="supergroup")
    await minji.send("/link")
    assert "인증번호가 가요" in (await minji.send("kindly0904")).text
    seen = await in_group.send("/help")
    assert "이렇게 쓰시면 돼요" in seen.text
    # In a group the question is written in private: a link to /start ask, not a dead button.
    ask = seen.new[0].reply_markup[0][0]
    assert ask["text"] == ASK
    assert ask["url"] == f"https://t.me/{bot.app.bot.username}?start=ask"
    code = await gateway.delivered_code("kindly0904")
    assert code is not None
    assert "연결했어요" in (await minji.send(code)).text  # still read as the code


async def test_a_private_command_still_closes_the_private_flow(
    user: Callable[..., User],
) -> None:
    """The rule groups are spared from still holds in private: /help moves on from /link."""
    minji = user(1001)
    await minji.send("/link")
    await minji.send("kindly0904")
    await minji.send("/help")
    seen = await minji.send("123456")
    assert "연결했어요" not in seen.text and "인증번호" not in seen.text
