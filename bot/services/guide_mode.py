"""Guide mode: the bot runs with no gateway, and the volunteer does /link, /status and /send on
the sites themselves. The bot keeps their word (never called verified), knows VMS's one send
an hour, and asks 24 hours after a send whether 1365 shows it (due work, surviving restarts).

Its presence in `Services` is the one question the rest of the code asks: `services.guide_mode`
is None whenever a gateway answers (bot/services/container.py decides, once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal

from core.clock import Clock
from core.types import Site
from store.due_work import DueWorkRepository
from store.guide import GuideRepository
from store.self_reports import SelfReport, SelfReportRepository

CHECK = "guide.check"  # "1365에서 보이나요?" 24 h after a reported send
LATER = "guide.later"  # the one reminder the volunteer chose with "나중에 할게요"
ONE_SEND_PER = timedelta(hours=1)  # "봉사실적 전송은 1시간에 1회만 가능합니다" (seed)
VISIBLE_AFTER = timedelta(hours=24)  # "전송 성공 자료는 만 24시간 후 … 확인" (seed)
Later = Literal["evening", "tomorrow_morning", "tomorrow_evening", "in_3_days"]
LATER_CHOICES: tuple[Later, ...] = ("evening", "tomorrow_morning", "tomorrow_evening", "in_3_days")
_EVENING, _MORNING = time(20, 0), time(9, 0)


@dataclass(frozen=True)
class Recorded:
    """The send is noted: 1365 should show it from `visible_at`; VMS sends again from
    `next_send_at`."""

    sent_at: datetime
    visible_at: datetime
    next_send_at: datetime


@dataclass(frozen=True)
class AlreadySentThisHour:
    """A send was reported less than an hour ago: VMS refuses another until `next_send_at`."""

    sent_at: datetime
    next_send_at: datetime


@dataclass(frozen=True)
class Reported:
    """Everything the bot knows about this volunteer, all of it from their own word."""

    consents: tuple[Site, ...]  # sites whose consent they said they gave in the guide
    last_send: SelfReport | None
    next_send_at: datetime | None  # when VMS takes another send, if that is still ahead


class GuideModeService:
    def __init__(
        self,
        reports: SelfReportRepository,
        guide: GuideRepository,
        work: DueWorkRepository,
        clock: Clock,
        tz: tzinfo,
    ) -> None:
        self._reports = reports
        self._guide = guide
        self._work = work
        self._clock = clock
        self._tz = tz

    async def sent_on_vms(self, telegram_id: int) -> Recorded | AlreadySentThisHour:
        """The volunteer pressed '봉사실적 일괄전송' on VMS and says so."""
        now = self._clock.now()
        last = await self._reports.get(telegram_id)
        if last is not None and now < last.sent_at + ONE_SEND_PER:
            # VMS would have refused a second send within the hour: the first one stands.
            return AlreadySentThisHour(last.sent_at, last.sent_at + ONE_SEND_PER)
        await self._reports.sent(telegram_id, now)
        await self._work.schedule(CHECK, str(telegram_id), due_at=now + VISIBLE_AFTER)
        await self._forget_later(telegram_id)
        return Recorded(now, now + VISIBLE_AFTER, now + ONE_SEND_PER)

    async def due_question(self, key: str) -> int | None:
        """The volunteer to ask "1365에서 보이나요?", or None if they answered meanwhile."""
        report = await self._reports.get(int(key))
        if report is None or report.seen_on_1365 is not None:
            return None
        return report.telegram_id

    async def answer(self, telegram_id: int, seen: bool) -> bool:
        """Yes or no to "1365에서 보이나요?"; False when no send was reported (a stale button)."""
        done = await self._reports.answer(telegram_id, seen, self._clock.now())
        if done:
            await self._forget_later(telegram_id)
        return done

    def later_at(self, choice: Later) -> datetime:
        """The moment a "나중에 할게요" choice names, in the bot's time zone."""
        now = self._clock.now().astimezone(self._tz)
        if choice == "evening":
            at = datetime.combine(now.date(), _EVENING, self._tz)
            return at if at > now else at + timedelta(days=1)
        if choice == "in_3_days":
            return now + timedelta(days=3)
        moment = _MORNING if choice == "tomorrow_morning" else _EVENING
        return datetime.combine(now.date() + timedelta(days=1), moment, self._tz)

    def later_choices(self) -> list[tuple[Later, datetime]]:
        """The times offered; "this evening" only while it is still ahead today."""
        now = self._clock.now()
        choices = [(c, self.later_at(c)) for c in LATER_CHOICES]
        return [(c, at) for c, at in choices if c != "evening" or at - now < timedelta(days=1)]

    async def remind_later(self, telegram_id: int, choice: Later) -> datetime | None:
        """One reminder at the chosen time (a new choice replaces it); None if nothing is
        waiting for an answer."""
        report = await self._reports.get(telegram_id)
        if report is None or report.seen_on_1365 is not None:
            return None
        at = self.later_at(choice)
        await self._work.schedule(LATER, str(telegram_id), due_at=at)
        return at

    async def reported(self, telegram_id: int) -> Reported:
        progress = await self._guide.get(telegram_id)
        consents: tuple[Site, ...] = ()
        if progress is not None:
            sites: tuple[Site, ...] = ("1365", "vms")
            consents = tuple(s for s in sites if progress.consent(s).mark != "unknown")
        last = await self._reports.get(telegram_id)
        next_send = None
        if last is not None and self._clock.now() < last.sent_at + ONE_SEND_PER:
            next_send = last.sent_at + ONE_SEND_PER
        return Reported(consents, last, next_send)

    async def _forget_later(self, telegram_id: int) -> None:
        await self._work.cancel(LATER, str(telegram_id))
