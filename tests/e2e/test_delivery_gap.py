"""The gap of an at-least-once message: after Telegram's 200, one commit and nothing else.

The result and the visibility message repeat only if the bot dies between Telegram's answer
and the record that follows it (README: delivery rules). These tests hold the sendMessage
after it is carried out (sandbox/botapi/holds.py), trace every SQL statement the bot's
connection runs from the release on, and check that the record is the first thing it does
with its store, in one transaction together with its follow-up item.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.helpers.linking import link
from tests.helpers.sending import RESULT_DELAY
from tests.journey import User


async def _statements_after_the_200(
    bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock, needle: str, ahead: timedelta
) -> list[str]:
    """Runs the due work `ahead` on the clock with that message held after delivery; the
    statements the store ran from Telegram's answer until the pass ended."""
    hold = sandbox.hold("sendMessage", 1001, needle, delivered=True)
    clock.advance(ahead)
    run = asyncio.create_task(bot.poller.run_due())
    await asyncio.wait_for(hold.reached.wait(), 30)
    conn = bot.app.bot_data.backend.db._conn  # type: ignore[union-attr]
    statements: list[str] = []
    await conn.set_trace_callback(lambda sql: statements.append(" ".join(sql.split())))
    hold.release()
    await run
    await conn.set_trace_callback(None)
    return statements


def _store_touches(statements: list[str]) -> list[str]:
    """The statements about sends and due work, with the transaction bounds around them."""
    return [
        s
        for s in statements
        if s in ("BEGIN IMMEDIATE", "COMMIT") or " sends " in s or " due_work " in s
    ]


@pytest.mark.parametrize(
    ("needle", "record", "follow_up"),
    [
        ("1365 전송 결과가 나왔어요", "SET state = 'reported'", "INSERT INTO due_work"),
        ("이제 1365에서 확인해 보세요", "SET state = 'done'", None),
    ],
    ids=["result", "visible"],
)
async def test_the_first_store_work_after_the_200_is_the_one_commit_that_records_it(
    user: Callable[..., User],
    gateway: GatewaySandbox,
    bot: BotRuntime,
    clock: FakeClock,
    sandbox: BotApiSandbox,
    needle: str,
    record: str,
    follow_up: str | None,
) -> None:
    minji = user(1001)
    await link(minji, gateway, "kindly0904")
    await minji.send("/send")
    await minji.click("보내기")
    ahead = RESULT_DELAY
    if follow_up is None:  # the visibility message: the result first, then a day later
        clock.advance(RESULT_DELAY)
        await bot.poller.run_due()
        ahead = timedelta(hours=24)
    touches = _store_touches(await _statements_after_the_200(bot, sandbox, clock, needle, ahead))
    # Nothing read or written before the record: it is the very first statement (a single
    # statement commits by itself), or the first of the first transaction …
    first = touches[1] if touches[0] == "BEGIN IMMEDIATE" else touches[0]
    assert record in first, touches[:4]
    if follow_up is not None:
        # … whose one COMMIT also covers the follow-up item.
        assert touches[0] == "BEGIN IMMEDIATE", touches[:4]
        end = touches.index("COMMIT")
        assert any(follow_up in s and "send.visible" in s for s in touches[2:end]), touches[:6]
    assert len([m for m in minji.sandbox.bot_messages(1001) if needle in m.text]) == 1
