"""The new-record nudge: once a day, per linked user, "new records came into VMS, send them?".

One due-work item per user (NUDGE, key = the Telegram id), scheduled when they link, with the
records unsent at that moment as its baseline (what was there when they linked is not "new";
only when the gateway fails just then does a first run soon take the baseline). Every run is
at the user's own time of day, spread over daytime by a stable hash of the Telegram id, so a
thousand users do not all ask the gateway at once. It reschedules
itself for the next day. The payload keeps only the opaque link id, short hashes of the unsent
record ids last seen and the time of the last nudge: no texts, nothing a reader could use.

The item stops (is not rescheduled) for a user who blocked the bot, turned the switch off,
unlinked (or relinked: the new link schedules its own) or was forgotten (the item names the
user, so it goes with the user row: store/due_work.py, schedule_for_user). Turning the
switch on again starts it anew.

Delivery rule: the item is rescheduled (with the new baseline) before the message goes out,
so a crash inside that sendMessage loses that day's nudge rather than repeating it: a nudge
is a courtesy, never worth a duplicate.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from bot.services.linking import LinkService
from core.clock import Clock
from linkage.client import GatewayClient
from linkage.errors import GatewayError, LinkNotFound
from store.due_work import DueWorkRepository
from store.links import LinkRow
from store.users import UserRepository

logger = logging.getLogger(__name__)

NUDGE = "send.nudge"
BASELINE_AFTER = timedelta(minutes=1)
# Nudges go out in daytime, local time: from 10:00 for ten hours.
DAY_START = time(10, 0)
DAY_SPAN = timedelta(hours=10)
# At most once a day, even if a relink or the switch brings a run forward.
MIN_GAP = timedelta(hours=20)
_PAGE = 100
_MAX_SEEN = 5000  # hashes kept; a member with more unsent records is nudged by the newest
_HASH = 12  # hex characters of a record id's hash: enough to tell records apart


@dataclass(frozen=True)
class Nudge:
    """Tell this user that `count` new unsent records are in VMS."""

    telegram_id: int
    count: int


def _hash(record_id: str) -> str:
    return hashlib.sha256(f"nudge:{record_id}".encode()).hexdigest()[:_HASH]


def slot_offset(telegram_id: int) -> timedelta:
    """The user's own time within the daytime window: stable, spread evenly by a hash."""
    digest = int(hashlib.sha256(f"nudge-slot:{telegram_id}".encode()).hexdigest()[:8], 16)
    return timedelta(seconds=digest % int(DAY_SPAN.total_seconds()))


def next_slot(telegram_id: int, now: datetime, tz: tzinfo) -> datetime:
    """The first of the user's daily times that is later than `now`."""
    local = now.astimezone(tz)
    day = datetime.combine(local.date(), DAY_START, tzinfo=tz) + slot_offset(telegram_id)
    while day <= now:
        day = datetime.combine(day.date() + timedelta(days=1), DAY_START, tzinfo=tz)
        day += slot_offset(telegram_id)
    return day


def _next_run(
    link_id: str, unsent: set[str], payload: dict[str, Any], now: datetime
) -> tuple[int, bool, dict[str, Any]]:
    """How many records are new since the last run, whether to tell, and the next payload."""
    seen = payload.get("seen")
    new = 0 if seen is None else len(unsent - set(seen))
    last = payload.get("nudged_at")
    recent = last is not None and now - datetime.fromisoformat(last) < MIN_GAP
    tell = new > 0 and not recent
    updated: dict[str, Any] = {"link_id": link_id}
    if tell or seen is None:
        updated["seen"] = sorted(unsent)[:_MAX_SEEN]
    else:
        # Not told (none new, or told lately): what was new stays new; what went out goes.
        updated["seen"] = sorted(unsent & set(seen))[:_MAX_SEEN]
    if tell:
        updated["nudged_at"] = now.isoformat()
    elif last is not None:
        updated["nudged_at"] = last
    return new, tell, updated


class NudgeService:
    def __init__(
        self,
        gateway: GatewayClient,
        links: LinkService,
        users: UserRepository,
        work: DueWorkRepository,
        clock: Clock,
        tz: tzinfo,
    ) -> None:
        self._gateway = gateway
        self._links = links
        self._users = users
        self._work = work
        self._clock = clock
        self._tz = tz

    async def start(self, telegram_id: int, link_id: str) -> None:
        """The user linked (or turned the switch on): the baseline now, then daily checks.

        The baseline is what is unsent at this moment, so a record added a minute after
        linking is new and told. With the gateway failing just now, a first run soon takes it.
        """
        now = self._clock.now()
        try:
            unsent = await self._unsent(link_id)
        except GatewayError as exc:
            logger.info("nudge baseline postponed: %s (%s)", type(exc).__name__, exc.code)
            payload: dict[str, Any] = {"link_id": link_id}
            await self._work.schedule_for_user(
                NUDGE, telegram_id, payload, due_at=now + BASELINE_AFTER
            )
            return
        await self._links.learned_records(
            telegram_id, link_id, unsent=len(unsent), resendable_failed=None
        )
        payload = {"link_id": link_id, "seen": sorted(unsent)[:_MAX_SEEN]}
        await self._again(telegram_id, payload, now)

    async def backfill(self) -> int:
        """At start-up: every linked user who wants notices has their daily item.

        Covers links made before this feature and users who came back after blocking the bot
        (their item stopped). The first run only records what is unsent now, at the user's
        own daily time, so nobody is told about records that were already there.
        """
        now = self._clock.now()
        missing = await self._links.reachable_without_work(NUDGE)
        for telegram_id, link_id in missing:
            await self._work.schedule_for_user(
                NUDGE,
                telegram_id,
                {"link_id": link_id},
                due_at=next_slot(telegram_id, now, self._tz),
            )
        return len(missing)

    async def resume(self, telegram_id: int) -> None:
        """The switch went on: start again if linked (a stopped item is gone)."""
        link = await self._links.current(telegram_id)
        if link is not None:
            await self.start(telegram_id, link.link_id)

    async def set_switch(self, telegram_id: int, on: bool) -> None:
        await self._users.set_nudges(telegram_id, on)
        if on:
            await self.resume(telegram_id)
        # Off: the next run sees it and stops; nothing goes out meanwhile.

    async def check(self, key: str, payload: dict[str, Any]) -> Nudge | None:
        """The NUDGE step: a Nudge to tell, or None. Reschedules itself unless it stops."""
        try:
            telegram_id = int(key)
        except ValueError:
            return None
        link = await self._still_wanted(telegram_id, payload)
        if link is None:
            return None  # stops: the item completes and is not scheduled again
        now = self._clock.now()
        try:
            unsent = await self._unsent(link.link_id)
        except LinkNotFound:
            return None  # revoked on the gateway side: the next /status forgets it locally
        except GatewayError as exc:
            # Nothing is lost by skipping a day: the baseline stays, new records stay new.
            logger.info("nudge check skipped: %s (%s)", type(exc).__name__, exc.code)
            await self._again(telegram_id, payload, now)
            return None
        # What staff segments count learns it too (failed records were not read here).
        await self._links.learned_records(
            telegram_id, link.link_id, unsent=len(unsent), resendable_failed=None
        )
        new, tell, updated = _next_run(link.link_id, unsent, payload, now)
        await self._again(telegram_id, updated, now)
        return Nudge(telegram_id, new) if tell else None

    async def _still_wanted(self, telegram_id: int, payload: dict[str, Any]) -> LinkRow | None:
        """The link to look at, or None when the nudge is no longer wanted (blocked, switched
        off, unlinked, or linked anew since it was scheduled)."""
        user = await self._users.get(telegram_id)
        link = await self._links.current(telegram_id)
        if user is None or user.blocked_at is not None or not user.nudges or link is None:
            return None
        return link if link.link_id == payload.get("link_id") else None

    async def _again(self, telegram_id: int, payload: dict[str, Any], now: datetime) -> None:
        # Only while the user exists, in one statement: a /forget that came during the
        # gateway call above must not get the item (and the id) back.
        await self._work.schedule_for_user(
            NUDGE, telegram_id, payload, due_at=next_slot(telegram_id, now, self._tz)
        )

    async def _unsent(self, link_id: str) -> set[str]:
        hashes: set[str] = set()
        cursor: str | None = None
        for _ in range(10_000):  # a gateway whose cursor never ends must not hang us
            page = await self._gateway.records(
                link_id, status=("unsent",), limit=_PAGE, cursor=cursor
            )
            hashes.update(_hash(r.record_id) for r in page.items if r.status == "unsent")
            cursor = page.next_cursor
            if not cursor or not page.items:
                break
        return hashes
