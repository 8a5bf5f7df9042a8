"""Callback data a client forges around a real button's ("lang:en\n", "staff:list ") matches no
handler's pattern: it gets the stale-button toast, never the generic error, and changes nothing.
Every pattern registered on the real Application is tried, so a new one cannot skip this."""

from __future__ import annotations

import re
from collections.abc import Callable

from telegram.ext import CallbackQueryHandler

from bot.i18n import raw
from bot.runtime import BotRuntime
from store.users import UserRepository
from tests.conftest import ADMIN_ID
from tests.journey import User

# One real button of each registered pattern (found by how the pattern starts): the forgeries
# below are built around it.
SAMPLES = {
    "^unlink:": "unlink:yes:0123456789",
    "^forget:": "forget:yes",
    "^menu:": "menu:help",
    "^lang:": "lang:en",
    "^staff:(?:list": "staff:list",
    "^staff:ivx:": "staff:ivx:0123456789abcdef",
    "^staff:(?:bcre|bcgo|bcno):": "staff:bcre:1",
    "^ans:": "ans:menu",
    "^g:": "g:abcdef:resume",
    "^send:guide:": "send:guide:vms",
    "^send:(rec:|failed)": "send:failed",
    "^st:": "st:open",
}
# Handlers whose pattern is a prefix by design: they parse with fullmatch and answer data
# they do not know with their own polite toast (tests/e2e/test_status_journeys.py).
PREFIX_ONLY = {"^send:(rec:|failed)": "send.record_unknown", "^st:": "status.list.gone"}
FORGERIES = ("\n", "\r\n", " ", "\t", "\x00", "x")


def registered_patterns(bot: BotRuntime) -> list[str]:
    return [
        handler.pattern.pattern
        for group in bot.app.handlers.values()
        for handler in group
        if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern)
    ]


def sample_for(pattern: str) -> str:
    # The longest key that starts the pattern.
    keys = sorted((key for key in SAMPLES if pattern.startswith(key)), key=len, reverse=True)
    assert keys, f"add a sample button for the pattern {pattern!r}"
    found = SAMPLES[keys[0]]
    assert re.match(pattern, found), (pattern, found)
    return found


async def test_forged_data_around_every_registered_pattern_gets_the_stale_toast(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    patterns = registered_patterns(bot)
    assert len(patterns) >= len(SAMPLES)
    # The admin, so staff buttons reach their own handler instead of the staff refusal.
    admin = user(ADMIN_ID)
    message = (await admin.send("/start")).new[0]
    generic = raw("ko", "error.generic")
    for pattern in patterns:
        real = sample_for(pattern)
        expected = raw("ko", PREFIX_ONLY.get(pattern, "callback.stale"))
        for tail in FORGERIES:
            forged = real + tail
            seen = await admin.click_data(message.message_id, forged)
            assert seen.toast is not None, forged
            toast = seen.toast.get("text") or ""
            assert generic not in toast and expected in toast, (forged, toast)
            assert seen.new == [] and seen.edited == [], forged
    # "forget:yes\n" erased nothing, "lang:en\n" changed nothing.
    record = await UserRepository(bot.app.bot_data.backend.db).get(ADMIN_ID)  # type: ignore[union-attr]
    assert record is not None and record.language == "ko"
