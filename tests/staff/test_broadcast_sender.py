"""The broadcast sender: one copy each in their language, progress and report, blocked and
deleted accounts marked and left out, a 429 honoured exactly, and /broadcast cancel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.rate_limit import TELEGRAM_RATE, SharedBudgetLimiter
from bot.runtime import BotRuntime
from bot.services import broadcast_sender
from bot.services.broadcast_sender import Progress, Result
from bot.services.broadcasts import Audience
from core.clock import FakeClock
from handlers.press_answers import PressAnswers
from sandbox.botapi import BotApiSandbox, TranscriptEvent
from tests.conftest import ADMIN_ID, StartBot
from tests.journey import User
from tests.staff.broadcast_helpers import (
    TEXT_KO,
    VirtualTime,
    backend_of,
    copies,
    launch,
    run_to_end,
    sender_of,
    until,
    volunteers,
)

KO_NEEDLE, EN_NEEDLE = "센터 안내", "Center notice"


async def test_each_volunteer_gets_one_copy_in_their_language_and_staff_watch_it_go(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    admin = user(ADMIN_ID)
    await admin.send("/start")
    korean = await volunteers(user, range(1001, 1005))
    english = await volunteers(user, [1101, 1102], language_code="en")
    events = sandbox.subscribe()

    async def five_seconds_per_delivery() -> None:
        # Each delivery "takes" 5 s on the bot's clock, so the progress message is due again.
        while True:
            event = await events.get()
            if event.kind == "new" and event.entry.chat_id != ADMIN_ID:
                clock.advance(timedelta(seconds=5))

    ticking = asyncio.create_task(five_seconds_per_delivery())
    try:
        launched = await launch(bot, by=ADMIN_ID, progress_chat_id=ADMIN_ID)
        await run_to_end(bot, launched.broadcast_id)
    finally:
        ticking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticking

    assert launched.recipients == 6
    for volunteer in korean:
        assert copies(sandbox, volunteer.chat_id, KO_NEEDLE) == 1
        assert copies(sandbox, volunteer.chat_id, EN_NEEDLE) == 0
    for volunteer in english:
        assert copies(sandbox, volunteer.chat_id, EN_NEEDLE) == 1
        assert copies(sandbox, volunteer.chat_id, KO_NEEDLE) == 0
    # Sent as HTML: the bold survives as an entity.
    message = next(m for m in sandbox.bot_messages(1001) if KO_NEEDLE in m.text)
    assert [e["type"] for e in message.entities] == ["bold"]

    # The staff member: one progress message, edited along the way and at the end, and a report.
    mine = sandbox.bot_messages(ADMIN_ID)
    progress = [m for m in mine if "공지 #1 전송이 끝났어요" in m.text]
    assert len(progress) == 1 and progress[0].edited and "보냄 6명" in progress[0].text
    report = mine[-1]
    assert "공지 #1 전송을 마쳤어요." in report.text
    assert "받은 사람: 6명" in report.text and "보내지 못한 사람: 0명" in report.text
    totals = await backend_of(bot).services.broadcasts.totals(launched.broadcast_id)
    assert totals["sent"] == 6 and totals["queued"] == totals["sending"] == 0
    broadcast = await backend_of(bot).services.broadcasts.get(launched.broadcast_id)
    assert broadcast is not None and broadcast.state == "done"
    assert broadcast.progress_message_id == progress[0].message_id
    actions = [e.action for e in await backend_of(bot).services.staff.recent_actions()]
    assert actions[:2] == ["broadcast.done", "broadcast.launch"]

    # The due item finds it done at its next heartbeat and is gone.
    clock.advance(timedelta(minutes=1))
    await bot.poller.run_due()
    assert await bot.poller.work.all("broadcast.run") == []


def _edits(events: asyncio.Queue[TranscriptEvent], message_id: int) -> list[str]:
    found = []
    while not events.empty():
        event = events.get_nowait()
        if event.kind == "edit" and event.entry.message_id == message_id:
            found.append(event.entry.text)
    return found


async def test_the_progress_message_is_edited_every_five_seconds_of_the_clock(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    admin = user(ADMIN_ID)
    await admin.send("/start")
    people = {v.user_id: v.last.message_id for v in await volunteers(user, range(1001, 1007))}
    before = admin.last.message_id
    virtual = VirtualTime()
    virtual.gate = asyncio.Semaphore(0)
    sender_of(bot).pace(20, now=virtual.time, sleep=virtual.sleep)
    events = sandbox.subscribe()
    launched = await launch(bot, by=ADMIN_ID, progress_chat_id=ADMIN_ID)
    await bot.poller.run_due()
    progress = await sandbox.wait_bot_message(ADMIN_ID, after_message_id=before)
    assert "공지 #1" in progress.text and "남음 6명" in progress.text
    # The first delivery needs no slot wait; each later one waits for the gate. Less than
    # 5 s on the clock between deliveries: no edit.
    await sandbox.wait_bot_message(1001, after_message_id=people[1001])
    clock.advance(timedelta(seconds=4))
    virtual.gate.release()
    await sandbox.wait_bot_message(1002, after_message_id=people[1002])
    assert _edits(events, progress.message_id) == []
    clock.advance(timedelta(seconds=1))
    virtual.gate.release()
    await sandbox.wait_bot_message(1003, after_message_id=people[1003])
    virtual.gate.release()
    await sandbox.wait_bot_message(1004, after_message_id=people[1004])
    edits = _edits(events, progress.message_id)
    assert len(edits) == 1 and "보내는 중" in edits[0]
    for _ in range(10):
        virtual.gate.release()
    await asyncio.wait_for(sender_of(bot).wait(launched.broadcast_id), 30)
    assert "전송이 끝났어요" in _edits(events, progress.message_id)[-1]


@pytest.mark.rejections_expected
async def test_blocked_and_deleted_accounts_are_marked_and_left_out_of_the_next_audience(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    await volunteers(user, range(1001, 1005))
    await sandbox.user_block(1002)
    await sandbox.user_deactivate(1003)
    await sandbox.forget_chat(1004)
    broadcasts = backend_of(bot).services.broadcasts
    assert (await broadcasts.count(Audience("all"))).recipients == 4  # nobody told the bot

    launched = await launch(bot)
    await run_to_end(bot, launched.broadcast_id)

    totals = await broadcasts.totals(launched.broadcast_id)
    assert (totals["sent"], totals["blocked"], totals["gone"]) == (1, 1, 2)
    assert copies(sandbox, 1001, KO_NEEDLE) == 1
    assert sorted(r.description for r in sandbox.rejections) == [
        "Bad Request: chat not found",
        "Forbidden: bot was blocked by the user",
        "Forbidden: user is deactivated",
    ]
    count = await broadcasts.count(Audience("all"))
    assert (count.recipients, count.blocked) == (1, 3)
    # A volunteer who unblocks and writes again is back in the audience.
    await sandbox.user_unblock(1002)
    await user(1002).send("/start")
    assert (await broadcasts.count(Audience("all"))).recipients == 2


@pytest.mark.rejections_expected
async def test_a_429_pauses_the_sender_exactly_as_long_as_telegram_says(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    people = await volunteers(user, range(1001, 1009))
    # Telegram's limit at 2 messages a second, on seconds that pass only when the sender
    # sleeps (it asks for 20/s, so it runs into the limit again and again).
    virtual = VirtualTime()
    sandbox.set_flood_limits(per_bot_per_second=2, clock=virtual.time)
    sender_of(bot).pace(20, now=virtual.time, sleep=virtual.sleep)

    launched = await launch(bot)
    await run_to_end(bot, launched.broadcast_id)

    for volunteer in people:
        assert copies(sandbox, volunteer.chat_id, KO_NEEDLE) == 1
    floods = [r for r in sandbox.rejections if r.error_code == 429]
    assert floods and len(floods) == len(sandbox.rejections)
    told = [float(r.description.rsplit(" ", 1)[1]) for r in floods]
    assert list(sender_of(bot).flood_waits) == told
    # Paused only as long as told: the time slept is the 429 waits plus the 20/s slots,
    # never more (one slot of 1/20 s per message at most).
    assert sum(virtual.slept) <= sum(told) + len(people) / 20 + 1e-9
    totals = await backend_of(bot).services.broadcasts.totals(launched.broadcast_id)
    assert totals["sent"] == len(people)


async def test_staff_cancel_stops_a_broadcast_and_the_rest_never_get_it(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    admin = user(ADMIN_ID)
    await admin.send("/start")
    people = {v.user_id: v.last.message_id for v in await volunteers(user, range(1001, 1007))}
    virtual = VirtualTime()
    virtual.gate = asyncio.Semaphore(0)
    sender_of(bot).pace(20, now=virtual.time, sleep=virtual.sleep)
    launched = await launch(bot, by=ADMIN_ID, progress_chat_id=ADMIN_ID)
    await bot.poller.run_due()
    await sandbox.wait_bot_message(1001, after_message_id=people[1001])
    virtual.gate.release()
    await sandbox.wait_bot_message(1002, after_message_id=people[1002])
    # The message reaches the chat before the sender records it: wait for the record.
    broadcasts = backend_of(bot).services.broadcasts
    await until(lambda: broadcasts.totals(launched.broadcast_id), lambda t: t["sent"] == 2)

    volunteer = user(1003)
    assert (await volunteer.send("/broadcast cancel")).texts == [
        "센터 담당자만 쓸 수 있는 명령이에요."
    ]
    usage = "멈출 공지의 번호를 숫자로 적어 주세요. 예: /broadcast cancel 12"
    for bad in ("abc", "99999999999999999999999", "²", "-1"):
        assert (await admin.send(f"/broadcast cancel {bad}")).texts == [usage], bad
    # Any case: "Cancel" stops it as "cancel" does (it used to fall between the handlers).
    seen = await admin.send("/broadcast Cancel")
    assert seen.new[0].text == (
        "공지 #1 전송을 멈췄어요. 2명이 이미 받았고, 남은 4명에게는 보내지 않아요."
    )
    for _ in range(10):
        virtual.gate.release()
    await asyncio.wait_for(sender_of(bot).wait(launched.broadcast_id), 30)

    assert [copies(sandbox, i, KO_NEEDLE) for i in range(1001, 1007)] == [1, 1, 0, 0, 0, 0]
    totals = await backend_of(bot).services.broadcasts.totals(launched.broadcast_id)
    assert (totals["sent"], totals["queued"]) == (2, 4)
    report = sandbox.bot_messages(ADMIN_ID)[-1].text
    assert "공지 #1 전송을 멈췄어요. 아직 받지 못한 4명에게는 보내지 않아요." in report
    staff = backend_of(bot).services.staff
    cancel = next(e for e in await staff.recent_actions() if e.action == "broadcast.cancel")
    assert cancel.actor == ADMIN_ID and cancel.detail == {"broadcast": 1, "sent": 2, "queued": 4}
    assert (await admin.send("/broadcast cancel")).texts == ["지금 보내고 있는 공지가 없어요."]


@pytest.mark.rejections_expected
async def test_a_stop_during_a_429_pause_longer_than_the_grace_loses_nobody(
    start_bot: StartBot,
    sandbox: BotApiSandbox,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A delivery waiting out a 429 used to stay 'sending': a stop during the pause made it
    'unknown', never sent. It waits as 'queued' now, and the next start sends it."""
    first = await start_bot()
    for person in range(1001, 1007):
        await User(sandbox, first, person).send("/start")
    # Telegram takes one message per 10 virtual seconds: the second call is told "retry
    # after 10", and the pause cannot end (virtual time moves only when the gate opens).
    virtual = VirtualTime()
    virtual.gate = asyncio.Semaphore(0)
    sandbox.set_flood_limits(per_bot_per_second=0.1, clock=virtual.time)
    sender_of(first).pace(20, now=virtual.time, sleep=virtual.sleep)
    launched = await launch(first)
    await first.poller.run_due()
    virtual.gate.release()  # the second delivery's slot
    broadcasts = backend_of(first).services.broadcasts
    await until(
        lambda: broadcasts.totals(launched.broadcast_id),
        lambda t: t["sent"] == 1 and t["sending"] == 0 and len(sandbox.rejections) == 1,
    )
    told = sender_of(first).flood_waits[-1]
    monkeypatch.setattr(broadcast_sender, "STOP_GRACE_SECONDS", 0.1)
    assert told > broadcast_sender.STOP_GRACE_SECONDS
    await first.stop()  # gives up on the pause after the grace

    sandbox.set_flood_limits()  # Telegram is itself again
    clock.advance(broadcast_sender.HEARTBEAT)  # the run's heartbeat comes due
    second = await start_bot()
    await run_to_end(second, launched.broadcast_id)
    totals = await backend_of(second).services.broadcasts.totals(launched.broadcast_id)
    assert {state: n for state, n in totals.items() if n} == {"sent": 6}
    assert [copies(sandbox, i, KO_NEEDLE) for i in range(1001, 1007)] == [1] * 6


class _BrokenCourier:
    """A Telegram side that fails with a message carrying a chat id and the text: the log
    must show neither (the real courier's failures are the same class of thing)."""

    async def open(self) -> None:
        raise RuntimeError(f"chat 1001 refused {TEXT_KO}")

    async def close(self) -> None:
        return None

    async def send(self, chat_id: int, text: str) -> Result:
        raise AssertionError("never opened")

    async def show_progress(
        self, chat_id: int, message_id: int | None, progress: Progress
    ) -> int | None:
        return None

    async def report(self, chat_id: int, progress: Progress) -> None:
        return None


async def test_a_run_that_fails_logs_the_class_name_only_and_floods_are_bounded(
    user: Callable[..., User], bot: BotRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    await volunteers(user, [1001])
    sender = sender_of(bot)
    sender.attach(_BrokenCourier())
    caplog.set_level(logging.INFO, logger="bot.services.broadcast_sender")
    launched = await launch(bot)
    await run_to_end(bot, launched.broadcast_id)
    lines = [r for r in caplog.records if r.name == "bot.services.broadcast_sender"]
    assert [r.getMessage() for r in lines] == ["broadcast 1 stopped on RuntimeError; it resumes"]
    assert all(r.exc_info is None for r in lines)  # no traceback, whose text names the chat
    assert sender.flood_waits.maxlen == broadcast_sender.FLOOD_WAITS_KEPT


@pytest.mark.parametrize("asked", [0.5, 5, 20, 25, 30])
def test_the_sender_always_leaves_headroom_for_replies(asked: float) -> None:
    assert broadcast_sender.broadcast_rate(asked) == min(asked, 25)
    assert TELEGRAM_RATE - broadcast_sender.broadcast_rate(asked) >= broadcast_sender.REPLY_HEADROOM


async def test_replies_and_broadcast_messages_take_tokens_of_one_budget(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    """The production app's limiter and the sender's courier share one BotBudget of 30/s:
    every message either sends takes a token of it, so together they stay within Telegram's
    limit, and replies have all of it when no broadcast runs."""
    outer = bot.app.bot.rate_limiter
    assert isinstance(outer, PressAnswers)  # it only lets a second answer to a press pass
    limiter = outer.inner
    assert isinstance(limiter, SharedBudgetLimiter)
    budget = limiter.budget
    assert budget.rate == TELEGRAM_RATE
    people = await volunteers(user, range(1001, 1004))
    before = budget.taken
    await people[0].send("/help")  # one reply: one token
    assert budget.taken == before + 1
    launched = await launch(bot, by=ADMIN_ID, progress_chat_id=None)
    taken = budget.taken
    await run_to_end(bot, launched.broadcast_id)
    assert budget.taken - taken == launched.recipients == 3  # one token per broadcast message


async def test_a_staff_member_who_forgets_mid_broadcast_hears_no_more_of_it(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox
) -> None:
    """The sender read the progress chat once, at the start: after the staff member's /forget
    it went on editing their chat and sent them the report."""
    sujin = user(2002, first_name="수진")
    await sujin.send("/start")
    await backend_of(bot).services.staff.add(2002, added_by=ADMIN_ID)
    people = {v.user_id: v.last.message_id for v in await volunteers(user, range(1001, 1005))}
    virtual = VirtualTime()
    virtual.gate = asyncio.Semaphore(0)
    sender_of(bot).pace(20, now=virtual.time, sleep=virtual.sleep)
    launched = await launch(bot, by=2002, progress_chat_id=2002)
    await bot.poller.run_due()
    await sandbox.wait_bot_message(1001, after_message_id=people[1001])
    await sujin.send("/forget")
    await sujin.click("네, 모두 지워 주세요")
    after_forget = len(sandbox.bot_messages(2002))
    edits_before = [m.text for m in sandbox.bot_messages(2002)]
    for _ in range(10):
        virtual.gate.release()
    await asyncio.wait_for(sender_of(bot).wait(launched.broadcast_id), 30)

    assert [copies(sandbox, i, KO_NEEDLE) for i in range(1001, 1005)] == [1, 1, 1, 1]
    assert [m.text for m in sandbox.bot_messages(2002)] == edits_before  # nothing new, no edit
    assert len(sandbox.bot_messages(2002)) == after_forget
