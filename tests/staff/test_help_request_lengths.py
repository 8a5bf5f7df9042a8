"""Questions and answers are measured as Telegram measures them (UTF-16 code units of the
whole message, heading and summary included), and every failure says its real reason."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.helpers.help_requests import ASK, SENT, ask, copy_for, staff_team
from tests.helpers.linking import link
from tests.journey import User
from tests.staff.helpers import services

EMOJI = "😀"  # one character, two UTF-16 code units: Telegram counts it as 2
LIMIT = 4096


def _over(text: str) -> int:
    """The overshoot the bot reported ("…보다 N자 길어요")."""
    found = re.search(r"\((\d+)자\)보다 (\d+)자 길어요", text)
    assert found is not None, text
    assert int(found[1]) == LIMIT
    return int(found[2])


def _shortened(text: str, by: int) -> str:
    """`text` (emoji) shortened by exactly `by` UTF-16 units."""
    if by % 2 == 0:
        return text[: len(text) - by // 2]
    return text[: len(text) - (by + 1) // 2] + "a"


async def test_a_question_of_2000_emoji_is_refused_as_too_long_and_fits_once_shortened(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, gateway: GatewaySandbox
) -> None:
    await staff_team(user, bot)
    minji = user(1001)
    await minji.send("/start")
    await link(minji, gateway, "kindly0904")
    await minji.send("/status")  # the summary staff see makes the copy longer
    await minji.send("/help")
    await minji.click(ASK)
    question = EMOJI * 2000  # 2,000 characters, 4,000 to Telegram: the copy would not fit
    refused = await minji.send(question)
    assert len(refused.texts) == 1
    text = refused.texts[0]
    assert text.startswith("질문이 너무 길어요.") and "2자로" in text
    assert "연락이 닿는 담당자가 없어서" not in text
    assert await services(bot).help_requests.open_count() == 0
    # The prompt stays open; shortened by what it said, the question reaches every staff copy.
    fits = _shortened(question, _over(text))
    assert (await minji.send(fits)).texts == [SENT]
    for staff in (9001, 2002):
        assert fits in copy_for(sandbox, staff, 1).text
    assert sandbox.rejections == []


async def test_an_answer_of_2045_emoji_is_refused_as_too_long_not_as_blocked(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    _, sujin = await staff_team(user, bot)
    minji = user(1001)
    await minji.send("/start")
    assert await ask(minji, "질문") == SENT
    copy = copy_for(sandbox, 2002, 1)
    answer = EMOJI * 2045  # 4,090 units, and the heading makes it more than 4,096
    seen = await sujin.reply(copy.message_id, answer)
    assert len(seen.texts) == 1 and seen.texts[0].startswith("답이 너무 길어요.")
    assert "차단" not in seen.text
    over = _over(seen.text)
    assert await services(bot).help_requests.open_count() == 1
    # Exactly Telegram's limit once shortened by what it said: it goes through.
    fits = _shortened(answer, over)
    assert (await sujin.reply(copy.message_id, fits)).texts == ["봉사자에게 답을 전했어요."]
    assert minji.last.text.endswith(fits)
    assert sandbox.rejections == []
    volunteer = await services(bot).users.get(1001)
    assert volunteer is not None and volunteer.blocked_at is None


@pytest.mark.rejections_expected
async def test_an_answer_to_a_chat_that_is_gone_says_so_and_not_blocked(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    _, sujin = await staff_team(user, bot)
    minji = user(1001)
    await minji.send("/start")
    assert await ask(minji, "질문") == SENT
    await sandbox.forget_chat(1001)  # Telegram answers 400 "chat not found"
    seen = await sujin.reply(copy_for(sandbox, 2002, 1).message_id, "답이에요")
    assert seen.texts == [
        "봉사자의 텔레그램 계정이 없어졌거나 대화방을 찾을 수 없어서 답을 전하지 못했어요. "
        "봉사자가 다시 봇에 글을 쓰면 이 문의에 다시 답할 수 있어요."
    ]
    assert [r.description for r in sandbox.rejections] == ["Bad Request: chat not found"]
