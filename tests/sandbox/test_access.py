"""Who the bot may write to, tokens, method names, and the rejection log."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, InvalidToken

from sandbox.botapi import BotApiSandbox

from .conftest import TOKEN, USER, call, last_description


async def test_bot_cant_start_a_conversation(sandbox: BotApiSandbox, bot: Bot) -> None:
    await sandbox.user_send(7, "저 여기 있어요", chat_id=-9, chat_type="group")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(7, "hello")
    assert sandbox.rejections[-1].error_code == 403
    assert last_description(sandbox) == "Forbidden: bot can't initiate conversation with a user"


@pytest.mark.parametrize("chat_id", [999, "@somebody", -777])
async def test_unknown_chats_are_not_found(
    sandbox: BotApiSandbox, bot: Bot, chat_id: int | str
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(chat_id, "hello")
    assert last_description(sandbox) == "Bad Request: chat not found"


async def test_blocking_forbids_until_unblocked(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    await sandbox.user_block(started)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(started, "공지")
    await sandbox.user_send(started, "/start")  # writing does not unblock
    with pytest.raises(Forbidden):
        await bot.send_chat_action(started, "typing")
    await sandbox.user_unblock(started)
    assert await bot.send_message(started, "다시 안녕")
    kinds = [
        u.my_chat_member.new_chat_member.status if u.my_chat_member else "message"
        for u in await bot.get_updates()
    ]
    assert kinds == ["message", "kicked", "message", "member"]


async def test_chat_actions_are_recorded(sandbox: BotApiSandbox, bot: Bot, started: int) -> None:
    assert await bot.send_chat_action(started, "typing")
    with pytest.raises(BadRequest):
        await bot.send_chat_action(started, "dancing")
    assert sandbox.chat_actions == [(started, "typing")]


async def test_get_chat_knows_only_chats_it_has_seen(bot: Bot, started: int) -> None:
    chat = await bot.get_chat(started)
    assert (chat.id, chat.type, chat.first_name) == (started, "private", "Tester")
    with pytest.raises(BadRequest):
        await bot.get_chat(31337)


async def test_unknown_token_is_unauthorized(
    sandbox: BotApiSandbox, http: httpx.AsyncClient
) -> None:
    assert await call(http, "getMe", token="654321:WRONG") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert (await call(http, "getMe", token="not-a-token"))[0] == 404
    with pytest.raises(InvalidToken):
        async with Bot("654321:WRONG", base_url=f"{sandbox.base_url}/bot"):
            pass


async def test_unknown_methods_are_not_found(http: httpx.AsyncClient) -> None:
    assert await call(http, "sendTelepathy") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert (await http.get("/favicon.ico")).status_code == 404


async def test_real_but_unimplemented_methods_are_refused_loudly(
    sandbox: BotApiSandbox, http: httpx.AsyncClient
) -> None:
    status, body = await call(http, "sendDocument", chat_id=USER, document="x")
    assert status == 400
    assert body["description"] == "Bad Request: sendDocument is not implemented in the sandbox"
    assert sandbox.rejections[-1].method == "sendDocument"


async def test_method_names_are_case_insensitive_and_get_works(
    http: httpx.AsyncClient, started: int
) -> None:
    status, body = await call(http, "SENDMESSAGE", chat_id=started, text="hi")
    assert status == 200 and body["result"]["text"] == "hi"
    response = await http.get(f"/bot{TOKEN}/getme")
    assert response.json()["result"]["username"] == "yeongye_helper_bot"


async def test_rejections_never_contain_the_token(
    sandbox: BotApiSandbox, http: httpx.AsyncClient, bot: Bot
) -> None:
    await call(http, "sendMessage", chat_id=999, text=f"leak {TOKEN}")
    await call(http, "getMe", token="1:other")
    with pytest.raises(BadRequest):
        await bot.send_message(999, "x")
    assert [(r.method, r.error_code) for r in sandbox.rejections] == [
        ("sendMessage", 400),
        ("getMe", 401),
        ("sendMessage", 400),
    ]
    assert sandbox.rejections[0].params == {"chat_id": 999, "text": "leak <token>"}
    assert sandbox.rejections[2].params == {"chat_id": "999", "text": "x"}
    assert TOKEN not in repr(sandbox.rejections)


def test_only_loopback_and_well_formed_tokens() -> None:
    with pytest.raises(ValueError):
        BotApiSandbox(tokens=["no-colon"])


async def test_refuses_to_listen_beyond_loopback() -> None:
    with pytest.raises(ValueError):
        await BotApiSandbox().start(host="0.0.0.0")
