"""/remind: reminders created by staff fire as due work on the injectable clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.runtime import BotRuntime
from bot.services.broadcasts import Audience
from bot.services.container import Backend
from bot.services.reminders import FIRE_REMINDER, Schedule
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from tests.conftest import ADMIN_ID, StartBot
from tests.journey import User

KST = timedelta(hours=9)


def _backend(bot: BotRuntime) -> Backend:
    backend = bot.app.bot_data.backend
    assert backend is not None
    return backend


def _kst(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A Korea-time wall clock reading as the aware UTC moment the store keeps."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - KST


async def _volunteers(user: Callable[..., User], bot: BotRuntime) -> None:
    for uid in (1001, 1002):
        await user(uid).send("/start")
    await user(1101, first_name="Sam", language_code="en").send("/start")
    await _backend(bot).services.users.set_reminders(1002, False)  # notices off


async def test_the_default_reminder_is_one_tap_at_first_use_and_audited(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    admin = user(ADMIN_ID)
    seen = await admin.send("/remind")
    assert "아직 예약 알림이 없어요." in seen.text
    assert "이번 달 봉사실적을 1365로 전송하셨나요?" in seen.text
    offer = seen.new[-1]
    data = next(
        b["callback_data"]
        for row in offer.reply_markup
        for b in row
        if b["text"] == "⭐ 기본 알림 만들기"
    )
    seen = await admin.click("⭐ 기본 알림 만들기")
    await admin.click_data(offer.message_id, data)  # a double tap creates it once
    text = seen.edited[-1].text
    assert "#1 · 매달 25일 오전 10시 · 켜짐" in text
    # Its text's first line, shortened: two reminders of one schedule read apart.
    assert "\n“이번 달 봉사실적을 1365로 전송하셨나요? 아직이면 /send 로…”\n" in text
    assert "실적을 전송하지 않았거나 전송에 실패한 봉사자" in text
    assert "다음 알림: 3월 25일 오전 10시" in text  # the clock starts on 2 March: same year
    assert "⭐ 기본 알림 만들기" not in seen.edited[-1].buttons  # offered at first use only
    backend = _backend(bot)
    [reminder] = await backend.services.reminders.list()
    assert reminder.text_en is not None and reminder.text_en.startswith("Have you sent")
    item = await backend.poller.work.get(FIRE_REMINDER, str(reminder.id))
    assert item is not None and item.due_at == _kst(2026, 3, 25, 10, 0)
    [entry] = await backend.services.staff.recent_actions()
    assert (entry.actor, entry.action) == (ADMIN_ID, "reminder.create")
    assert entry.detail["segment"] == "unsent_or_failed"


async def test_a_weekly_reminder_made_step_by_step_fires_on_schedule_once(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock, sandbox: BotApiSandbox
) -> None:
    await _volunteers(user, bot)
    admin = user(ADMIN_ID)
    await admin.send("/remind")
    await admin.click("➕ 새 알림 만들기")
    await admin.click("매주")
    await admin.click("월요일")
    assert "10:00" in (await admin.send("25시")).text  # refused, asked again
    seen = await admin.send("10:00")
    picker = seen.new[-1]
    assert "매주 월요일 오전 10시" in picker.text
    assert "센터 알림을 끈 1명은 빠져요" in picker.text  # always a reminder: notices-off left out
    assert "모든 봉사자 · 2명" in picker.buttons  # 1001 and 1101 (staff are not volunteers)
    await admin.click("모든 봉사자 · 2명")
    seen = await admin.send("<b>이번 주도 화이팅")
    assert seen.text.startswith("이 글은 보낼 수 없어요.")
    await admin.send("<b>이번 주도</b> 화이팅해요")
    seen = await admin.send("Have a <b>good</b> week")
    assert "이번 주도 화이팅해요" in seen.texts and "Have a good week" in seen.texts
    seen = await admin.click("만들기 · 지금 기준 2명")
    # 2 March 2026 is a Monday; at 18:00 KST its 10:00 is gone, so the first run is the 9th.
    assert seen.edited[-1].text == ("알림 #1을 만들었어요. 첫 알림은 3월 9일 오전 10시에 나가요.")

    backend = _backend(bot)
    clock.set(_kst(2026, 3, 9, 9, 59))
    await backend.poller.run_due()
    assert await backend.services.broadcasts.recent() == []
    clock.set(_kst(2026, 3, 9, 10, 0))
    await backend.poller.run_due()
    await backend.poller.run_due()
    [launched] = await backend.services.broadcasts.recent()
    assert launched.reminder_id == 1 and launched.created_by is None
    assert launched.audience == Audience("all", None, reminder=True)
    assert launched.text_en == "Have a <b>good</b> week"
    rows = await backend.db.fetch_all(
        "SELECT telegram_id FROM deliveries WHERE broadcast_id = ? ORDER BY 1", (launched.id,)
    )
    assert [r["telegram_id"] for r in rows] == [1001, 1101]  # not 1002
    item = await backend.poller.work.get(FIRE_REMINDER, "1")
    assert item is not None and item.due_at == _kst(2026, 3, 16, 10, 0)
    actions = [e.action for e in await backend.services.staff.recent_actions()]
    assert actions[:2] == ["broadcast.launch", "reminder.create"]


async def _weekly_reminder(bot: BotRuntime, sandbox: BotApiSandbox) -> int:
    """Every Monday at 10:00 KST, to everyone; created at the clock's start (Monday 18:00).
    A volunteer is there: a run whose audience holds nobody is skipped, not launched."""
    await User(sandbox, bot, 1009).send("/start")
    services = _backend(bot).services
    reminder = await services.reminders.create(
        ADMIN_ID, Schedule("weekly", day=0, hour=10, minute=0), "all", None, "알림", None
    )
    assert reminder is not None
    return reminder.id


async def _launches(bot: BotRuntime) -> int:
    return len(await _backend(bot).services.broadcasts.recent(limit=100))


async def test_after_weeks_of_downtime_only_the_latest_run_fires_once(
    start_bot: StartBot,
    sandbox: BotApiSandbox,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = await start_bot()
    await User(sandbox, first, ADMIN_ID).send("/start")
    reminder_id = await _weekly_reminder(first, sandbox)
    await first.stop()
    # Down from Monday 2 March to Monday 23 March, 15:00 KST: runs of the 9th and 16th were
    # missed by more than a day, the 23rd's by five hours.
    clock.set(_kst(2026, 3, 23, 15, 0))
    caplog.set_level(logging.WARNING, logger="bot.services.reminders")
    second = await start_bot()
    await second.poller.run_due()
    await second.poller.run_due()
    assert await _launches(second) == 1
    assert "reminder #1: 2 run(s) missed by more than a day skipped" in caplog.text
    item = await second.poller.work.get(FIRE_REMINDER, str(reminder_id))
    assert item is not None and item.due_at == _kst(2026, 3, 30, 10, 0)
    reminder = await _backend(second).services.reminders.get(reminder_id)
    assert reminder is not None and reminder.last_run_at == _kst(2026, 3, 23, 10, 0)


async def test_a_run_missed_by_more_than_a_day_is_skipped_with_a_log_line(
    start_bot: StartBot,
    sandbox: BotApiSandbox,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = await start_bot()
    reminder_id = await _weekly_reminder(first, sandbox)
    await first.stop()
    clock.set(_kst(2026, 3, 10, 10, 1))  # the 9th's run is a day and a minute old
    caplog.set_level(logging.WARNING, logger="bot.services.reminders")
    second = await start_bot()
    await second.poller.run_due()
    assert await _launches(second) == 0
    assert "reminder #1: 1 run(s) missed by more than a day skipped" in caplog.text
    item = await second.poller.work.get(FIRE_REMINDER, str(reminder_id))
    assert item is not None and item.due_at == _kst(2026, 3, 16, 10, 0)
    clock.set(_kst(2026, 3, 16, 10, 0))
    await second.poller.run_due()
    assert await _launches(second) == 1


async def test_a_run_killed_after_launching_is_not_launched_twice(
    bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    reminder_id = await _weekly_reminder(bot, sandbox)
    backend = _backend(bot)
    clock.set(_kst(2026, 3, 9, 10, 0))
    # What a run killed between launch and scheduling the next run leaves behind: the
    # broadcast exists and the item is still due at the same run.
    item = await backend.poller.work.get(FIRE_REMINDER, str(reminder_id))
    assert item is not None
    await backend.services.reminders.fire(str(reminder_id), item.payload)
    await backend.poller.work.schedule(
        FIRE_REMINDER, str(reminder_id), item.payload, due_at=item.due_at
    )
    clock.advance(timedelta(minutes=11))  # the dead run's lease is over
    await backend.poller.run_due()
    assert await _launches(bot) == 1
    again = await backend.poller.work.get(FIRE_REMINDER, str(reminder_id))
    assert again is not None and again.due_at == _kst(2026, 3, 16, 10, 0)


async def test_pause_resume_and_delete_from_the_list(
    user: Callable[..., User], bot: BotRuntime, sandbox: BotApiSandbox, clock: FakeClock
) -> None:
    reminder_id = await _weekly_reminder(bot, sandbox)
    backend = _backend(bot)
    admin = user(ADMIN_ID)
    await admin.send("/remind")
    seen = await admin.click(f"⏸ #{reminder_id} 멈추기")
    assert seen.toast is not None and seen.toast["text"] == "알림을 멈췄어요."
    assert "· 멈춤" in seen.edited[-1].text
    assert await backend.poller.work.get(FIRE_REMINDER, str(reminder_id)) is None
    clock.set(_kst(2026, 3, 9, 10, 0))
    await backend.poller.run_due()
    assert await _launches(bot) == 0

    clock.set(_kst(2026, 3, 12, 12, 0))
    await admin.send("/remind")  # the earlier list's buttons expired with its flow
    seen = await admin.click(f"▶️ #{reminder_id} 다시 켜기")
    assert "다음 알림: 3월 16일 오전 10시" in seen.edited[-1].text  # from now on
    await backend.poller.run_due()
    assert await _launches(bot) == 0  # the runs missed while paused never fire

    await admin.click(f"🗑 #{reminder_id} 지우기")
    seen = await admin.click("네, 지워 주세요")
    assert seen.toast is not None and seen.toast["text"] == "알림을 지웠어요."
    assert await backend.services.reminders.list() == []
    assert await backend.poller.work.get(FIRE_REMINDER, str(reminder_id)) is None
    clock.set(_kst(2026, 3, 16, 10, 0))
    await backend.poller.run_due()
    assert await _launches(bot) == 0
    actions = [e.action for e in await backend.services.staff.recent_actions()]
    assert actions[:3] == ["reminder.delete", "reminder.resume", "reminder.pause"]


async def test_a_one_off_in_the_past_is_refused_and_one_in_the_future_fires_once(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    await _volunteers(user, bot)
    admin = user(ADMIN_ID)
    await admin.send("/remind")
    await admin.click("➕ 새 알림 만들기")
    await admin.click("한 번만")
    assert "이미 지난 때예요." in (await admin.send("2026-03-01 10:00")).text
    assert "2026-12-25 10:00" in (await admin.send("2026-02-30 10:00")).text
    seen = await admin.send("2026-03-20 14:30")
    assert "2026년 3월 20일 오후 2시 30분에 한 번" in seen.text  # the date in full, always
    await admin.click("🌐 모든 언어")  # → Korean users only: one text, no English step
    await admin.click("모든 봉사자 · 1명")
    await admin.send("오늘 오후 봉사 잊지 마세요")
    await admin.click("만들기 · 지금 기준 1명")
    backend = _backend(bot)
    clock.set(_kst(2026, 3, 20, 14, 30))
    await backend.poller.run_due()
    clock.advance(timedelta(days=30))
    await backend.poller.run_due()
    assert await _launches(bot) == 1
    [reminder] = await backend.services.reminders.list()
    assert reminder.state == "done" and reminder.next_run_at is None
    assert await backend.poller.work.get(FIRE_REMINDER, str(reminder.id)) is None


async def test_a_run_with_nobody_in_its_audience_shows_as_skipped_in_remind(
    user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    """Nobody to reach (only staff here): no broadcast "to 0"; /remind says the run was
    skipped because nobody was in its audience, and the next run is due as usual."""
    admin = user(ADMIN_ID)
    await admin.send("/start")
    services = _backend(bot).services
    made = await services.reminders.create(
        ADMIN_ID, Schedule("weekly", day=0, hour=10, minute=0), "all", None, "알림", None
    )
    assert made is not None
    clock.set(_kst(2026, 3, 9, 10, 0))
    await bot.poller.run_due()
    assert await _launches(bot) == 0
    seen = await admin.send("/remind")
    assert (
        "⏭ 오전 10시에 보낼 차례였지만 대상에 해당하는 봉사자가 없어서 보내지 않고 건너뛰었어요.\n"
        "다음 알림: 3월 16일 오전 10시"
    ) in seen.text
    assert "· 켜짐" in seen.text
    entries = await services.staff.recent_actions()
    assert entries[0].action == "reminder.skip_empty"


async def test_a_one_off_schedule_always_says_its_date_even_today(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    """ "오후 8시에 한 번" read the next day would name no day: the schedule has its date."""
    admin = user(ADMIN_ID)
    await admin.send("/start")
    services = _backend(bot).services
    today_at_8 = Schedule("once", once_at=_kst(2026, 3, 2, 20, 0))  # the clock: 2 March 18:00
    made = await services.reminders.create(ADMIN_ID, today_at_8, "all", None, "알림", None)
    assert made is not None
    seen = await admin.send("/remind")
    assert "#1 · 2026년 3월 2일 오후 8시에 한 번 · 켜짐" in seen.text
    assert "다음 알림: 오후 8시" in seen.text  # a moment still reads from today
    sam = user(1101, first_name="Sam", language_code="en")
    await sam.send("/start")
    await services.staff.add(1101, added_by=ADMIN_ID)
    seen = await sam.send("/remind")
    assert "#1 · once, 2026-03-02, 8 PM · " in seen.text
