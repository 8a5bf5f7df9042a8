"""What a message shows, when two workers edit it in turn (issue 16, part 4: no cache may go
stale across workers).

One stand-in Telegram, two production-built bots over one store (each engine), and the test
as the load balancer (tests/helpers/fed_workers.py). Worker A shows an answer on the question
menu, worker B turns the message back to the menu, then worker A is asked for the same answer
again: the message must show it again. A memory of "what I last rendered there" in worker A
would say it does already, and skip the edit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.botapi import BotApiSandbox
from tests.helpers.fed_workers import Balancer, one_telegram

USER = 1001


@pytest.fixture
def database_url(each_engine_url: str | None) -> str | None:
    return each_engine_url


@pytest.fixture
async def sandbox() -> AsyncIterator[BotApiSandbox]:
    async with one_telegram() as server:
        yield server


async def test_an_edit_back_on_another_worker_is_not_skipped(balancer: Balancer) -> None:
    await balancer.send("a", USER, "음")
    menu = balancer.sandbox.bot_messages(USER)[-1]
    shown_first = (menu.text, list(menu.buttons))  # the entry itself changes with each edit
    topic = menu.buttons[0]

    await balancer.press("a", USER, menu.message_id, topic)
    answer_text, answer_buttons = balancer.shown(USER, menu.message_id)
    assert answer_text != shown_first[0]
    back = answer_buttons[-1]  # "다른 질문 보기": the menu again

    await balancer.press("b", USER, menu.message_id, back)
    assert balancer.shown(USER, menu.message_id) == shown_first

    # The same answer again, on worker A: shown, though A put it there once before.
    await balancer.press("a", USER, menu.message_id, topic)
    assert balancer.shown(USER, menu.message_id) == (answer_text, answer_buttons)
