"""Concurrency between users, order within a user, errors, blocked users, shutdown and restart."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.context import BotContext
from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from store.users import UserRepository
from tests.conftest import StartBot
from tests.journey import User

# A bound on waiting for events that a broken bot would never deliver; not a speed claim.
WAIT = 20.0


def add_before_everything(bot: BotRuntime, callback) -> None:  # type: ignore[no-untyped-def]
    """A test-only handler in a group that runs before the production guards."""
    bot.app.add_handler(TypeHandler(Update, callback), group=-100)


async def test_a_slow_user_does_not_delay_another(
    user: Callable[..., User], sandbox: BotApiSandbox, bot: BotRuntime
) -> None:
    # User 1001's update is held until user 1002 has had an answer: if one user's update could
    # hold up another's, 1002 would never be answered and the wait below would time out.
    entered, quick_answered = asyncio.Event(), asyncio.Event()

    async def slow_for_1001(update: Update, context: BotContext) -> None:
        if update.effective_user and update.effective_user.id == 1001:
            entered.set()
            await quick_answered.wait()

    add_before_everything(bot, slow_for_1001)
    slow, quick = user(1001), user(1002)
    slow_task = asyncio.create_task(slow.send("/help"))
    await asyncio.wait_for(entered.wait(), WAIT)
    seen = await asyncio.wait_for(quick.send("/help"), WAIT)
    assert "이렇게 쓰시면 돼요" in seen.text
    assert not slow_task.done()
    quick_answered.set()
    assert "이렇게 쓰시면 돼요" in (await asyncio.wait_for(slow_task, WAIT)).text


async def test_one_users_updates_keep_their_order(
    user: Callable[..., User], sandbox: BotApiSandbox, bot: BotRuntime
) -> None:
    async def first_is_slowest(update: Update, context: BotContext) -> None:
        if update.effective_message and update.effective_message.text == "/help":
            await asyncio.sleep(0.3)

    add_before_everything(bot, first_is_slowest)
    ids = []
    for text in ("/help", "/cancel", "/frob"):
        sent = await sandbox.user_send(1001, text, first_name="민지")
        ids.append(sent.update_id)
    for update_id in ids:
        await bot.processor.wait_processed(update_id)
    replies = [m.text for m in sandbox.bot_messages(1001)]
    assert "이렇게 쓰시면 돼요" in replies[0]
    assert "진행 중인 일이 없어요" in replies[1]
    assert "/frob" in replies[2]


async def test_a_crashing_handler_gets_an_apology_and_a_log_line(
    user: Callable[..., User], bot: BotRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode(update: Update, context: BotContext) -> None:
        if update.effective_message and update.effective_message.text == "boom":
            raise RuntimeError("simulated crash")

    add_before_everything(bot, explode)
    minji = user(1001, language_code="en")
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        sent = await minji.send("boom")
    assert (
        seen_text(sent) == "Sorry, something went wrong on my side. Please try again in a moment."
    )
    assert any("failed: RuntimeError" in r.getMessage() for r in caplog.records)
    assert all("Traceback" not in m.text for m in sent.new)
    # The bot is still fine afterwards.
    assert "How to use me" in (await minji.send("/help")).text


def seen_text(seen) -> str:  # type: ignore[no-untyped-def]
    return seen.text


@pytest.mark.rejections_expected
async def test_a_user_who_blocked_the_bot_is_marked(
    user: Callable[..., User], sandbox: BotApiSandbox, bot: BotRuntime
) -> None:
    async def block_first(update: Update, context: BotContext) -> None:
        if update.effective_message and update.effective_message.text == "/help":
            await sandbox.user_block(1001)

    minji = user(1001)
    await minji.send("/start")
    add_before_everything(bot, block_first)
    await minji.send("/help")
    stored = await UserRepository(bot.app.bot_data.backend.db).get(1001)  # type: ignore[union-attr]
    assert stored is not None and stored.blocked_at is not None
    assert [r.error_code for r in sandbox.rejections] == [403]
    # Writing again means they are back.
    await sandbox.user_unblock(1001)
    await minji.send("/start")
    stored = await UserRepository(bot.app.bot_data.backend.db).get(1001)  # type: ignore[union-attr]
    assert stored is not None and stored.blocked_at is None


async def test_stop_lets_in_flight_updates_finish(sandbox: BotApiSandbox, bot: BotRuntime) -> None:
    started = asyncio.Event()

    async def slow(update: Update, context: BotContext) -> None:
        started.set()
        await asyncio.sleep(0.5)

    add_before_everything(bot, slow)
    await sandbox.user_send(1001, "/help", first_name="민지")
    # In a handler, not merely fetched: an update fetched but not yet handed to the
    # application when the updater stops is left to the next start (PTB drops it here).
    await asyncio.wait_for(started.wait(), 10)
    await bot.stop()
    assert any("이렇게 쓰시면 돼요" in m.text for m in sandbox.bot_messages(1001))


async def test_restart_mid_conversation_continues(
    sandbox: BotApiSandbox, start_bot: StartBot
) -> None:
    first = await start_bot()
    minji = User(sandbox, first, 1001)
    await minji.send("/settings")
    menu = minji.message_with_button("🔕 센터 알림 끄기")
    await first.stop()

    second = await start_bot()
    minji = User(sandbox, second, 1001)
    seen = await minji.click("🔕 센터 알림 끄기", message_id=menu.message_id)
    assert seen.toast is not None and "알림을 껐어요" in seen.toast["text"]
    assert "알림: 꺼짐" in seen.edited[0].text
    stored = await UserRepository(second.app.bot_data.backend.db).get(1001)  # type: ignore[union-attr]
    assert stored is not None and stored.reminders is False
    # Still inside the same conversation: free text gets the settings hint, /cancel ends it.
    assert "버튼으로 바꿀 수 있어요" in (await minji.send("알림 꺼줘")).text
    assert "그만뒀어요" in (await minji.send("/cancel")).text
    # The menu's buttons carry the closed flow's token now: answered, not obeyed.
    seen = await minji.click("🔔 센터 알림 받기", message_id=menu.message_id)
    assert seen.toast is not None and "더 이상 쓸 수 없어요" in seen.toast["text"]
    stored = await UserRepository(second.app.bot_data.backend.db).get(1001)  # type: ignore[union-attr]
    assert stored is not None and stored.reminders is False


@pytest.mark.rejections_expected
async def test_flood_control_429_is_waited_out_and_nothing_is_lost(
    sandbox: BotApiSandbox, start_bot: StartBot
) -> None:
    sandbox.set_flood_limits(per_chat_per_second=2.0)
    bot = await start_bot()
    minji = User(sandbox, bot, 1001)
    for _ in range(4):
        await minji.send("/help")
    assert sum("이렇게 쓰시면 돼요" in m.text for m in sandbox.bot_messages(1001)) == 4
    assert sandbox.rejections, "the sandbox never pushed back: the test proves nothing"
    assert {r.error_code for r in sandbox.rejections} == {429}


@pytest.mark.rejections_expected
async def test_a_failure_after_a_button_was_answered_still_apologises(
    user: Callable[..., User], sandbox: BotApiSandbox, bot: BotRuntime
) -> None:
    async def answer_then_fail(update: Update, context: BotContext) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
            raise RuntimeError("simulated failure after the answer")

    minji = user(1001)
    await minji.send("/start")
    add_before_everything(bot, answer_then_fail)
    seen = await minji.click("❓ 도움말")
    assert [m.text for m in seen.new] == [
        "죄송해요, 처리하다가 문제가 생겼어요. 잠시 뒤에 다시 해 주세요."
    ]
    # The toast could not be shown twice; the chat message is the fallback.
    assert [r.method for r in sandbox.rejections] == ["answerCallbackQuery"]
