"""Scheduled reminders: created, paused, resumed and deleted by staff; fired by the poller.

Each active reminder is one 'reminder.fire' due-work item at its next run. Firing launches an
ordinary broadcast marked as a reminder (notices-off volunteers left out) and schedules the
next run, computed from *now*: a bot that was down for weeks fires at most once on restart,
never once per missed period. The latest missed run fires if it was missed by less than
MISSED_LIMIT; older ones are skipped with a log line.

Runs are computed with plain datetime arithmetic in the settings' time zone: three shapes
(monthly, weekly, once) are a few lines each, and "monthly on the 31st" should mean the last
day of shorter months, which cron expressions (cronsim, croniter) cannot say: they skip those
months instead.

Exactly once per run: a run killed after launching but before scheduling the next one is run
again by the poller; it finds the broadcast it already launched (launched_since) and only
schedules the next run.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from bot.services.broadcasts import Audience, BroadcastService, EmptyAudience, Segment
from bot.services.staff import StaffService
from core.clock import Clock
from core.types import Lang
from store.reminders import (
    FIRE_REMINDER,
    ReminderRepository,
    ReminderRow,
    Repeat,
    Schedule,
    SkipReason,
)
from store.timestamps import from_text, to_text

__all__ = [
    "DEFAULT_SCHEDULE",
    "DEFAULT_SEGMENT",
    "FIRE_REMINDER",
    "MISSED_LIMIT",
    "ReminderRow",
    "ReminderService",
    "Repeat",
    "Schedule",
    "Skipped",
    "next_run",
    "parse_monthly",
    "parse_once",
    "parse_time",
]

logger = logging.getLogger(__name__)

MISSED_LIMIT = timedelta(days=1)
# The center's own reminder, offered at first use of /remind: the 25th at 10:00, to those
# with records still unsent or failed. Its text is in the catalogs (remind.default.text).
DEFAULT_SCHEDULE = Schedule("monthly", day=25, hour=10, minute=0)
DEFAULT_SEGMENT: Segment = "unsent_or_failed"
_MAX_STEPS = 100_000  # occurrences walked when catching up: years of weekly runs


def _at(day: date, schedule: Schedule, tz: tzinfo) -> datetime:
    local = datetime.combine(day, time(schedule.hour, schedule.minute), tzinfo=tz)
    return local.astimezone(UTC)


def _month_day(year: int, month: int, wanted: int) -> date:
    """The wanted day, or the month's last day when the month is shorter."""
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def next_run(schedule: Schedule, after: datetime, tz: tzinfo) -> datetime | None:
    """The first run strictly later than `after` (UTC), or None when there is none."""
    if schedule.repeat == "once":
        assert schedule.once_at is not None
        return schedule.once_at if schedule.once_at > after else None
    assert schedule.day is not None
    local = after.astimezone(tz).date()
    if schedule.repeat == "weekly":
        for ahead in range(8):
            day = local + timedelta(days=ahead)
            if day.weekday() == schedule.day and _at(day, schedule, tz) > after:
                return _at(day, schedule, tz)
        raise AssertionError("a weekday comes within eight days")
    year, month = local.year, local.month
    for _ in range(3):
        candidate = _at(_month_day(year, month, schedule.day), schedule, tz)
        if candidate > after:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise AssertionError("a monthly day comes within three months")


_TIME = r"([01]?\d|2[0-3]):([0-5]\d)"
_MONTHLY = re.compile(rf"(\d{{1,2}})\s*일?\s+{_TIME}")
_ONCE = re.compile(rf"(\d{{4}})[-./]\s*(\d{{1,2}})[-./]\s*(\d{{1,2}})\.?\s+{_TIME}")


def parse_time(text: str) -> tuple[int, int] | None:
    """ "10:00" → (10, 0)."""
    match = re.fullmatch(_TIME, text.strip())
    return (int(match[1]), int(match[2])) if match else None


def parse_monthly(text: str) -> Schedule | None:
    """ "25 10:00" (or "25일 10:00") → monthly on the 25th at 10:00."""
    match = _MONTHLY.fullmatch(text.strip())
    if match is None or not 1 <= int(match[1]) <= 31:
        return None
    return Schedule("monthly", day=int(match[1]), hour=int(match[2]), minute=int(match[3]))


def parse_once(text: str, tz: tzinfo) -> Schedule | None:
    """ "2026-12-25 10:00" in `tz` → once at that moment; None if no such date."""
    match = _ONCE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    moment = datetime.combine(day, time(int(match[4]), int(match[5])), tzinfo=tz)
    return Schedule("once", hour=moment.hour, minute=moment.minute, once_at=moment.astimezone(UTC))


@dataclass(frozen=True)
class Skipped:
    """A run missed by more than MISSED_LIMIT (the bot was down): not sent, said so."""

    reminder: ReminderRow
    due_at: datetime  # the latest run skipped
    missed: int  # runs skipped this time
    next_run_at: datetime | None


class ReminderService:
    """Reminders' use-cases and the due handler that fires them; no Telegram types here."""

    def __init__(
        self,
        repository: ReminderRepository,
        broadcasts: BroadcastService,
        staff: StaffService,
        clock: Clock,
        tz: tzinfo,
    ) -> None:
        self._reminders = repository
        self._broadcasts = broadcasts
        self._staff = staff
        self._clock = clock
        self._tz = tz
        # Told of each skip (handlers/remind.py's skip_notice tells the reminder's author);
        # at most once: a crash before it leaves the skip in /remind and the audit log, unsent.
        self.on_skipped: list[Callable[[Skipped], Awaitable[None]]] = []

    @property
    def tz(self) -> tzinfo:
        return self._tz

    async def list(self) -> list[ReminderRow]:
        return await self._reminders.list()

    async def get(self, reminder_id: int) -> ReminderRow | None:
        return await self._reminders.get(reminder_id)

    async def any(self) -> bool:
        return await self._reminders.count() > 0

    def next_run(self, schedule: Schedule) -> datetime | None:
        """The schedule's first run from now, or None (a one-off in the past)."""
        return next_run(schedule, self._clock.now(), self._tz)

    async def create(
        self,
        created_by: int,
        schedule: Schedule,
        segment: Segment,
        language: Lang | None,
        text_ko: str,
        text_en: str | None,
    ) -> ReminderRow | None:
        """Stores the reminder with its first run; None if the schedule has no run left."""
        first = self.next_run(schedule)
        if first is None:
            return None
        reminder_id = await self._reminders.create(
            created_by=created_by,
            schedule=schedule,
            segment=segment,
            language=language,
            text_ko=text_ko,
            text_en=text_en,
            next_run_at=first,
        )
        await self._staff.audit(
            created_by,
            "reminder.create",
            reminder=reminder_id,
            repeat=schedule.repeat,
            segment=segment,
            language=language,
        )
        return await self._reminders.get(reminder_id)

    async def pause(self, reminder_id: int, actor: int) -> bool:
        paused = await self._reminders.pause(reminder_id)
        if paused:
            await self._staff.audit(actor, "reminder.pause", reminder=reminder_id)
        return paused

    async def resume(self, reminder_id: int, actor: int) -> bool:
        """Active again from its next run after now; False if not paused or nothing is left."""
        reminder = await self._reminders.get(reminder_id)
        first = self.next_run(reminder.schedule) if reminder is not None else None
        if first is None or not await self._reminders.resume(reminder_id, first):
            return False
        await self._staff.audit(actor, "reminder.resume", reminder=reminder_id)
        return True

    async def delete(self, reminder_id: int, actor: int) -> bool:
        deleted = await self._reminders.delete(reminder_id)
        if deleted:
            await self._staff.audit(actor, "reminder.delete", reminder=reminder_id)
        return deleted

    async def fire(self, key: str, payload: dict[str, Any]) -> None:
        """The FIRE_REMINDER due handler: launch the latest run due (once), schedule the next."""
        try:
            reminder = await self._reminders.get(int(key))
            run_at = from_text(str(payload["run_at"]))
        except (ValueError, KeyError):
            return  # not an item this version wrote: nothing to fire
        if reminder is None or reminder.state != "active":
            return  # paused or deleted while the item was claimed
        now = self._clock.now()
        latest, missed = run_at, 0
        for _ in range(_MAX_STEPS):
            following = next_run(reminder.schedule, latest, self._tz)
            if following is None or following > now:
                break
            latest, missed = following, missed + 1
        ran: datetime | None = latest
        skipped: datetime | None = None
        reason: SkipReason = "late"
        if now - latest >= MISSED_LIMIT:
            missed, ran, skipped = missed + 1, None, latest
        elif not await self._launch(reminder, latest):
            ran, skipped, reason = None, latest, "empty"
        if missed:
            logger.warning(
                "reminder #%d: %d run(s) missed by more than a day skipped (the bot was down)%s",
                reminder.id,
                missed,
                "" if ran is None else "; the latest fires now",
            )
        following = next_run(reminder.schedule, now, self._tz)
        await self._reminders.advance(
            reminder.id, ran_at=ran, next_run_at=following, skipped_at=skipped, skip_reason=reason
        )
        if skipped is not None:
            await self._skipped(Skipped(reminder, skipped, missed, following), reason)

    async def _skipped(self, skip: Skipped, reason: SkipReason) -> None:
        """Shown as skipped, never as sent: in the audit log and /remind, with why."""
        reminder_id, due = skip.reminder.id, to_text(skip.due_at)
        if reason == "empty":
            # Its author is not messaged: nothing went wrong, and a segment may stay empty
            # month after month.
            logger.info("reminder #%d: nobody in its audience; run skipped", reminder_id)
            await self._staff.audit(None, "reminder.skip_empty", reminder=reminder_id, due=due)
            return
        await self._staff.audit(
            None, "reminder.skip", reminder=reminder_id, missed=skip.missed, due=due
        )
        for hook in self.on_skipped:  # the author is told (handlers/remind.py)
            await hook(skip)

    async def _launch(self, reminder: ReminderRow, run_at: datetime) -> bool:
        """Launches the run due at `run_at` as a broadcast marked as a reminder, once (a run
        killed before it scheduled the next one finds its broadcast). False, and nothing
        launched, when its audience holds nobody: a broadcast to no one reads as "sent to 0"."""
        if await self._reminders.launched_since(reminder.id, run_at):
            return True
        try:
            await self._broadcasts.launch(
                created_by=None,
                reminder_id=reminder.id,
                audience=Audience(reminder.segment, reminder.language, reminder=True),
                text_ko=reminder.text_ko,
                text_en=reminder.text_en,
                # Nobody is watching a scheduled run; /stats lists it with its totals.
                progress_chat_id=None,
                skip_empty=True,
            )
        except EmptyAudience:
            return False
        return True
