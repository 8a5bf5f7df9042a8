"""The bot's own limits hold across /forget (issue 15): code requests per account, per account
and VMS ID, and for the whole bot; questions to the center. Real bot, sandbox gateway."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import build_application
from bot.runtime import BotRuntime
from bot.services.linking import REQUESTS_PER_HOUR
from bot.settings import Settings
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from sandbox.gateway.linking import (
    CENTER_DELIVERIES_PER_HOUR,
    DELIVERIES_PER_HOUR,
    WRONG_PER_DAY,
)
from tests.conftest import make_settings
from tests.helpers.help_requests import ASK, SENT, ask, staff_team
from tests.helpers.linking import link, links_of
from tests.journey import User

OWNER_ID = "kindly0904"  # a demo member of the sandbox gateway


def gateway_rows(gateway: GatewaySandbox, sql: str, *params: object) -> list[sqlite3.Row]:
    """The gateway's own bookkeeping (what reached it), read from its database."""
    return gateway.gateway.db.conn.execute(sql, params).fetchall()


def code_requests_at_gateway(gateway: GatewaySandbox) -> int:
    return int(gateway_rows(gateway, "SELECT COUNT(*) FROM link_requests")[0][0])


def wrong(gateway: GatewaySandbox, vms_id: str) -> str:
    """A code that is not the member's newest one."""
    return "000000" if gateway.last_code(vms_id) != "000000" else "111111"


async def forget(person: User) -> None:
    await person.send("/forget")
    assert "모두 지웠어요" in (await person.click("네, 모두 지워 주세요")).text


async def test_forget_does_not_reset_the_code_budget(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """The reported abuse: /start, five made-up IDs, /forget, again and again. Only the first
    five requests of the hour reach the gateway; a real member still gets a code."""
    prankster = user(1001)
    for cycle in range(4):
        await prankster.send("/start")
        for n in range(REQUESTS_PER_HOUR):
            await prankster.send("/link")
            seen = await prankster.send(f"nobody{cycle}{n:03d}")
            expected = "인증번호가 가요" if cycle == 0 else "지금은 인증번호를 더 보낼 수 없어요."
            assert expected in seen.text
        await forget(prankster)
    assert code_requests_at_gateway(gateway) == REQUESTS_PER_HOUR
    assert "연결했어요!" in (await link(user(1002), gateway)).text
    clock.advance(timedelta(hours=1))
    await prankster.send("/start")
    await prankster.send("/link")
    assert "인증번호가 가요" in (await prankster.send("nobody9999")).text


async def test_forget_does_not_reset_the_question_limit(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    """One question per 10 minutes reaches staff, however often the asker uses /forget."""
    await staff_team(user, bot)
    minji = user(1001)

    def copies() -> int:
        return sum("문의 #" in m.text for m in sandbox.bot_messages(2002))

    await minji.send("/start")
    assert await ask(minji, "첫 질문") == SENT
    for _ in range(3):
        await forget(minji)
        await minji.send("/start")
        await minji.send("/help")
        refused = await minji.click(ASK)
        assert refused.texts == ["문의는 10분에 한 번 보낼 수 있어요. 10분 뒤에 다시 보내 주세요."]
    assert copies() == 1
    clock.advance(timedelta(minutes=10))
    assert await ask(minji, "다시 질문") == SENT
    assert copies() == 2


def requests_for(gateway: GatewaySandbox, vms_id: str) -> list[datetime]:
    rows = gateway_rows(
        gateway, "SELECT created_at FROM link_requests WHERE vms_id = ? ORDER BY 1", vms_id
    )
    return [datetime.fromisoformat(r[0]) for r in rows]


def most_in_an_hour(times: list[datetime]) -> int:
    return max((sum(1 for u in times if t <= u < t + timedelta(hours=1)) for t in times), default=0)


async def test_an_attacker_alone_cannot_lock_the_owner_out(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    """Someone types the owner's VMS ID again and again for a day, with /forget in between:
    the gateway's per-member limits (its own numbers) are never reached, and the owner, from
    their own account, gets a code and links."""
    attacker, owner = user(1001), user(1002)
    for _hour in range(24):
        for _ in range(DELIVERIES_PER_HOUR):
            await attacker.send("/start")
            await attacker.send("/link")
            if "인증번호가 가요" in (await attacker.send(OWNER_ID)).text:
                await gateway.settle_deliveries()
                for _ in range(5):
                    await attacker.send(wrong(gateway, OWNER_ID))
            await forget(attacker)
        clock.advance(timedelta(hours=1))
    sent = requests_for(gateway, OWNER_ID)
    wrongs = gateway_rows(gateway, "SELECT at FROM wrong_guesses WHERE vms_id = ?", OWNER_ID)
    assert 0 < most_in_an_hour(sent) < DELIVERIES_PER_HOUR
    assert 0 < len(wrongs) < WRONG_PER_DAY  # 24 hours: the gateway's whole window
    # The owner, right after the attack: a code, one slip, then linked.
    await owner.send("/link")
    assert "인증번호가 가요" in (await owner.send(OWNER_ID)).text
    await gateway.settle_deliveries()
    assert "맞지 않아요" in (await owner.send(wrong(gateway, OWNER_ID))).text
    assert "연결했어요!" in (await owner.send(gateway.last_code(OWNER_ID) or "")).text
    assert await links_of(bot).get(1002) is not None


@pytest.fixture
async def capped_bot(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> AsyncIterator[BotRuntime]:
    """The production bot with LINK_CODES_PER_HOUR=3."""
    settings = make_settings(sandbox, db_path, gateway, link_codes_per_hour=3)
    runtime = BotRuntime(await build_application(settings, clock=clock), poll_timeout=0.5)
    await runtime.start()
    yield runtime
    await runtime.stop()


async def test_the_bot_wide_cap_stops_many_accounts_and_blames_none(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, capped_bot: BotRuntime, clock: FakeClock
) -> None:
    for n in range(3):
        someone = User(sandbox, capped_bot, 1001 + n)
        await someone.send("/link")
        assert "인증번호가 가요" in (await someone.send(f"nobody{n:04d}")).text
    clock.advance(timedelta(minutes=15))
    minji = User(sandbox, capped_bot, 1101)
    await minji.send("/link")
    assert (await minji.send(OWNER_ID)).text == (
        "지금 인증번호를 받으려는 분이 많아서 잠시 보내 드릴 수 없어요. 45분 뒤에 다시 해 주세요. "
        "이미 받은 인증번호가 있다면 그대로 보내셔도 돼요."
    )
    jane = User(sandbox, capped_bot, 1102, language_code="en")
    await jane.send("/link")
    assert (await jane.send("happyday")).text.startswith(
        "Many people are asking for codes right now, so I can't send one for a while. "
        "Please try again in 45 min."
    )
    assert code_requests_at_gateway(gateway) == 3
    clock.advance(timedelta(minutes=45))
    await minji.send("/link")
    assert "인증번호가 가요" in (await minji.send(OWNER_ID)).text


def test_the_default_bot_wide_cap_leaves_most_of_the_centers_cap() -> None:
    """At most half of what the gateway allows a center (the sandbox's own number)."""
    default = Settings(_env_file=None).link_codes_per_hour  # type: ignore[call-arg]
    assert 0 < default <= CENTER_DELIVERIES_PER_HOUR // 2
