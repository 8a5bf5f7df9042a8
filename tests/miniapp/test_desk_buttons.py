"""The web_app button under /broadcast, /remind and /stats that opens the desk at that page:
staff with an https WEB_URL in a private chat get it, nobody else does (the sandbox Bot API
records each message's reply_markup, and refuses web_app buttons as Telegram does)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.journey import User
from tests.miniapp.conftest import WEB_URL
from tests.staff.helpers import services

StartBot = Callable[..., Awaitable[BotRuntime]]
PAGES = {"/broadcast": "broadcast", "/remind": "reminders", "/stats": "today"}


def web_apps(sandbox: BotApiSandbox, chat_id: int) -> list[dict[str, Any]]:
    return [
        button
        for message in sandbox.bot_messages(chat_id)
        for row in message.reply_markup or []
        for button in row
        if "web_app" in button
    ]


async def test_staff_open_the_desk_at_the_commands_page(
    start_desk_bot: StartBot, sandbox: BotApiSandbox
) -> None:
    bot = await start_desk_bot()
    admin, sujin = User(sandbox, bot, ADMIN_ID), User(sandbox, bot, 2002, language_code="en")
    await admin.send("/start")
    await sujin.send("/start")
    await services(bot).staff.add(2002, added_by=ADMIN_ID)
    for command, page in PAGES.items():
        seen = await admin.send(command)
        buttons = [b for m in seen.new for row in m.reply_markup or [] for b in row]
        desk = [b for b in buttons if "web_app" in b]
        assert desk == [{"text": desk[0]["text"], "web_app": {"url": f"{WEB_URL}#{page}"}}], command
        assert desk[0]["text"].startswith("🗂 업무 창에서")
        await admin.send("/cancel")
    await sujin.send("/stats")
    assert [b["text"] for b in web_apps(sandbox, 2002)] == ["🗂 This week in the desk"]


async def test_no_desk_button_without_web_url(
    start_desk_bot: StartBot, sandbox: BotApiSandbox
) -> None:
    bot = await start_desk_bot(web_url=None)
    admin = User(sandbox, bot, ADMIN_ID)
    await admin.send("/start")
    for command in PAGES:
        seen = await admin.send(command)
        assert seen.new, command  # the command still answers, without the button
        await admin.send("/cancel")
    assert web_apps(sandbox, ADMIN_ID) == []


async def test_no_desk_button_for_a_loopback_http_web_url(
    start_desk_bot: StartBot, sandbox: BotApiSandbox
) -> None:
    """Trying the pages locally (http://127.0.0.1): Telegram would refuse the button, and the
    whole message with it, so the commands answer without one."""
    bot = await start_desk_bot(web_url="http://127.0.0.1:8080/desk/")
    admin = User(sandbox, bot, ADMIN_ID)
    await admin.send("/start")
    for command in PAGES:
        assert (await admin.send(command)).new, command
        await admin.send("/cancel")
    assert web_apps(sandbox, ADMIN_ID) == []


async def test_volunteers_never_see_the_desk_button(
    start_desk_bot: StartBot, sandbox: BotApiSandbox
) -> None:
    bot = await start_desk_bot()
    volunteer = User(sandbox, bot, 1001)
    await volunteer.send("/start")
    for command in (*PAGES, "/help", "/status"):
        await volunteer.send(command)
    assert sandbox.bot_messages(1001)
    assert web_apps(sandbox, 1001) == []


async def test_a_staff_command_in_a_group_has_no_desk_button(
    start_desk_bot: StartBot, sandbox: BotApiSandbox
) -> None:
    bot = await start_desk_bot()
    await User(sandbox, bot, ADMIN_ID).send("/start")
    in_group = User(sandbox, bot, ADMIN_ID, chat_id=-500, chat_type="group")
    assert (await in_group.send("/stats")).new  # staff commands answer in groups too
    assert web_apps(sandbox, -500) == []
