"""Issue 17, part 4: a question is never lost and "센터에 질문 남기기" never leads nowhere.

The button shows only where a staff member can receive the question; an accepted question is
kept (text and all) until its answer reaches the volunteer or it expires after 14 days, and
the volunteer hears which; with nobody to receive it the volunteer is told so plainly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.helpers.help_requests import ASK, SENT, ask, copy_for, staff_team
from tests.journey import User
from tests.staff.helpers import services


async def questions(bot: BotRuntime) -> list[tuple[object, ...]]:
    backend = bot.app.bot_data.backend
    assert backend is not None
    rows = await backend.db.fetch_all(
        "SELECT id, question, answered_at IS NOT NULL AS answered, expired_at IS NOT NULL AS"
        " expired FROM help_requests ORDER BY id"
    )
    return [tuple(r) for r in rows]


async def test_with_no_staff_and_no_contact_the_bot_says_so_and_offers_the_guide_and_faq(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    # The admin is configured but never wrote to the bot: nobody can receive a question.
    minji = user(1001)
    await minji.send("/start")
    shown = await minji.send("/help")
    assert ASK not in shown.new[0].buttons
    # An old button or a poster's deep link still leads somewhere, never to a dead end.
    told = await minji.send("/start ask")
    assert told.texts == [
        "이 봇에는 아직 질문을 받을 센터 담당자가 없어서, 여기서 질문을 남길 수 없어요. "
        "아래에서 자주 묻는 질문의 답과 동의 안내를 볼 수 있어요. "
        "그래도 해결되지 않으면 소속 자원봉사센터나 봉사하신 기관에 문의해 주세요."
    ]
    buttons = told.new[0].buttons
    assert {"⏱ 봉사시간은 언제 들어와요?", "📋 연계 방법 안내"} <= set(buttons), buttons
    assert ASK not in buttons
    # No flow is open: a question typed now gets an answer, not "sent to the center".
    assert SENT not in (await minji.send("언제 1365에 보여요?")).texts
    assert await questions(bot) == []
    # Once a staff member has written to the bot, the button is back.
    admin = user(ADMIN_ID, first_name="관리")
    await admin.send("/start")
    assert ASK in (await minji.send("/help")).new[0].buttons


async def test_an_answered_question_keeps_its_text_until_the_answer_arrives(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    _, sujin = await staff_team(user, bot)
    minji = user(1001)
    await minji.send("/start")
    assert await ask(minji, "전송이 안 돼요") == SENT
    assert await questions(bot) == [(1, "전송이 안 돼요", 0, 0)]
    await sujin.reply(copy_for(sandbox, 2002, 1).message_id, "동의를 확인해 보세요")
    assert await questions(bot) == [(1, None, 1, 0)]


async def test_an_unanswered_question_expires_after_14_days_and_the_volunteer_is_told_once(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    _, sujin = await staff_team(user, bot)
    minji = user(1001)
    await minji.send("/start")
    assert await ask(minji, "아무도 답하지 않을 질문") == SENT
    before = len(sandbox.bot_messages(1001))
    clock.advance(timedelta(days=13, hours=23))
    await bot.poller.run_due()
    assert len(sandbox.bot_messages(1001)) == before
    clock.advance(timedelta(hours=1))
    await bot.poller.run_due()
    told = [m.text for m in sandbox.bot_messages(1001)][before:]
    assert len(told) == 1 and "14일 동안 답이 오지 않아서 닫았어요" in told[0], told
    assert await questions(bot) == [(1, None, 0, 1)]
    clock.advance(timedelta(days=30))
    await bot.poller.run_due()
    assert len(sandbox.bot_messages(1001)) == before + 1  # at most once
    # A late reply is told plainly; nothing reaches the volunteer.
    late = await sujin.reply(copy_for(sandbox, 2002, 1).message_id, "늦은 답")
    assert late.texts == [
        "14일 동안 답이 없어서 닫힌 문의예요. 봉사자에게는 닫혔다고 알렸고 질문 내용은 지웠어요."
    ]
    assert len(sandbox.bot_messages(1001)) == before + 1
    # /privacy says how long a question is kept.
    assert "14일 뒤에 내용을 지워요" in (await minji.send("/privacy")).text


@pytest.mark.rejections_expected
async def test_a_question_that_reached_nobody_is_kept_and_delivered_later(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    sujin = user(2002, first_name="수진")
    await sujin.send("/start")
    await services(bot).staff.add(2002, added_by=ADMIN_ID)
    minji = user(1001)
    await minji.send("/start")
    await sandbox.user_block(2002)  # the bot does not know yet: the button is shown
    answer = await ask(minji, "내 질문이 사라지나요?")
    assert answer.startswith("지금은 센터 담당자에게 질문을 바로 전하지 못했어요.")
    assert "남겨 두고 다시 전해 볼게요" in answer
    assert "남아 있지도 않아요" not in answer
    assert ASK not in minji.last.buttons  # never the same failing button again
    assert await questions(bot) == [(1, "내 질문이 사라지나요?", 0, 0)]
    # Sujin comes back; the kept question reaches her, and the volunteer hears it.
    await sandbox.user_unblock(2002)
    await sujin.send("/start")
    clock.advance(timedelta(hours=3))
    await bot.poller.run_due()
    assert "내 질문이 사라지나요?" in copy_for(sandbox, 2002, 1).text
    assert "남겨 두신 질문(문의 #1)을 센터 담당자에게 전했어요" in minji.last.text
    await sujin.reply(copy_for(sandbox, 2002, 1).message_id, "아니요")
    assert "아니요" in minji.last.text
    assert await questions(bot) == [(1, None, 1, 0)]


async def test_forget_deletes_a_kept_question_and_its_expiry(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    await staff_team(user, bot)
    minji = user(1001)
    await minji.send("/start")
    await ask(minji, "지워질 질문")
    await minji.send("/forget")
    await minji.click("네, 모두 지워 주세요")
    assert await questions(bot) == []
    assert await services(bot).help_requests.undelivered(1001) == []
    backend = bot.app.bot_data.backend
    assert backend is not None
    row = await backend.db.fetch_one("SELECT COUNT(*) AS n FROM due_work WHERE kind LIKE 'help.%'")
    assert row is not None and row["n"] == 0
