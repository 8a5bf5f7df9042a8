"""ReminderService over a real store: schedules, each run fired once, downtime, pause and
resume; tests/staff/test_reminders.py shows the staff's conversation."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.services.broadcasts import Segment
from bot.services.container import Backend, Services
from bot.services.reminders import FIRE_REMINDER, Schedule, Skipped
from core.clock import FakeClock
from store.due_work import DueItem, DueWorkRepository
from tests.conftest import ADMIN_ID

SEOUL = ZoneInfo("Asia/Seoul")
MONDAYS_AT_10 = Schedule("weekly", day=0, hour=10, minute=0)


def kst(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL)


async def weekly(services: Services, segment: Segment = "all") -> int:
    made = await services.reminders.create(ADMIN_ID, MONDAYS_AT_10, segment, None, "알림", "Note")
    assert made is not None
    return made.id


async def item_of(backend: Backend, reminder_id: int) -> DueItem:
    item = await DueWorkRepository(backend.db).get(FIRE_REMINDER, str(reminder_id))
    assert item is not None
    return item


async def fire(services: Services, backend: Backend, reminder_id: int) -> None:
    item = await item_of(backend, reminder_id)
    await services.reminders.fire(item.key, item.payload)


async def launches(services: Services) -> int:
    return len(await services.broadcasts.recent(50))


async def test_a_weekly_reminder_fires_on_schedule_once_and_schedules_the_next(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    for telegram_id in (1001, 1002):
        await services.users.seen(telegram_id, "ko")
    clock.set(kst(2026, 3, 2, 9, 0))  # a Monday, an hour before the run
    reminder_id = await weekly(services)
    assert (await item_of(backend, reminder_id)).due_at == kst(2026, 3, 2, 10, 0)
    assert services.reminders.next_run(MONDAYS_AT_10) == kst(2026, 3, 2, 10, 0)
    clock.set(kst(2026, 3, 2, 10, 0))
    first = await item_of(backend, reminder_id)
    await services.reminders.fire(first.key, first.payload)
    (broadcast,) = await services.broadcasts.recent()
    assert broadcast.reminder_id == reminder_id and broadcast.audience.reminder
    assert broadcast.progress_chat_id is None and broadcast.created_by is None
    assert (await services.broadcasts.totals(broadcast.id)).get("queued") == 2
    # A run killed after launching is fired again by the poller: it launches nothing twice.
    await services.reminders.fire(first.key, first.payload)
    assert await launches(services) == 1
    assert (await item_of(backend, reminder_id)).due_at == kst(2026, 3, 9, 10, 0)
    reminder = await services.reminders.get(reminder_id)
    assert reminder is not None and reminder.last_run_at == kst(2026, 3, 2, 10, 0)


async def test_after_weeks_down_only_the_latest_run_fires_and_older_ones_are_skipped(
    services: Services, backend: Backend, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    await services.users.seen(1001, "ko")  # someone to reach: an empty audience is skipped
    clock.set(kst(2026, 3, 2, 11, 0))
    reminder_id = await weekly(services)
    skips: list[Skipped] = []

    async def told(skip: Skipped) -> None:
        skips.append(skip)

    services.reminders.on_skipped.append(told)
    # Down until Monday the 23rd, 15:00: the 9th and 16th missed by over a day, the 23rd not.
    clock.set(kst(2026, 3, 23, 15, 0))
    await fire(services, backend, reminder_id)
    assert await launches(services) == 1 and skips == []
    assert "2 run(s) missed by more than a day skipped" in caplog.text
    assert (await item_of(backend, reminder_id)).due_at == kst(2026, 3, 30, 10, 0)
    # Down past the 30th's run by a day and a minute: skipped, said so, not sent.
    clock.set(kst(2026, 3, 31, 10, 1))
    await fire(services, backend, reminder_id)
    assert await launches(services) == 1
    (skip,) = skips
    assert (skip.due_at, skip.missed, skip.next_run_at) == (
        kst(2026, 3, 30, 10, 0),
        1,
        kst(2026, 4, 6, 10, 0),
    )
    reminder = await services.reminders.get(reminder_id)
    assert reminder is not None and reminder.skipped_run_at == kst(2026, 3, 30, 10, 0)
    actions = [e.action for e in await services.staff.recent_actions()]
    assert "reminder.skip" in actions and "reminder.create" in actions


async def test_pause_resume_delete_and_a_one_off_in_the_past(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    await services.users.seen(1001, "ko")  # someone to reach: an empty audience is skipped
    clock.set(kst(2026, 3, 2, 9, 0))
    reminder_id = await weekly(services)
    assert await services.reminders.pause(reminder_id, ADMIN_ID)
    assert not await services.reminders.pause(reminder_id, ADMIN_ID)
    clock.set(kst(2026, 3, 2, 10, 0))
    await services.reminders.fire(str(reminder_id), {"run_at": "2026-03-02T01:00:00+00:00"})
    assert await launches(services) == 0  # paused while its item was claimed
    clock.set(kst(2026, 3, 4, 12, 0))
    assert await services.reminders.resume(reminder_id, ADMIN_ID)
    assert (await item_of(backend, reminder_id)).due_at == kst(2026, 3, 9, 10, 0)
    assert not await services.reminders.resume(reminder_id, ADMIN_ID)  # not paused
    assert await services.reminders.delete(reminder_id, ADMIN_ID)
    assert await DueWorkRepository(backend.db).get(FIRE_REMINDER, str(reminder_id)) is None
    assert not await services.reminders.any()

    past = Schedule("once", once_at=clock.now() - timedelta(minutes=1))
    assert await services.reminders.create(ADMIN_ID, past, "all", None, "알림", None) is None
    soon = Schedule("once", once_at=clock.now() + timedelta(hours=1))
    made = await services.reminders.create(ADMIN_ID, soon, "all", None, "알림", None)
    assert made is not None
    clock.advance(timedelta(hours=1))
    await fire(services, backend, made.id)
    assert await launches(services) == 1
    fired = await services.reminders.get(made.id)
    assert fired is not None and fired.next_run_at is None and fired.last_run_at == clock.now()
    # An item of another version (no run_at) fires nothing.
    await services.reminders.fire(str(made.id), {})
    assert await launches(services) == 1


async def test_a_run_whose_audience_holds_nobody_is_skipped_not_sent_to_nobody(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    """An empty segment launches no broadcast "to 0": the run is recorded as skipped because
    nobody was in it (the row, the audit log, the desk's history), and its author is not
    messaged; the next run is scheduled as usual and fires once somebody is there."""
    await services.users.seen(1001, "ko")
    clock.set(kst(2026, 3, 2, 9, 0))
    reminder_id = await weekly(services, "never_sent")  # nobody is linked: the segment is empty
    skips: list[Skipped] = []

    async def told(skip: Skipped) -> None:
        skips.append(skip)

    services.reminders.on_skipped.append(told)
    clock.set(kst(2026, 3, 2, 10, 0))
    await fire(services, backend, reminder_id)
    assert await launches(services) == 0 and skips == []
    reminder = await services.reminders.get(reminder_id)
    assert reminder is not None and reminder.state == "active"
    assert (reminder.skipped_run_at, reminder.skip_reason) == (kst(2026, 3, 2, 10, 0), "empty")
    assert reminder.last_run_at is None
    assert (await item_of(backend, reminder_id)).due_at == kst(2026, 3, 9, 10, 0)
    (entry,) = [e for e in await services.staff.recent_actions() if "skip" in e.action]
    assert entry.action == "reminder.skip_empty"
    (run,) = await services.desk.reminder_runs(reminder_id)
    assert (run.at, run.broadcast_id, run.skip_reason) == (kst(2026, 3, 2, 10, 0), None, "empty")
    # A late skip still reads as late.
    clock.set(kst(2026, 3, 10, 10, 1))
    await fire(services, backend, reminder_id)
    reminder = await services.reminders.get(reminder_id)
    assert reminder is not None and reminder.skip_reason == "late" and len(skips) == 1
    runs = await services.desk.reminder_runs(reminder_id)
    assert [r.skip_reason for r in runs] == ["late", "empty"]
