"""The command menu Telegram shows beside the text box, in Korean (default) and English."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.i18n import raw

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


async def publish_commands(bot: Bot) -> None:
    """Sets the menu: Korean for everyone, English for English-language clients."""
    try:
        await bot.set_my_commands(command_list("ko"))
        await bot.set_my_commands(command_list("en"), language_code="en")
    except TelegramError as exc:
        # A missing menu is cosmetic; the bot still works, so start anyway and say why.
        logger.warning("could not set the command menu: %s", exc)
