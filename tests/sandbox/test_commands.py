"""setMyCommands / getMyCommands / deleteMyCommands with scopes and languages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest

from sandbox.botapi import BotApiSandbox

from .conftest import call, last_description

KOREAN = [BotCommand("start", "시작하기"), BotCommand("send_hours", "봉사시간 전송")]


async def test_commands_are_kept_per_scope_and_language(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    private = BotCommandScopeAllPrivateChats()
    assert await bot.set_my_commands(KOREAN, scope=private, language_code="ko")
    assert await bot.set_my_commands(
        [BotCommand("help", "Help")], scope=BotCommandScopeChat(started)
    )
    assert await bot.get_my_commands(scope=private, language_code="ko") == tuple(KOREAN)
    assert await bot.get_my_commands(scope=private) == ()  # no fallback between keys
    assert await bot.get_my_commands() == ()
    assert sandbox.commands == {
        ("all_private_chats", "ko"): [c.to_dict() for c in KOREAN],
        (f"chat:{started}", ""): [{"command": "help", "description": "Help"}],
    }
    assert await bot.delete_my_commands(scope=private, language_code="ko")
    assert ("all_private_chats", "ko") not in sandbox.commands


@pytest.mark.parametrize(
    ("commands", "language", "description"),
    [
        ([{"command": "Start", "description": "x"}], None, "Bad Request: BOT_COMMAND_INVALID"),
        ([{"command": "my-cmd", "description": "x"}], None, "Bad Request: BOT_COMMAND_INVALID"),
        ([{"command": "", "description": "x"}], None, "Bad Request: BOT_COMMAND_INVALID"),
        ([{"command": "a" * 33, "description": "x"}], None, "Bad Request: BOT_COMMAND_INVALID"),
        (
            [{"command": "start", "description": ""}],
            None,
            "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
        ),
        (
            [{"command": "start", "description": "가" * 257}],
            None,
            "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
        ),
        (
            [{"command": f"c{i}", "description": "x"} for i in range(101)],
            None,
            "Bad Request: too many bot commands specified",
        ),
        (
            [{"command": "start", "description": "x"}],
            "kor",
            "Bad Request: invalid language code specified",
        ),
        (
            [{"command": "start", "description": "x"}],
            "KO",
            "Bad Request: invalid language code specified",
        ),
    ],
)
async def test_invalid_commands_are_rejected(
    sandbox: BotApiSandbox,
    http: httpx.AsyncClient,
    commands: list[dict[str, Any]],
    language: str | None,
    description: str,
) -> None:
    params: dict[str, Any] = {"commands": commands}
    if language is not None:
        params["language_code"] = language
    status, body = await call(http, "setMyCommands", **params)
    assert (status, body["description"]) == (400, description)
    assert sandbox.commands == {}


async def test_limits_at_the_edge_are_accepted(bot: Bot) -> None:
    commands = [BotCommand(f"c_{i}", "가" * 256) for i in range(99)] + [BotCommand("z" * 32, "x")]
    assert await bot.set_my_commands(commands)
    assert len(await bot.get_my_commands()) == 100


async def test_scope_for_an_unknown_chat_is_not_found(sandbox: BotApiSandbox, bot: Bot) -> None:
    with pytest.raises(BadRequest):
        await bot.set_my_commands(KOREAN, scope=BotCommandScopeChat(31337))
    assert last_description(sandbox) == "Bad Request: chat not found"


async def test_names_and_descriptions(bot: Bot) -> None:
    assert (await bot.get_my_name()).name == "연계도우미"
    assert await bot.set_my_description("봉사시간을 1365로", language_code="ko")
    assert (await bot.get_my_description(language_code="ko")).description == "봉사시간을 1365로"
    assert await bot.set_my_short_description("연계")
    assert (await bot.get_my_short_description()).short_description == "연계"
