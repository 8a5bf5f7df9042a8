"""Holds: one call stopped after it is carried out (or before), until the test lets it go."""

from __future__ import annotations

import asyncio

from telegram import Bot

from sandbox.botapi import BotApiSandbox


async def test_a_delivered_hold_keeps_the_answer_back_with_the_message_already_there(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    hold = sandbox.hold("sendMessage", started, "결과", delivered=True)
    other = await bot.send_message(started, "다른 말")  # not matched: answered at once
    call = asyncio.create_task(bot.send_message(started, "전송 결과"))
    await asyncio.wait_for(hold.reached.wait(), 5)
    assert [m.text for m in sandbox.bot_messages(started)] == ["다른 말", "전송 결과"]
    assert not call.done()
    hold.release()
    message = await call
    assert message.message_id > other.message_id
    await bot.send_message(started, "결과 또")  # a hold matches once
    assert len(sandbox.bot_messages(started)) == 3


async def test_a_hold_before_keeps_the_message_from_happening_until_released(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    hold = sandbox.hold("sendMessage", started, "결과", delivered=False)
    call = asyncio.create_task(bot.send_message(started, "전송 결과"))
    await asyncio.wait_for(hold.reached.wait(), 5)
    assert sandbox.bot_messages(started) == []
    hold.release()
    await call
    assert [m.text for m in sandbox.bot_messages(started)] == ["전송 결과"]
