"""An old /forget prompt erases nothing: its buttons carry the moment they were offered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.runtime import BotRuntime
from bot.services.forget import FORGET_PROMPT_LIFETIME
from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.helpers.linking import link
from tests.journey import User

YES = "네, 모두 지워 주세요"


async def test_an_old_forget_prompt_pressed_after_relinking_erases_nothing(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/forget")
    old_prompt = minji.message_with_button(YES).message_id
    clock.advance(FORGET_PROMPT_LIFETIME + timedelta(seconds=1))
    await minji.send("/unlink")
    await minji.click("연결 끊기")
    await link(minji, gateway, "kindly0904")  # a new link, made after the prompt
    links = bot.app.bot_data.backend.services.links  # type: ignore[union-attr]
    relinked = await links.current(1001)
    assert relinked is not None

    seen = await minji.click(YES, old_prompt)
    assert "시간이 지나서 아무것도 지우지 않았어요" in seen.text and "/forget" in seen.text
    assert seen.toast is not None and seen.toast["show_alert"]
    assert await links.current(1001) == relinked  # nothing erased

    await minji.send("/forget")  # a fresh prompt still works
    assert "모두 지웠어요" in (await minji.click(YES)).text
    assert await links.current(1001) is None


async def test_a_prompt_from_before_stamps_erases_nothing(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/forget")
    prompt = minji.message_with_button(YES).message_id
    seen = await minji.click_data(prompt, "forget:yes")  # as buttons were before this change
    assert "아무것도 지우지 않았어요" in seen.text
    links = bot.app.bot_data.backend.services.links  # type: ignore[union-attr]
    assert await links.current(1001) is not None


async def test_a_fresh_prompt_in_english_tells_a_stale_press_in_english(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    sam = user(1002, first_name="Sam", language_code="en")
    await sam.send("/start")
    await sam.send("/forget")
    clock.advance(FORGET_PROMPT_LIFETIME + timedelta(seconds=1))
    seen = await sam.click("Yes, delete everything")
    assert "too old, so nothing was deleted" in seen.text, seen.text
