"""The command menu Telegram shows beside the text box, in Korean (default) and English.

Everyone gets the volunteer menu. Each staff member's own chat gets a menu with the staff
commands as well (BotCommandScopeChat, which Telegram prefers over the default scope), set at
start-up, when they join or first write to the bot (once for all workers: the store keeps
whether it is set, store/staff.py StaffChatRepository), and deleted when they are removed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import TelegramError

from bot.i18n import raw
from bot.services.container import Services
from bot.services.staff import STAFF_COMMANDS
from handlers.feature import Feature

logger = logging.getLogger(__name__)

MENU_COMMANDS = (
    "start",
    "help",
    "howto",
    "link",
    "status",
    "send",
    "settings",
    "lang",
    "privacy",
    "unlink",
    "forget",
    "cancel",
)


def command_list(lang: str) -> list[BotCommand]:
    return [BotCommand(name, raw(lang, f"command.{name}")) for name in MENU_COMMANDS]


def staff_command_list(lang: str) -> list[BotCommand]:
    staff = [BotCommand(name, raw(lang, f"staff.command.{name}")) for name in STAFF_COMMANDS]
    return command_list(lang) + staff


async def publish_commands(bot: Bot, staff_chats: Iterable[int] = ()) -> set[int]:
    """Sets the menu: Korean for everyone, English for English-language clients; and the
    staff menu in each of `staff_chats`. Returns the staff chats whose menu is set."""
    try:
        await bot.set_my_commands(command_list("ko"))
        await bot.set_my_commands(command_list("en"), language_code="en")
    except TelegramError as exc:
        # A missing menu is cosmetic; the bot still works, so start anyway and say why.
        logger.warning("could not set the command menu: %s", exc)
    return {chat for chat in staff_chats if await publish_staff_menu(bot, chat)}


async def publish_staff_menu(bot: Bot, chat_id: int, services: Services | None = None) -> bool:
    """The staff menu in one staff member's private chat, in both languages; with
    `services`, also the menu button that opens the staff desk (when WEB_URL is set)."""
    scope = BotCommandScopeChat(chat_id)
    try:
        await bot.set_my_commands(staff_command_list("ko"), scope=scope)
        await bot.set_my_commands(staff_command_list("en"), scope=scope, language_code="en")
    except TelegramError as exc:
        logger.warning("could not set a staff command menu: %s", exc)
        return False
    if services is not None:
        await publish_desk_button(bot, services, chat_id)
    return True


async def publish_desk_button(bot: Bot, services: Services, chat_id: int) -> None:
    """The chat's menu button opens the staff desk (a Mini App); recorded, so it can be
    taken back at any later start. Nothing without an HTTPS WEB_URL."""
    url = services.settings.web_app_url
    if url is None:
        return
    lang = await services.users.language_of(chat_id, None)
    button = MenuButtonWebApp(raw(lang, "desk.menu"), WebAppInfo(url))
    try:
        await bot.set_chat_menu_button(chat_id, button)
    except TelegramError as exc:
        logger.warning("could not set the desk menu button: %s", exc)
        return
    await services.desk.menu_set(chat_id)


async def drop_desk_button(bot: Bot, services: Services, chat_id: int) -> None:
    """The chat's menu button back to Telegram's default (the command list)."""
    try:
        await bot.set_chat_menu_button(chat_id, MenuButtonDefault())
    except TelegramError as exc:
        # The desk refuses anyone without the role anyway; only the button would remain.
        logger.warning("could not reset a menu button: %s", exc)
        return
    await services.desk.menu_dropped(chat_id)


async def drop_staff_menu(bot: Bot, chat_id: int, services: Services | None = None) -> None:
    """Back to the volunteer menu in this chat (the chat scope's lists deleted), and the
    default menu button."""
    if services is not None:
        await drop_desk_button(bot, services, chat_id)
    scope = BotCommandScopeChat(chat_id)
    try:
        await bot.delete_my_commands(scope=scope)
        await bot.delete_my_commands(scope=scope, language_code="en")
    except TelegramError as exc:
        # The guard refuses staff commands anyway; only the menu would still show them.
        logger.warning("could not delete a staff command menu: %s", exc)


async def publish_menus(bot: Bot, services: Services | None) -> None:
    """At start-up: the volunteer menu, and the staff menu of every admin and staff member
    who has a chat with the bot (an admin who never wrote gets theirs on their first update:
    Telegram refuses a scope for a chat it does not know)."""
    if services is None:
        await publish_commands(bot)
        return
    staff = services.staff
    known = [i for i in sorted(await staff.staff_ids()) if await services.users.get(i)]
    for chat_id in await publish_commands(bot, known):
        await staff.menu_set(chat_id, True)
    await reconcile_desk_buttons(bot, services, known)


async def reconcile_desk_buttons(bot: Bot, services: Services, staff: list[int]) -> None:
    """At start-up: the desk's menu button for every staff member with a chat (when WEB_URL
    is set), and the default one back for everyone who had it and is no longer staff (a
    removed staff member, an admin taken out of ADMIN_TELEGRAM_IDS) or for all of them
    once WEB_URL is unset."""
    wanted = set(staff) if services.settings.web_app_url is not None else set()
    for chat_id in await services.desk.menus():
        if chat_id not in wanted:
            await drop_desk_button(bot, services, chat_id)
    for chat_id in sorted(wanted):
        await publish_desk_button(bot, services, chat_id)


# First of the start-up work, as it always was.
FEATURE = Feature("command menus", on_start=(publish_menus,))
