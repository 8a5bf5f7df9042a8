"""The menu button that opens the desk: set for staff only, and reconciled at every start
(anyone no longer staff gets the default back, an admin removed from ADMIN_TELEGRAM_IDS too),
through the sandbox Bot API's setChatMenuButton / getChatMenuButton."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID
from tests.journey import User
from tests.miniapp.conftest import WEB_URL
from tests.staff.helpers import services

DESK = {"type": "web_app", "text": "업무 창", "web_app": {"url": WEB_URL}}


async def test_staff_get_the_desk_button_and_lose_it_at_the_next_start_with_their_rights(
    start_desk_bot: Callable[..., Awaitable[BotRuntime]],
    sandbox: BotApiSandbox,
) -> None:
    bot = await start_desk_bot()
    admin, sujin, volunteer = (User(sandbox, bot, i) for i in (ADMIN_ID, 2002, 1001))
    for person in (admin, sujin, volunteer):
        await person.send("/start")
    await services(bot).staff.add(2002, added_by=ADMIN_ID)
    await sujin.send("/stats")  # a staff member's first update gives them their menus
    buttons = sandbox.world.menu_buttons
    assert buttons.get(ADMIN_ID) == DESK
    assert buttons.get(2002) == DESK
    assert 1001 not in buttons  # volunteers never see the entry
    await bot.stop()

    # While the bot is down: Sujin loses her role and the admin leaves ADMIN_TELEGRAM_IDS.
    bot = await start_desk_bot(admin_telegram_ids=(4242,))
    assert sandbox.world.menu_buttons.get(2002) == DESK  # still staff until removed
    await services(bot).staff.remove(2002, removed_by=4242)
    await bot.stop()
    bot = await start_desk_bot(admin_telegram_ids=(4242,))
    assert ADMIN_ID not in sandbox.world.menu_buttons
    assert 2002 not in sandbox.world.menu_buttons
    assert await services(bot).desk.menus() == []


async def test_without_web_url_every_desk_button_is_taken_back(
    start_desk_bot: Callable[..., Awaitable[BotRuntime]], sandbox: BotApiSandbox
) -> None:
    bot = await start_desk_bot()
    await User(sandbox, bot, ADMIN_ID).send("/start")
    await bot.stop()
    bot = await start_desk_bot()  # the admin's chat is known now: the button is set at start
    assert sandbox.world.menu_buttons.get(ADMIN_ID) == DESK
    await bot.stop()
    await start_desk_bot(web_url=None)
    assert ADMIN_ID not in sandbox.world.menu_buttons
