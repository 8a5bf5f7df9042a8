"""Settling a send whose outcome is unknown: the volunteer is never told "nothing was sent"
while the gateway holds a transmission under the send's key, and the result still comes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.runtime import BotRuntime
from core.clock import FakeClock
from linkage.client import GatewayClient
from sandbox.gateway import GatewaySandbox
from tests.conftest import GATEWAY_KEY
from tests.helpers.linking import link, link_id_of
from tests.helpers.sending import results_in, transmissions
from tests.journey import User

NOTHING_SENT = "접수되지 않았어요"
RESULT = "1365 전송 결과가 나왔어요"
# Past any retry wait of the send items (at most an hour, SEND_RETRIES in handlers/send.py).
RETRY_WAIT = timedelta(hours=1, minutes=1)


def without_time_zone(body: dict[str, Any]) -> dict[str, Any]:
    """A 2xx the client cannot read: `created_at` without its offset (the contract forbids)."""
    return {**body, "created_at": body["created_at"][:19]}


def states(bot: BotRuntime) -> Any:
    return bot.app.bot_data.backend.db.fetch_all("SELECT state FROM sends")  # type: ignore[union-attr]


def told(user: User, before: int) -> list[str]:
    return [m.text for m in user.sandbox.bot_messages(user.chat_id)[before:]]


async def send_with_unknown_outcome(user: User, gateway: GatewaySandbox) -> None:
    """/send whose answer is an unreadable 2xx: the gateway made the transmission."""
    await link(user, gateway, "kindly0904")
    gateway.rewrite("createTransmission", without_time_zone)
    await user.send("/send")
    seen = await user.click("보내기")
    assert "두 번 보내지는 않아요" in seen.text, seen.text


async def test_an_unreadable_2xx_while_settling_keeps_the_send_unknown_until_it_reads(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await send_with_unknown_outcome(minji, gateway)
    before = len(minji.sandbox.bot_messages(1001))
    await results_in(bot, clock, timedelta(minutes=1))  # settles: the replay is unreadable too
    await results_in(bot, clock, RETRY_WAIT)
    assert [tuple(r) for r in await states(bot)] == [("claimed",)]
    assert told(minji, before) == []
    assert len(await transmissions(gateway, bot, 1001)) == 1  # held under the send's key

    gateway.rewrite("createTransmission", None)
    await results_in(bot, clock, RETRY_WAIT)  # the replay reads now: accepted
    await results_in(bot, clock)
    messages = told(minji, before)
    assert sum(RESULT in m for m in messages) == 1, messages
    assert not any(NOTHING_SENT in m for m in messages)
    assert len(await transmissions(gateway, bot, 1001)) == 1


async def test_unlink_settles_an_open_send_first_and_its_fate_is_told(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await send_with_unknown_outcome(minji, gateway)
    gateway.rewrite("createTransmission", None)
    before = len(minji.sandbox.bot_messages(1001))
    await minji.send("/unlink")
    assert "연결을 끊었어요" in (await minji.click("연결 끊기")).text
    assert [tuple(r) for r in await states(bot)] == [("accepted",)]  # settled before revoking
    await results_in(bot, clock, RETRY_WAIT)
    await results_in(bot, clock, RETRY_WAIT)
    messages = told(minji, before)
    assert not any(NOTHING_SENT in m for m in messages), messages
    assert sum("접수됐지만, VMS 연결이 끊겨서 결과를" in m for m in messages) == 1, messages


async def test_unlink_waits_while_the_send_cannot_be_settled_and_the_result_still_comes(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await send_with_unknown_outcome(minji, gateway)  # the replay stays unreadable
    await minji.send("/unlink")
    seen = await minji.click("연결 끊기")
    assert "연결을 끊지 않았어요" in seen.text and "/unlink" in seen.text
    links = bot.app.bot_data.backend.services.links  # type: ignore[union-attr]
    assert await links.current(1001) is not None
    assert [tuple(r) for r in await states(bot)] == [("claimed",)]

    gateway.rewrite("createTransmission", None)
    before = len(minji.sandbox.bot_messages(1001))
    await results_in(bot, clock, RETRY_WAIT)
    await results_in(bot, clock)
    messages = told(minji, before)
    assert sum(RESULT in m for m in messages) == 1, messages
    await minji.send("/unlink")
    assert "연결을 끊었어요" in (await minji.click("연결 끊기")).text


async def test_a_link_revoked_elsewhere_while_settling_is_never_told_as_nothing_sent(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await send_with_unknown_outcome(minji, gateway)
    gateway.rewrite("createTransmission", None)
    # Another tool of the center revokes the link: the settle lookup answers link_not_found.
    other = GatewayClient(gateway.base_url, GATEWAY_KEY)
    try:
        await other.revoke_link(await link_id_of(bot, 1001))
    finally:
        await other.aclose()
    before = len(minji.sandbox.bot_messages(1001))
    await results_in(bot, clock, timedelta(minutes=1))
    await results_in(bot, clock, RETRY_WAIT)
    messages = told(minji, before)
    assert not any(NOTHING_SENT in m for m in messages), messages
    assert sum("1365로 갔을 수도 있으니" in m for m in messages) == 1, messages
    assert [tuple(r) for r in await states(bot)] == [("done",)]  # closed, never released
    seen = await minji.send("/send")  # not blocked by a claim that can never settle
    assert "먼저 VMS 계정을 연결해야 해요" in seen.text, seen.text


async def test_forget_with_a_send_in_flight_says_it_may_still_reach_1365(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    assert "1365로 보냈어요" in (await minji.click("보내기")).text
    await minji.send("/forget")
    seen = await minji.click("네, 모두 지워 주세요")
    assert "모두 지웠어요" in seen.text and "1365에 올라갈 수 있어요" in seen.text
    before = len(minji.sandbox.bot_messages(1001))
    await results_in(bot, clock)
    assert told(minji, before) == []
