"""The command menu Telegram shows beside the text box, in Korean (default) and English.

Everyone gets the volunteer menu. Each staff member's own chat gets a menu with the staff
commands as well (BotCommandScopeChat, which Telegram prefers over the default scope), set at
start-up, when they join or first write to the bot (once for all workers: the store keeps
whether it is set, store/staff.py StaffChatRepository), and deleted when they are removed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat
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


async def publish_staff_menu(bot: Bot, chat_id: int) -> bool:
    """The staff menu in one staff member's private chat, in both languages."""
    scope = BotCommandScopeChat(chat_id)
    try:
        await bot.set_my_commands(staff_command_list("ko"), scope=scope)
        await bot.set_my_commands(staff_command_list("en"), scope=scope, language_code="en")
    except TelegramError as exc:
        logger.warning("could not set a staff command menu: %s", exc)
        return False
    return True


async def drop_staff_menu(bot: Bot, chat_id: int) -> None:
    """Back to the volunteer menu in this chat (the chat scope's lists deleted)."""
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


# First of the start-up work, as it always was.
FEATURE = Feature("command menus", on_start=(publish_menus,))
