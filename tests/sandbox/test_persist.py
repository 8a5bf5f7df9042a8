"""A sandbox with a state file remembers users, chats and messages across a restart, as
Telegram does when only the bot restarts; one without starts empty, as tests expect."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest

from sandbox.botapi import BotApiSandbox
from tests.sandbox.helpers import png

from .conftest import TOKEN, USER

GROUP = -100_555


async def test_a_restarted_sandbox_keeps_chats_and_messages(tmp_path: Path) -> None:
    state = tmp_path / "telegram.json"
    async with BotApiSandbox(state_path=state) as first:
        assert not first.resumed
        await first.user_send(USER, "/start", first_name="민지")
        await first.user_send(USER + 1, "hi", chat_id=GROUP, chat_type="group", chat_title="동아리")
        async with Bot(TOKEN, base_url=f"{first.base_url}/bot") as bot:
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("다음", callback_data="n")]])
            guide = await bot.send_message(USER, "<b>1단계</b>", reply_markup=keyboard)
    assert state.exists()

    async with BotApiSandbox(state_path=state) as second:
        assert second.resumed
        # A button of a message from before the restart can still be pressed.
        pressed = await second.press(USER, USER, guide.message_id, "다음")
        async with Bot(TOKEN, base_url=f"{second.base_url}/bot") as bot:
            assert pressed.query_id is not None
            await bot.answer_callback_query(pressed.query_id, "👍")
            # What the bot's database remembers still works: the guide message it edits,
            # the user it notifies, the group it answers in.
            await bot.edit_message_text("바뀐 안내", USER, guide.message_id)
            notice = await bot.send_message(USER, "알림")
            await bot.send_message(GROUP, "단체방")
        assert second.rejections == []
        # Message ids go on from where they were, never reusing one.
        assert notice.message_id > guide.message_id
        assert [e.text for e in second.bot_messages(USER)] == ["바뀐 안내", "알림"]
        assert second.world.users[USER].first_name == "민지"
        assert second.world.chats[GROUP].title == "동아리"


async def test_without_a_state_file_a_sandbox_forgets_as_before() -> None:
    async with BotApiSandbox() as first:
        await first.user_send(USER, "/start")
    async with BotApiSandbox() as second:
        assert not second.resumed
        async with Bot(TOKEN, base_url=f"{second.base_url}/bot") as bot:
            # The takeover notice of the issue: "Bad Request: chat not found".
            for chat_id in (USER, GROUP):
                with pytest.raises(BadRequest, match=r"(?i)chat not found"):
                    await bot.send_message(chat_id, "알림")


async def test_an_unreadable_state_file_is_kept_aside_and_the_sandbox_starts_empty(
    tmp_path: Path,
) -> None:
    state = tmp_path / "telegram.json"
    state.write_text('{"format": 1, "users": [', encoding="utf-8")
    async with BotApiSandbox(state_path=state) as sandbox:
        assert not sandbox.resumed
        assert sandbox.world.chats == {}
        await sandbox.user_send(USER, "/start")
    # Nothing is lost: the damaged file is still there for a person to look at.
    assert (tmp_path / "telegram.json.unreadable").read_text(encoding="utf-8").startswith("{")
    async with BotApiSandbox(state_path=state) as again:
        assert again.resumed and USER in again.world.chats


async def test_a_photo_survives_a_restart_with_its_bytes_and_its_file_id(tmp_path: Path) -> None:
    state = tmp_path / "telegram.json"
    picture = png()
    async with BotApiSandbox(state_path=state) as first:
        await first.user_send(USER, "/start", first_name="민지")
        async with Bot(TOKEN, base_url=f"{first.base_url}/bot") as bot:
            sent = await bot.send_photo(USER, InputFile(picture, filename="c.png"), caption="차트")
    async with BotApiSandbox(state_path=state) as second:
        [entry] = second.photos(USER)
        assert entry.photo is not None and entry.photo.data == picture
        assert entry.text == "차트"
        async with Bot(TOKEN, base_url=f"{second.base_url}/bot") as bot:
            # Sending the same photo again by its file_id still works, as on Telegram.
            await bot.send_photo(USER, sent.photo[-1].file_id)
        assert len(second.photos(USER)) == 2
