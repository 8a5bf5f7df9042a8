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


REFUSED = (
    "이 초대 링크는 쓸 수 없어요. 이미 쓰였거나, 기한이 지났거나, 취소됐을 수 있어요. "
    "센터 관리자에게 새 링크를 부탁해 주세요."
)
