"""The "보내기" press run a second time, on another worker, after the first died between
editing the prompt and recording the update done (issue 16, part 7: a lost done-mark), on
each engine: one transmission, the prompt ends saying so, and no edit goes to Telegram that
it would refuse as "message is not modified" (the stand-in fails the test on any refusal).

The first run is stopped where a kill -9 would leave it: the prompt already shows "보내고
있어요…" and the gateway has taken the transmission, whose answer is held (tests/helpers/
fed_workers.py: the test is the load balancer and hands the same stored update to worker B).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from sandbox.botapi import BotApiSandbox
from sandbox.botapi.records import Rejection
from sandbox.gateway import GatewaySandbox
from tests.helpers.fed_workers import Balancer, one_telegram
from tests.helpers.sending import transmissions

USER = 1001
MEMBER = "kindly0904"


@pytest.fixture
def database_url(each_engine_url: str | None) -> str | None:
    return each_engine_url


def second_answer(rejection: Rejection) -> bool:
    """The press's second run answers it again: refused, and taken as no error (the first
    run answered it); the one refusal a run again may cause."""
    return rejection.method == "answerCallbackQuery" and "query is too old" in (
        rejection.description
    )


@pytest.fixture
async def sandbox() -> AsyncIterator[BotApiSandbox]:
    async with one_telegram(second_answer) as server:
        yield server


def said(balancer: Balancer) -> str:
    return balancer.sandbox.bot_messages(USER)[-1].text


async def test_the_send_press_run_again_sends_once_and_no_refused_edit(
    balancer: Balancer, gateway: GatewaySandbox
) -> None:
    await balancer.send("a", USER, "/link")
    await balancer.send("a", USER, MEMBER)
    await balancer.send("a", USER, await gateway.delivered_code(MEMBER) or "")
    assert "연결했어요" in said(balancer)
    await balancer.send("a", USER, "/send")
    prompt = balancer.sandbox.bot_messages(USER)[-1]
    assert "보내기" in prompt.buttons

    held = gateway.hold_next("createTransmission")
    pressed = await balancer.sandbox.press(USER, USER, prompt.message_id, "보내기")
    raw = balancer.take(pressed.update_id)
    first = asyncio.create_task(balancer.run("a", raw))
    await asyncio.wait_for(held.reached.wait(), 30)
    assert balancer.shown(USER, prompt.message_id)[0] == "보내고 있어요…"
    first.cancel()  # worker A dies here: nothing more of it reaches the store or Telegram
    with contextlib.suppress(asyncio.CancelledError):
        await first
    held.release.set()

    await balancer.run("b", raw)
    text, buttons = balancer.shown(USER, prompt.message_id)
    assert text.startswith(("1365로 보냈어요", "이 전송은 이미 보냈어요")), text
    assert buttons == []
    assert len(await transmissions(gateway, balancer.workers["b"], USER)) == 1
