"""Runs due work from the store: one handler per kind, retries with backoff, bounded attempts.

Everything "later" in the bot goes through here (owed link revocations, /send results,
nudges, reminders, broadcasts, questions to staff, flow expiry…; app/features.py lists every
feature, and so every kind). A feature schedules an item with
`DueWorkRepository.schedule(kind, key, payload, due_at=...)` and declares one idempotent
deliverer for its kind beside itself (`due_work` of its FEATURE, handlers/feature.py); the
composition root (app/) registers every declared kind here. Due-ness always comes from the
injectable clock: tests advance a FakeClock and `await poller.run_due()`; the running bot
calls the same method every few wall-clock seconds (`run_every`, owned by BotRuntime).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from core.clock import Clock
from core.retry import RetryPolicy
from store.due_work import DueItem, DueWorkRepository

logger = logging.getLogger(__name__)

DueHandler = Callable[[str, dict[str, Any]], Awaitable[None]]

_DEFAULT_POLICY = RetryPolicy()
# A pass stops claiming after this many batches even if handlers keep scheduling due work.
_MAX_BATCHES_PER_PASS = 100


@dataclass
class RunReport:
    """What one pass did, by item id."""

    done: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)
    # Claimed by this pass, but the lease was lost or the work re-scheduled meanwhile.
    superseded: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Kind:
    handler: DueHandler
    policy: RetryPolicy
    # Called once after the item is given up, so a person waiting on it can be told.
    on_give_up: DueHandler | None = None


class UnknownKind(Exception):
    """No handler registered for an item's kind (an older bot, or a feature removed)."""


class DuePoller:
    """Claims due items atomically, runs each kind's handler, records the outcome.

    Several pollers (tasks or processes) may share one database: the store's lease makes
    sure an item runs in one of them at a time. Within one poller, passes never overlap.
    """

    def __init__(
        self,
        work: DueWorkRepository,
        clock: Clock,
        *,
        lease: timedelta = timedelta(minutes=10),
        batch: int = 5,
        default_policy: RetryPolicy = _DEFAULT_POLICY,
        rng: random.Random | None = None,
    ) -> None:
        self._work = work
        self._clock = clock
        # A batch shares one lease and runs one item after another, so the lease must outlast
        # a whole batch of slow handlers (a gateway call with its retries: ~35 s at worst).
        # A pass keeps claiming batches while they come back full, so a small batch costs
        # one extra write per few items, not throughput.
        self._lease = lease
        self._batch = batch
        self._default_policy = default_policy
        self._rng = rng or random.Random()
        self._kinds: dict[str, _Kind] = {}
        self._pass = asyncio.Lock()
        self._passed = asyncio.Condition()

    @property
    def work(self) -> DueWorkRepository:
        """Where to schedule items."""
        return self._work

    def register(
        self,
        kind: str,
        handler: DueHandler,
        policy: RetryPolicy | None = None,
        *,
        on_give_up: DueHandler | None = None,
    ) -> None:
        """Names the handler for one kind of work; it must be safe to run twice.

        `on_give_up` runs once when an item of this kind is given up (its errors are logged,
        never retried): the place to tell a user that what they wait for will not come.
        """
        if kind in self._kinds:
            raise ValueError(f"a handler for due work {kind!r} is already registered")
        self._kinds[kind] = _Kind(handler, policy or self._default_policy, on_give_up)

    async def run_due(self) -> RunReport:
        """Runs every item due now on the clock; returns once each has been tried.

        A pass already under way is waited for, so after this returns nothing that was due
        when it was called is still running in this poller.
        """
        report = RunReport()
        async with self._pass:
            for _ in range(_MAX_BATCHES_PER_PASS):
                items = await self._work.claim_due(self._clock.now(), self._batch, self._lease)
                for item in items:
                    await self._run(item, report)
                if len(items) < self._batch:
                    break
        async with self._passed:
            self._passed.notify_all()
        return report

    async def next_pass(self) -> None:
        """Returns when the next pass (by run_every or anyone) has finished."""
        async with self._passed:
            await self._passed.wait()

    async def run_every(self, seconds: float, stop: asyncio.Event) -> None:
        """Runs a pass now and then every `seconds` of wall-clock time until `stop` is set."""
        while not stop.is_set():
            try:
                await self.run_due()
            except Exception as exc:  # the store being closed under us, a disk error…
                # The class name only: messages of database errors can quote parameters.
                logger.error("a due-work pass failed: %s", type(exc).__name__)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)

    async def _run(self, item: DueItem, report: RunReport) -> None:
        assert item.claim is not None and item.claimed_until is not None
        if self._clock.now() >= item.claimed_until:
            # Earlier items of the batch ran so long that this lease is gone: another worker
            # may hold the item now, so leave it to whoever claims it next.
            report.superseded.append(item.id)
            return
        kind = self._kinds.get(item.kind)
        policy = kind.policy if kind is not None else self._default_policy
        if item.attempts > policy.max_attempts:
            # Claimed again after its last allowed run was killed mid-way: never run it more.
            await self._give_up(item, item.last_error, report)
            return
        try:
            if kind is None:
                raise UnknownKind(item.kind)
            await kind.handler(item.key, item.payload)
        except Exception as exc:
            error = type(exc).__name__
            if item.attempts >= policy.max_attempts:
                await self._give_up(item, error, report)
                return
            next_try = self._clock.now() + policy.delay(item.attempts, self._rng)
            if await self._work.fail(item.id, item.claim, next_try, error):
                report.retried.append(item.id)
            else:
                report.superseded.append(item.id)
            return
        if await self._work.complete(item.id, item.claim):
            report.done.append(item.id)
        else:
            report.superseded.append(item.id)

    async def _give_up(self, item: DueItem, error: str | None, report: RunReport) -> None:
        assert item.claim is not None
        if not await self._work.give_up(item.id, item.claim, error):
            report.superseded.append(item.id)
            return
        report.given_up.append(item.id)
        # The one line an operator sees. Kind, row id and error class only: keys and payloads
        # are opaque, but a future kind's might not be, and the row id finds the rest.
        logger.warning(
            "gave up on due work %s #%d after %d attempt(s); last error: %s",
            item.kind,
            item.id,
            item.attempts,
            error or "none recorded",
        )
        kind = self._kinds.get(item.kind)
        if kind is not None and kind.on_give_up is not None:
            try:
                await kind.on_give_up(item.key, item.payload)
            except Exception as exc:  # told once or not at all; the give-up itself stands
                logger.warning(
                    "after giving up on %s #%d: %s", item.kind, item.id, type(exc).__name__
                )
