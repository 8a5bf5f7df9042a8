"""Shared steps of the staff journeys."""

from __future__ import annotations

import re

from bot.runtime import BotRuntime
from bot.services.container import Services
from tests.journey import User

ONLY = "센터 담당자만 쓸 수 있는 명령이에요."
_LINK = re.compile(r"https://t\.me/(\w+)\?start=(staff-[A-Za-z0-9_-]+)")


def services(bot: BotRuntime) -> Services:
    backend = bot.app.bot_data.backend
    assert backend is not None
    return backend.services


async def invite_link(admin: User) -> tuple[str, str]:
    """The admin asks for an invite; returns (bot username, start payload) from the link."""
    seen = await admin.send("/staff invite")
    match = _LINK.search(seen.text)
    assert match is not None, seen.text
    return match[1], match[2]
