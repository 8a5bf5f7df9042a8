"""Edits, deletions, and how the transcript and the event stream record them."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden

from sandbox.botapi import BotApiSandbox

from .conftest import last_description

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=t) for t in labels]])


async def test_identical_edit_is_not_modified(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    sent = await bot.send_message(
        started, "<b>단계 1</b>", parse_mode="HTML", reply_markup=keyboard("다음")
    )
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await sent.edit_text("<b>단계 1</b>", parse_mode="HTML", reply_markup=keyboard("다음"))
    assert last_description(sandbox) == NOT_MODIFIED
    with pytest.raises(BadRequest):
        await sent.edit_reply_markup(reply_markup=keyboard("다음"))
    assert last_description(sandbox) == NOT_MODIFIED


async def test_edit_text_returns_the_message_and_drops_an_omitted_keyboard(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    sent = await bot.send_message(started, "단계 1", reply_markup=keyboard("다음"))
    edited = await sent.edit_text("단계 1")  # same text, but the keyboard goes: a change
    assert isinstance(edited, Message)
    assert edited.edit_date is not None and edited.reply_markup is None
    (entry,) = sandbox.bot_messages(started)
    assert entry.edited and entry.buttons == [] and entry.edit_date is not None
    again = await bot.edit_message_reply_markup(
        started, sent.message_id, reply_markup=keyboard("뒤로", "완료")
    )
    assert isinstance(again, Message)
    assert sandbox.bot_messages(started)[0].buttons == ["뒤로", "완료"]


@pytest.mark.parametrize(
    ("message_id", "description"),
    [
        (999, "Bad Request: message to edit not found"),
        (1, "Bad Request: message can't be edited"),  # the user's own /start
    ],
)
async def test_editing_what_is_not_the_bots_is_rejected(
    sandbox: BotApiSandbox, bot: Bot, started: int, message_id: int, description: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.edit_message_text("x", chat_id=started, message_id=message_id)
    assert last_description(sandbox) == description


async def test_edit_text_limits(sandbox: BotApiSandbox, bot: Bot, started: int) -> None:
    sent = await bot.send_message(started, "x")
    with pytest.raises(BadRequest):
        await sent.edit_text("")
    assert last_description(sandbox) == "Bad Request: text must be non-empty"
    with pytest.raises(BadRequest):
        await sent.edit_text("가" * 4097)
    assert last_description(sandbox) == "Bad Request: MESSAGE_TOO_LONG"


async def test_transcript_keeps_deleted_and_edited_messages(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    first = await bot.send_message(started, "하나")
    second = await bot.send_message(started, "둘")
    await second.edit_text("둘!")
    assert await first.delete()
    with pytest.raises(BadRequest):
        await first.delete()
    assert last_description(sandbox) == "Bad Request: message to delete not found"
    with pytest.raises(BadRequest):
        await first.edit_text("부활")
    assert last_description(sandbox) == "Bad Request: message to edit not found"
    rows = [(e.from_bot, e.text, e.edited, e.deleted) for e in sandbox.transcript(started)]
    assert rows == [
        (False, "/start", False, False),
        (True, "하나", False, True),
        (True, "둘!", True, False),
    ]
    assert [e.text for e in sandbox.bot_messages(started)] == ["둘!"]


async def test_bot_may_delete_the_users_private_messages(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    assert await bot.delete_message(started, 1)
    assert await bot.delete_messages(started, [1, 2, 999])  # missing ones are skipped
    assert sandbox.transcript(started)[0].deleted


async def test_but_not_other_peoples_group_messages(sandbox: BotApiSandbox, bot: Bot) -> None:
    sent = await sandbox.user_send(7, "hi", chat_id=-5, chat_type="group")
    assert sent.message_id is not None
    with pytest.raises(BadRequest):
        await bot.delete_message(-5, sent.message_id)
    assert last_description(sandbox) == "Bad Request: message can't be deleted"


async def test_edits_in_a_blocked_chat_are_forbidden(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    sent = await bot.send_message(started, "x")
    await sandbox.user_block(started)
    with pytest.raises(Forbidden):
        await sent.edit_text("y")


async def test_subscribers_see_every_bot_side_change(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    events = sandbox.subscribe()
    sent = await bot.send_message(started, "a")
    await sent.edit_text("b")
    await sent.delete()
    seen = [events.get_nowait() for _ in range(3)]
    assert [(e.kind, e.entry.text) for e in seen] == [("new", "a"), ("edit", "b"), ("delete", "b")]
    assert seen[0].entry.edited is False  # a snapshot, not the live entry
    assert events.empty()


async def test_wait_bot_message_returns_the_next_new_message(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    waiting = asyncio.create_task(sandbox.wait_bot_message(started, after_message_id=1))
    await asyncio.sleep(0.05)
    sent = await bot.send_message(started, "응답")
    entry = await asyncio.wait_for(waiting, 1)
    assert (entry.message_id, entry.text) == (sent.message_id, "응답")
    with pytest.raises(TimeoutError):
        await sandbox.wait_bot_message(started, after_message_id=sent.message_id, timeout=0.1)
