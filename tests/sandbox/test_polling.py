"""getMe, getUpdates long polling, offsets, allowed_updates and poll conflicts."""

from __future__ import annotations

import asyncio
import time

import httpx
from telegram import Bot

from sandbox.botapi import BotApiSandbox

from .conftest import TOKEN, USER, FakeClock, call, message_of, query_of

# A bound on waiting for what a broken sandbox would never deliver; not a speed claim.
WAIT = 20.0


async def test_get_me_answers_with_the_bot_identity(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (
        123456,
        True,
        "yeongye_helper_bot",
        "연계도우미",
    )


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    # The poll would hold for an hour; only the update arriving can end it within the bound.
    poll = asyncio.create_task(bot.get_updates(timeout=3600, read_timeout=3700))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await sandbox.user_send(USER, "안녕하세요")
    updates = await asyncio.wait_for(poll, WAIT)
    assert [message_of(u).text for u in updates] == ["안녕하세요"]


async def test_long_poll_times_out_with_an_empty_list(bot: Bot) -> None:
    # A lower bound on the monotonic clock cannot flake: a loaded machine only makes it longer.
    began = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - began >= 0.9


async def test_offset_confirms_earlier_updates(sandbox: BotApiSandbox, bot: Bot) -> None:
    ids = [(await sandbox.user_send(USER, f"m{i}")).update_id for i in range(3)]
    assert [u.update_id for u in await bot.get_updates()] == ids
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert [u.update_id for u in await bot.get_updates()] == ids[1:]  # confirmed stay gone
    assert await bot.get_updates(offset=ids[-1] + 1) == ()


async def test_negative_offset_keeps_only_the_last_updates(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    ids = [(await sandbox.user_send(USER, f"m{i}")).update_id for i in range(4)]
    assert [u.update_id for u in await bot.get_updates(offset=-2)] == ids[2:]
    assert [u.update_id for u in await bot.get_updates()] == ids[2:]
    assert [u.update_id for u in await bot.get_updates(limit=1)] == ids[2:3]


async def test_a_command_carries_a_bot_command_entity(sandbox: BotApiSandbox, bot: Bot) -> None:
    await sandbox.user_send(USER, "/start@yeongye_helper_bot payload", username="volunteer")
    await sandbox.user_send(USER, "그냥 글")
    command, plain = (message_of(u) for u in await bot.get_updates())
    entity = command.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 25)
    sender = command.from_user
    assert sender is not None and not sender.is_bot
    assert (sender.username, sender.language_code) == ("volunteer", "ko")
    assert command.chat.id == USER and command.chat.type == "private"
    assert plain.entities == ()


async def test_group_messages_come_from_the_group_chat(sandbox: BotApiSandbox, bot: Bot) -> None:
    await sandbox.user_send(
        7, "/help", chat_id=-100200, chat_type="supergroup", chat_title="봉사단"
    )
    (update,) = await bot.get_updates()
    message = message_of(update)
    assert (message.chat.id, message.chat.title) == (-100200, "봉사단")
    assert message.from_user is not None and message.from_user.id == 7


async def test_allowed_updates_filters_and_is_remembered(sandbox: BotApiSandbox, bot: Bot) -> None:
    await sandbox.user_send(USER, "/start")
    await bot.get_updates(offset=-1)
    sent = await bot.send_message(USER, "x")
    await bot.get_updates(offset=10**6, allowed_updates=["callback_query"])
    assert not (await sandbox.user_send(USER, "ignored")).delivered
    click = await sandbox.user_click(USER, USER, sent.message_id, "data")
    (update,) = await bot.get_updates()  # no allowed_updates: the last setting holds
    assert query_of(update)[0].id == click.query_id
    await bot.get_updates(offset=update.update_id + 1, allowed_updates=[])  # back to default
    assert (await sandbox.user_send(USER, "seen")).delivered


async def test_a_newer_get_updates_terminates_the_older_one(
    sandbox: BotApiSandbox, http: httpx.AsyncClient
) -> None:
    older = asyncio.create_task(call(http, "getUpdates", timeout=10))
    async with asyncio.timeout(WAIT):
        # The older call must be held open before the newer one arrives; the sandbox exposes
        # that as a state to look at, not an event.
        while not sandbox.long_poll_waiting:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    assert await call(http, "getUpdates") == (200, {"ok": True, "result": []})
    status, body = await asyncio.wait_for(older, WAIT)
    assert status == 409
    assert body == {
        "ok": False,
        "error_code": 409,
        "description": "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    }
    assert sandbox.rejections[-1].method == "getUpdates"


async def test_delete_webhook_can_drop_pending_updates(sandbox: BotApiSandbox, bot: Bot) -> None:
    await sandbox.user_send(USER, "old")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()


async def test_update_arrival_is_stamped_with_the_clock(
    sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    sent = await sandbox.user_send(USER, "hi")
    assert sandbox.update_arrival[sent.update_id] == clock()
    assert sandbox.delivered_update_ids == []


async def test_delivered_update_ids_record_first_hand_out(
    sandbox: BotApiSandbox, bot: Bot, clock: FakeClock
) -> None:
    first = await sandbox.user_send(USER, "a")
    await bot.get_updates()
    clock.advance(5)
    second = await sandbox.user_send(USER, "b")
    await bot.get_updates()  # hands out both again; the first keeps its first time
    assert sandbox.delivered_update_ids == [first.update_id, second.update_id]
    assert sandbox.update_delivery[first.update_id] == clock() - 5


async def test_stop_ends_a_pending_long_poll_promptly() -> None:
    sandbox = BotApiSandbox()
    await sandbox.start()
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=10) as http:
        poll = asyncio.create_task(
            http.post(f"/bot{TOKEN}/getUpdates", json={"timeout": 3600}, timeout=3700)
        )
        await asyncio.sleep(0.1)
        await sandbox.stop()
        await sandbox.stop()  # idempotent
        # Without the stop ending it, the poll would hold for an hour.
        response = await asyncio.wait_for(poll, WAIT)
    assert response.json() == {"ok": True, "result": []}
