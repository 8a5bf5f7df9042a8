"""Shared steps of the staff journeys."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from bot.runtime import BotRuntime
from bot.services.container import Services
from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.helpers.linking import link
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


RESULT_DELAY = timedelta(seconds=61)  # the sandbox gateway completes a send after 60 s


async def sent(person: User, bot: BotRuntime, clock: FakeClock, button: str = "보내기") -> None:
    """The volunteer sends everything unsent with /send, and the results come in."""
    seen = await person.send("/send")
    assert button in seen.new[0].buttons, seen.text
    await person.click(button)
    clock.advance(RESULT_DELAY)
    await bot.poller.run_due()


async def center(user: Callable[..., User], bot: BotRuntime, clock: FakeClock,
                 gateway: GatewaySandbox) -> None:  # fmt: skip
    """Seven volunteers, one of each kind /stats tells apart; the admin is none of them.

    1001 kindly0904 sends 4 (all go through), and 8 days later 1 more; 1002 seoyeon88 sends 3
    (identity mismatch); 1003 minjun.vms sends 3 (no 1365 consent); 1004 sora2008 linked,
    no consents, 3 unsent; 1005 jiwoo0521 linked, never checked /status; 1006 blocked the
    bot; 1007 only started it.
    """
    people = {n: user(n) for n in range(1001, 1008)}
    for person in people.values():
        await person.send("/start")
    for n, vms_id in ((1001, "kindly0904"), (1002, "seoyeon88"), (1003, "minjun.vms"),
                      (1004, "sora2008"), (1005, "jiwoo0521")):  # fmt: skip
        await link(people[n], gateway, vms_id)
    await sent(people[1001], bot, clock)
    await sent(people[1002], bot, clock)
    await sent(people[1003], bot, clock, "그래도 보내기")  # warned: no 1365 consent
    services = bot.app.bot_data.services
    assert services is not None
    await services.users.blocked_us(1006)
    clock.advance(timedelta(days=8))
    gateway.add_records(
        "kindly0904",
        [{"activity_date": "2026-11-30", "host": "행복복지관", "activity": "배식",
          "minutes": 90, "kind": "일반"}],
    )  # fmt: skip
    await sent(people[1001], bot, clock)
    for n in (1001, 1002, 1003, 1004):
        await people[n].send("/status")
