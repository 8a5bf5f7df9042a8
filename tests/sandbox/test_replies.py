"""Replies both ways: the bot's reply_parameters and a user's reply to a bot message arrive
with reply_to_message, as the Bot API documents (that message without its own reply)."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot, ReplyParameters
from telegram.error import BadRequest

from sandbox.botapi import BotApiSandbox

from .conftest import USER


async def test_a_bot_reply_carries_the_message_it_answers(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    question = await bot.send_message(started, "질문")
    answer = await bot.send_message(
        started, "답", reply_parameters=ReplyParameters(question.message_id)
    )
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.message_id == question.message_id
    assert answer.reply_to_message.text == "질문"
    # The replied-to message carries no reply of its own, even when it is one.
    again = await bot.send_message(
        started, "또", reply_parameters=ReplyParameters(answer.message_id)
    )
    assert again.reply_to_message is not None
    assert again.reply_to_message.reply_to_message is None


async def test_a_missing_target_is_refused_unless_sending_without_reply_is_allowed(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(started, "x", reply_parameters=ReplyParameters(999))
    sent = await bot.send_message(
        started, "x", reply_parameters=ReplyParameters(999, allow_sending_without_reply=True)
    )
    assert sent.reply_to_message is None
    sandbox.rejections.clear()


async def test_a_user_reply_to_a_bot_message_arrives_with_that_message(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    asked = await bot.send_message(started, "<b>문의 #1</b>", parse_mode="HTML")
    receipt = await sandbox.user_send(USER, "답이에요", reply_to_message_id=asked.message_id)
    updates = await bot.get_updates(timeout=0)
    message = next(u.message for u in updates if u.update_id == receipt.update_id)
    assert message is not None and message.reply_to_message is not None
    assert message.reply_to_message.message_id == asked.message_id
    assert message.reply_to_message.text == "문의 #1"
    assert message.reply_to_message.from_user is not None
    assert message.reply_to_message.from_user.id == bot.id


async def test_a_user_cannot_reply_to_a_message_the_chat_does_not_have(
    sandbox: BotApiSandbox, started: int
) -> None:
    with pytest.raises(LookupError):
        await sandbox.user_send(USER, "답", reply_to_message_id=999)


async def test_the_http_user_side_sends_replies(
    sandbox: BotApiSandbox, bot: Bot, http: httpx.AsyncClient, started: int
) -> None:
    asked = await bot.send_message(started, "질문")
    response = await http.post(
        "/sandbox/send",
        json={"user_id": USER, "text": "답", "reply_to_message_id": asked.message_id},
    )
    assert response.json()["ok"] is True
    entry = sandbox.transcript(started)[-1]
    assert entry.reply_to_message_id == asked.message_id
