"""/status: the member, their records and the hourly send, fetched from the gateway and cached.

The gateway is the authority on everything shown (contract v1.1): counts come from its
`counts`, the next possible send from its most recent transmission's `created_at` plus the
contract's cooldown; nothing is recomputed that the gateway states. What was fetched is kept
in the store with the time, so a gateway that is down, slow or wrong still leaves the user
with the last known picture and its age.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.services.errors import NotLinked, Unavailable
from bot.services.linking import LinkService
from bot.services.status_summary import Summary, dump, load, summarise
from core.clock import Clock
from linkage.client import GatewayClient
from linkage.errors import GatewayError, LinkNotFound
from linkage.models import SEND_COOLDOWN as COOLDOWN
from linkage.models import Record
from store.links import LinkRow
from store.sends import SendRepository

# RecordLine is what views get; handlers see it through this module (they never import store/).
from store.status_cache import CachedStatus, RecordLine, StatusCacheRepository

logger = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(seconds=30)  # per user, on the injectable clock
PAGE_SIZE = 10  # records per list page, for a phone
FETCH_LIMIT = 100  # the contract's largest page
MAX_RECORDS = 5000  # a walk stops here; a member with more sees the newest the gateway gives

Filter = Literal["unsent", "failed", "all"]
FILTERS: tuple[Filter, ...] = ("unsent", "failed", "all")
ACCOUNT_FIXES = ("account_1365_not_found", "identity_mismatch")

Step = Literal[
    "link",
    "consent_1365",
    "consent_vms",
    "fix_account",
    "fix_identity",
    "resend_failed",
    "send_unsent",
    "resend_later",
    "send_later",
    "wait_results",
    "wait_visible",
    "look_on_1365",
    "nothing",
]


@dataclass(frozen=True)
class StatusView:
    """A summary with its age; `stale` when the gateway could not be asked just now."""

    summary: Summary
    fetched_at: datetime
    stale: bool
    # What /send's own store knows now (store/sends.py), read live, never cached: a send whose
    # outcome is still being settled, and the earliest next send (our accepted sends and the
    # gateway's 429), so /status and /send always name the same time.
    sending: bool = False
    local_until: datetime | None = None

    def next_send_at(self) -> datetime | None:
        last = self.summary.last_sent_at
        times = [t for t in (last + COOLDOWN if last else None, self.local_until) if t]
        return max(times) if times else None


@dataclass(frozen=True)
class RecordPage:
    lines: list[RecordLine]
    page: int
    pages: int
    total: int
    filter: Filter
    fetched_at: datetime


@dataclass(frozen=True)
class Failed:
    """Failed records as last fetched: how many sending again can help, and the commonest why."""

    resendable: int
    top_reason: str | None


class NothingCached(Exception):
    """The gateway could not be asked and nothing was ever fetched."""


class RefreshTooSoon(Exception):
    """The 🔄 button within REFRESH_EVERY of the last attempt: `wait` is what is left."""

    def __init__(self, wait: timedelta) -> None:
        super().__init__(f"wait {wait}")
        self.wait = wait


class StatusService:
    """Use-cases of /status and its list."""

    def __init__(
        self,
        gateway: GatewayClient,
        links: LinkService,
        cache: StatusCacheRepository,
        clock: Clock,
        sends: SendRepository | None = None,
    ) -> None:
        self._gateway = gateway
        self._links = links
        self._cache = cache
        self._clock = clock
        self._sends = sends

    async def show(self, telegram_id: int, *, refresh: bool = False) -> StatusView:
        """The status with what /send's store knows right now (see StatusView.sending)."""
        view = await self._show(telegram_id, refresh=refresh)
        if self._sends is None:
            return view
        busy, until = await self._sends.next_allowed(telegram_id, COOLDOWN)
        return replace(view, sending=busy, local_until=until)

    async def failed(self, telegram_id: int) -> Failed | None:
        """The failed records the guide must not call "all fine"; None when unknown or none."""
        try:
            summary = (await self._show(telegram_id)).summary
        except (NotLinked, NothingCached):
            return None
        if not summary.failed.count:
            return None
        return Failed(summary.resendable_failed, summary.top_reason)

    async def _show(self, telegram_id: int, *, refresh: bool = False) -> StatusView:
        """The status, fetched when the cache is older than the refresh interval.

        `refresh` (the 🔄 button) raises RefreshTooSoon within 30 s of the last attempt. Raises
        NotLinked, or NothingCached when the gateway fails and nothing was fetched before.
        """
        link = await self._links.current(telegram_id)
        if link is None:
            raise NotLinked
        now = self._clock.now()
        cached, known = await self._known(telegram_id, link)
        if cached is not None and now - cached.tried_at < REFRESH_EVERY:
            if refresh:
                raise RefreshTooSoon(REFRESH_EVERY - (now - cached.tried_at))
            if known is not None:
                return known
        await self._cache.tried(telegram_id, link.link_id, now)
        try:
            return await self._fetch(telegram_id, link.link_id)
        except Unavailable:
            if known is None:
                raise NothingCached from None
            return replace(known, stale=True)

    async def _known(
        self, telegram_id: int, link: LinkRow
    ) -> tuple[CachedStatus | None, StatusView | None]:
        """The cache of this link (another member's is never shown under it), and the status
        it holds, if any; stale when the last attempt failed (it is newer than the fetch)."""
        cached = await self._cache.get(telegram_id)
        if cached is None or cached.link_id != link.link_id:
            return None, None
        if cached.summary is None or cached.fetched_at is None:
            return cached, None
        summary = load(cached.summary, link.vms_id)
        if summary is None:
            return cached, None
        stale = cached.tried_at > cached.fetched_at
        return cached, StatusView(summary, cached.fetched_at, stale=stale)

    async def _fetch(self, telegram_id: int, link_id: str) -> StatusView:
        member = await self._links.member(telegram_id)
        if member is None:
            await self._cache.drop(telegram_id)
            raise NotLinked  # revoked on the gateway side meanwhile
        try:
            records, counts = await self._walk(link_id)
            sent = await self._gateway.transmissions(link_id, limit=1)
        except LinkNotFound:
            await self._cache.drop(telegram_id)
            raise NotLinked from None
        except GatewayError as exc:
            logger.info("status fetch failed: %s (%s)", type(exc).__name__, exc.code)
            raise Unavailable(str(exc)) from None
        now = self._clock.now()
        # The newest accepted transmission, by its own time (not trusting the list's order).
        last = max((t.created_at for t in sent), default=None)
        summary = summarise(member, records, counts, last, now)
        lines = [line_of(r) for r in records]
        await self._cache.save(telegram_id, link_id, dump(summary), lines, now)
        await self._links.learned_records(
            telegram_id,
            link_id,
            unsent=summary.unsent.count,
            resendable_failed=summary.resendable_failed,
        )
        return StatusView(summary, now, stale=False)

    async def _walk(self, link_id: str) -> tuple[list[Record], dict[str, int]]:
        """Every record, following the gateway's cursors, in the gateway's order."""
        records: list[Record] = []
        seen: set[str] = set()
        cursor: str | None = None
        counts: dict[str, int] = {}
        while True:
            page = await self._gateway.records(link_id, limit=FETCH_LIMIT, cursor=cursor)
            if not counts:
                counts = page.counts.model_dump()
            for record in page.items:
                if record.record_id not in seen:  # a gateway repeating an item is not 2 records
                    seen.add(record.record_id)
                    records.append(record)
            cursor = page.next_cursor
            if not cursor or not page.items or len(records) >= MAX_RECORDS:
                return records, counts

    async def last_known(self, telegram_id: int) -> StatusView | None:
        """What /status last fetched for this user, from the cache only (never the gateway).

        For summaries other people read (a help request to staff); None when not linked or
        nothing was fetched under the current link.
        """
        link = await self._links.current(telegram_id)
        if link is None:
            return None
        _, known = await self._known(telegram_id, link)
        return None if known is None else replace(known, stale=True)

    async def page(self, telegram_id: int, filter: Filter, page: int) -> RecordPage:
        """One page of the cached list (the list shows what /status just fetched)."""
        cached = await self._current_cache(telegram_id)
        status = None if filter == "all" else filter
        rows, total = await self._cache.page(
            telegram_id, status, max(0, page) * PAGE_SIZE, PAGE_SIZE
        )
        pages = max(1, -(-total // PAGE_SIZE))
        if page < 0 or page >= pages:
            raise LookupError(page)
        assert cached.fetched_at is not None
        return RecordPage(rows, page, pages, total, filter, cached.fetched_at)

    async def lines(self, telegram_id: int, record_ids: list[str]) -> list[RecordLine]:
        """These records (by gateway id) as /status shows them, for a message about them.

        Read from the cache; when it lacks some (the volunteer never opened /status, or not
        since), the cache is fetched anew once. With the gateway down, what is cached.
        """
        found = await self._cache.records_by_id(telegram_id, record_ids)
        link = await self._links.current(telegram_id)
        if len(found) < len(set(record_ids)) and link is not None:
            try:
                await self._fetch(telegram_id, link.link_id)
            except (Unavailable, NotLinked):
                pass  # the message still goes out, naming what is known
            else:
                found = await self._cache.records_by_id(telegram_id, record_ids)
        return found

    async def record(self, telegram_id: int, ref: str) -> RecordLine:
        """This user's record by its ref; LookupError for an unknown one or another user's."""
        await self._current_cache(telegram_id)
        found = await self._cache.record(telegram_id, ref)
        if found is None:
            raise LookupError(ref)
        return found

    async def _current_cache(self, telegram_id: int) -> Any:
        link = await self._links.current(telegram_id)
        if link is None:
            raise NotLinked
        cached = await self._cache.get(telegram_id)
        if cached is None or cached.link_id != link.link_id or cached.fetched_at is None:
            raise NothingCached
        return cached


def next_step(view: StatusView | None, now: datetime) -> Step:
    """The one thing this user should do next, first that applies: the account's fixes first,
    then what the records call for."""
    if view is None:
        return "link"
    return _account_step(view.summary) or _records_step(view, now)


def _account_step(s: Summary) -> Step | None:
    """What the consents and the 1365 account still need, or None when they are in place."""
    m = s.member
    if not m.consent_1365.agreed:
        return "consent_1365"
    if not m.consent_vms.agreed:
        return "consent_vms"
    # The gateway's account state decides: failures of a deleted account are resent once the
    # volunteer has signed up again (the account is active again).
    if m.account_1365 != "active":
        return "fix_account"
    if s.failed.count and s.top_reason == "identity_mismatch":
        return "fix_identity"
    return None


def _records_step(view: StatusView, now: datetime) -> Step:
    s = view.summary
    if view.sending:
        return "wait_results"  # a send is out; offering another would only be refused
    at = view.next_send_at()
    can_send = at is None or at <= now
    if s.resendable_failed:
        # Within the hour a send button would only be refused: say when, not "wait for results"
        # (the results are in: they failed).
        return "resend_failed" if can_send else "resend_later"
    if s.unsent.count:
        return "send_unsent" if can_send else "send_later"
    if s.pending.count:
        return "wait_results"
    if s.waiting_at(now):
        return "wait_visible"  # "look on 1365" only once the records are there
    if s.succeeded.count:
        return "look_on_1365"
    return "nothing"


def ref_of(record_id: str) -> str:
    """A short, fixed-size handle for buttons, whatever the gateway's id looks like."""
    return hashlib.sha256(record_id.encode()).hexdigest()[:16]


def line_of(r: Record) -> RecordLine:
    """The gateway's record as the store keeps it and views show it (the one conversion)."""
    return RecordLine(
        ref=ref_of(r.record_id),
        record_id=r.record_id,
        activity_date=r.activity_date,
        host=r.host,
        activity=r.activity,
        minutes=r.minutes,
        kind=r.kind,
        status=r.status,
        sent_at=r.sent_at,
        reason_code=None if r.reason is None else r.reason.code,
        reason_message=None if r.reason is None else r.reason.message,
        visible_on_1365_at=r.visible_on_1365_at,
    )
