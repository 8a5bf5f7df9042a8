"""A press run a second time (another worker took its update over after the first died
having answered it) answers again; Telegram refuses that, and the press must go on
(handlers/press_answers.py)."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest
from telegram.ext import ExtBot

from handlers.press_answers import PressAnswers
from sandbox.botapi import BotApiSandbox
from tests.conftest import TOKEN

USER = 4242


@pytest.mark.rejections_expected
async def test_a_second_answer_to_one_press_is_not_an_error(sandbox: BotApiSandbox) -> None:
    bot = ExtBot(TOKEN, base_url=f"{sandbox.base_url}/bot", rate_limiter=PressAnswers(None))
    async with bot:
        await sandbox.user_send(USER, "/start")
        button = InlineKeyboardButton("보내기", callback_data="x")
        sent = await bot.send_message(USER, "?", reply_markup=InlineKeyboardMarkup([[button]]))
        pressed = await sandbox.press(USER, USER, sent.message_id, "보내기")
        assert pressed.query_id is not None
        assert await bot.answer_callback_query(pressed.query_id)
        # The second answer is refused by the Bot API, and taken as done.
        assert await bot.answer_callback_query(pressed.query_id, text="again")
        assert sandbox.callback_answer(pressed.query_id) == {
            "text": None,
            "show_alert": False,
            "url": None,
            "cache_time": 0,
        }
        # Any other refusal still is an error.
        with pytest.raises(BadRequest):
            await bot.send_message(USER + 1, "nobody there")
