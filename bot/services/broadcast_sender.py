"""The one sender of staff broadcasts: paced, recorded delivery by delivery, crash-safe.

How a broadcast runs. BroadcastService.launch() wrote the deliveries and a 'broadcast.run'
due item. The poller runs `run_due()`, which starts the sending as a task of this process
and re-schedules the item a heartbeat later (BROADCAST_LEASE_SECONDS, 30 s by default), then
returns at once: a broadcast of 100,000 recipients takes over an hour at 20/s, and the
poller's passes (and its 10-minute lease) are for short work, so the sending must not live
inside one pass. While the task runs, each heartbeat finds it alive and pushes the item on
again; when the process dies, the item simply comes due within a heartbeat and the next
process resumes from the store. A clean stop makes the item due at once instead.

The at-most-once rule. Each delivery is written 'sending' before its Bot API call and its
outcome after. Deliveries found in 'sending' when a run starts were in flight when the
previous run died: Telegram may or may not have delivered them, so they become 'failed' with
error 'unknown' and are never sent again (the final report counts them apart). A call whose
answer was lost on the way back (a read timeout, a dropped connection) follows the same rule;
calls that provably never reached Telegram (no connection, a 5xx answer) are retried. A call
Telegram refused without taking the message (a 429, or one that never reached it) puts the
delivery back to 'queued' while the sender waits to try again, so a stop or a crash during a
long 429 pause leaves it for the next run rather than 'unknown'.

One sender per broadcast in the deployment. Several workers may share the store, and any of
them may claim the heartbeat. The run holds a lease on the broadcast (store/leases.py,
BROADCAST_LEASE_SECONDS on the injectable clock, renewed every third of it while the run
lasts); a worker whose heartbeat finds the lease held by another leaves the run alone (its
deliveries in flight are that worker's, not 'unknown') and looks again when the lease would
lapse. So a dead worker's broadcast is taken over within the lease plus one poller tick, and
settled as above; a worker that stalled past its lease finds it gone at its next renewal and
stops taking deliveries (each delivery's own conditional start means none is ever sent
twice).

Pacing. Telegram allows a bot about 30 messages a second in all. The sender takes at most
`rate` of them (BROADCAST_RATE, capped at 30 − REPLY_HEADROOM), through its own connection
pool and without the application's rate limiter, so a broadcast never queues in front of a
volunteer's reply: replies keep at least the rest of the 30/s and their own connections. Both
take a token of one bot-wide budget before each message (bot/rate_limit.py, given to the
courier), so together they stay within 30/s, and replies have all of it when no broadcast
runs. A 429 pauses the sender exactly `retry_after` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from bot.services.pacing import Pacer, Sleep
from bot.services.staff import StaffService
from core.clock import Clock
from store.broadcast_deliveries import UNKNOWN, DeliveryRepository, Outcome, Recipient, Tally
from store.broadcasts import RUN_BROADCAST, BroadcastRepository, BroadcastRow
from store.due_work import DueWorkRepository
from store.leases import LeaseRepository
from store.users import UserRepository

logger = logging.getLogger(__name__)

TELEGRAM_RATE = 30.0  # messages per second per bot, all chats together
REPLY_HEADROOM = 5.0  # kept for volunteers' replies even if BROADCAST_RATE asks for all 30
HEARTBEAT = timedelta(seconds=30)  # BROADCAST_LEASE_SECONDS' default: a dead run resumes in it
LEASE = HEARTBEAT  # a dead worker's run is taken over once this lapses (one poller tick late)
PROGRESS_EVERY = timedelta(seconds=5)  # on the injectable clock
IN_FLIGHT = 4  # concurrent calls: enough for 100/s on a slow link, few enough to stay polite
TRANSIENT_TRIES = 3  # calls that never reached Telegram, per delivery
FLOOD_TRIES = 10  # 429s per delivery before it counts as failed
ABORT_AFTER = 5  # this many identical refusals of the message, and nothing sent: stop
PAGE = 500  # recipients read per query
STOP_GRACE_SECONDS = 5.0  # a clean stop waits this long for calls in flight
FLOOD_WAITS_KEPT = 1000  # retry_afters remembered (flood_waits)


def broadcast_rate(asked: float) -> float:
    """The sender's share of Telegram's 30/s for BROADCAST_RATE `asked`."""
    return min(asked, TELEGRAM_RATE - REPLY_HEADROOM)


@dataclass(frozen=True)
class Result:
    """What one Bot API call came to, as the courier classified it.

    sent · blocked (403) · gone (chat not found, user deactivated) · rejected (any other
    400: the message is at fault; `detail` is Telegram's description) · flood (429,
    `retry_after` seconds) · transient (never reached Telegram: retry) · unknown (may have
    been delivered: never retried).
    """

    kind: Literal["sent", "blocked", "gone", "rejected", "flood", "transient", "unknown"]
    detail: str | None = None
    retry_after: float = 0.0


Ending = Literal["running", "done", "cancelled", "aborted"]


@dataclass(frozen=True)
class Progress:
    """What the staff member's progress message shows."""

    broadcast_id: int
    tally: Tally
    eta_seconds: int
    ending: Ending = "running"
    reason: str | None = None  # for "aborted": Telegram's description of the refusal


class Courier(Protocol):
    """The Telegram side (handlers/broadcast_run.py); no Telegram types leak in here."""

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def send(self, chat_id: int, text: str) -> Result: ...
    async def show_progress(
        self, chat_id: int, message_id: int | None, progress: Progress
    ) -> int | None: ...
    async def report(self, chat_id: int, progress: Progress) -> None: ...


LEASE_PREFIX = "broadcast:"


def lease_name(broadcast_id: int) -> str:
    return f"{LEASE_PREFIX}{broadcast_id}"


@dataclass
class _Run:
    broadcast: BroadcastRow
    # "lost": another worker took the lease over (this one stalled past it): it finishes.
    stopping: Ending | Literal["shutdown", "lost"] | None = None
    reason: str | None = None
    # A message Telegram took once is no message it refuses for everyone: never aborted then.
    delivered: bool = False
    last_refusal: str | None = None
    same_refusals: int = 0
    progress_at: datetime | None = None
    message_id: int | None = None


class BroadcastSender:
    """Runs 'broadcast.run' due work: one task per broadcast in this process."""

    def __init__(
        self,
        broadcasts: BroadcastRepository,
        deliveries: DeliveryRepository,
        users: UserRepository,
        staff: StaffService,
        work: DueWorkRepository,
        clock: Clock,
        leases: LeaseRepository,
        holder: str,
        *,
        rate: float,
        renew_every: float | None = None,
        alone: bool = False,
        lease: timedelta = LEASE,
    ) -> None:
        """`holder`: this worker's id in the leases; `renew_every`: wall-clock seconds between
        renewals of a running broadcast's lease (default: a third of it); `alone`: no other
        process uses the store (SQLite); `lease`: the lease, and the heartbeat with it
        (BROADCAST_LEASE_SECONDS: a dead worker's run is taken over within it, plus a tick)."""
        self._leases = leases
        self._alone = alone
        self._holder = holder
        self._lease = self._heartbeat = lease
        self.renew_every = renew_every if renew_every is not None else lease.total_seconds() / 3
        self._broadcasts = broadcasts
        self._deliveries = deliveries
        self._users = users
        self._staff = staff
        self._work = work
        self._clock = clock
        self._pacer = Pacer(broadcast_rate(rate))
        self._courier: Courier | None = None
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._runs: dict[int, _Run] = {}
        self._closing = False
        # The latest retry_afters honoured, for tests and the bench; bounded, as the sender
        # lives as long as the bot.
        self.flood_waits: deque[float] = deque(maxlen=FLOOD_WAITS_KEPT)

    def attach(self, courier: Courier) -> None:
        """The Telegram side, given once the application exists (app/build.py)."""
        self._courier = courier

    def pace(
        self,
        rate: float,
        *,
        now: Callable[[], float] | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        """Another rate or time source: the bench (a raised limit), tests (virtual time)."""
        kwargs: dict[str, Any] = {}
        if now is not None:
            kwargs["now"] = now
        if sleep is not None:
            kwargs["sleep"] = sleep
        self._pacer = Pacer(rate, **kwargs)

    @property
    def rate(self) -> float:
        return self._pacer.rate

    def running(self) -> list[int]:
        """The broadcasts this worker is sending now."""
        return sorted(i for i, task in self._tasks.items() if not task.done())

    # --- the due work -----------------------------------------------------------------------

    async def process_started(self) -> None:
        """On a store no other process uses, a broadcast lease held as this one starts is a
        dead process's (a kill -9): its run resumes at the next heartbeat, not when the lease
        would have lapsed. With several workers a lease may be a live one's, and stays."""
        if self._alone:
            await self._leases.release_all(LEASE_PREFIX)

    async def run_due(self, key: str, payload: dict[str, Any]) -> None:
        """Starts (or finds running) the sending of one broadcast and renews its heartbeat."""
        broadcast_id = int(key)
        if await self._deliveries.state(broadcast_id) != "sending":
            return  # done or cancelled: the item completes and is gone
        if self._courier is None or self._closing:
            raise RuntimeError("the broadcast sender is not attached or is closing")
        task = self._tasks.get(broadcast_id)
        if task is None or task.done():
            now = self._clock.now()
            if not await self._leases.take(
                lease_name(broadcast_id), self._holder, now + self._lease
            ):
                # Another worker's run holds it: its deliveries in flight are its own, not
                # 'unknown'. Look again when its lease would lapse (it renews it while alive).
                held = await self._leases.get(lease_name(broadcast_id))
                assert held is not None  # a lease row is never deleted, only let go
                again = max(held.until, now)
                await self._work.schedule(RUN_BROADCAST, key, payload, due_at=again)
                return
            # This worker holds the lease and runs none of it, so any 'sending' row is from
            # a run that died (its lease lapsed, or it was this worker's before a restart).
            unknown = await self._deliveries.settle_interrupted(broadcast_id)
            if unknown:
                logger.warning(
                    "broadcast %d resumes; %d in-flight deliveries counted as unknown",
                    broadcast_id,
                    unknown,
                )
            self._tasks[broadcast_id] = asyncio.create_task(
                self._run(broadcast_id), name=f"broadcast-{broadcast_id}"
            )
        await self._work.schedule(
            RUN_BROADCAST, key, payload, due_at=self._clock.now() + self._heartbeat
        )

    async def wait(self, broadcast_id: int) -> None:
        """Returns when this process's run of the broadcast has ended (at once if none)."""
        task = self._tasks.get(broadcast_id)
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)

    def cancelled(self, broadcast_id: int) -> None:
        """BroadcastService.cancel() ended it in the store: stop taking new deliveries."""
        run = self._runs.get(broadcast_id)
        if run is not None and run.stopping is None:
            run.stopping = "cancelled"

    async def stop(self) -> None:
        """Clean shutdown: lets in-flight calls finish, then makes the work due at once, so
        the next start resumes without waiting for the heartbeat."""
        self._closing = True
        for run in self._runs.values():
            run.stopping = run.stopping or "shutdown"
        tasks = [t for t in self._tasks.values() if not t.done()]
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
        for task in pending:  # held by a long 429 pause: the heartbeat resumes it
            task.cancel()
        if pending:
            await asyncio.wait(pending)

    # --- one run ------------------------------------------------------------------------------

    async def _run(self, broadcast_id: int) -> None:
        courier = self._courier
        broadcast = await self._broadcasts.get(broadcast_id)
        if courier is None or broadcast is None:
            return
        run = _Run(broadcast, message_id=broadcast.progress_message_id)
        self._runs[broadcast_id] = run
        renewing = asyncio.create_task(
            self._keep_lease(run), name=f"broadcast-{broadcast_id}-lease"
        )
        try:
            await courier.open()
            try:
                await self._progress(run, courier)  # the first: shown at once
                await self._send_all(run, courier)
                await self._finish(run, courier)
            finally:
                await courier.close()
        except Exception as exc:
            # The heartbeat brings the work back. The class name only: an exception's message
            # (or its traceback's locals in some handlers) may carry a text or a chat id.
            logger.error("broadcast %d stopped on %s; it resumes", broadcast_id, type(exc).__name__)
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
            # Let go at once, so a restart (or another worker) resumes without waiting for the
            # lease to lapse; before the task is forgotten, so a heartbeat here meanwhile finds
            # it still running rather than starting a run whose lease this would then drop.
            # Not shielded from a cancel: a lease left behind only lapses.
            try:
                await self._leases.release(lease_name(broadcast_id), self._holder)
            except Exception as exc:
                logger.warning(
                    "broadcast %d lease not released (%s)", broadcast_id, type(exc).__name__
                )
            finally:
                self._runs.pop(broadcast_id, None)
                self._tasks.pop(broadcast_id, None)

    async def _keep_lease(self, run: _Run) -> None:
        """Renews the run's lease while it lasts; once another worker has it, the run stops
        taking deliveries and leaves the rest to that worker."""
        name = lease_name(run.broadcast.id)
        while True:
            await asyncio.sleep(self.renew_every)
            try:
                held = await self._leases.take(name, self._holder, self._clock.now() + self._lease)
            except Exception as exc:
                # The store failing now: try again at the next renewal, the lease still holds.
                logger.warning("broadcast lease not renewed (%s)", type(exc).__name__)
                continue
            if not held:
                logger.warning("broadcast %d was taken over by another worker", run.broadcast.id)
                if run.stopping is None:
                    run.stopping = "lost"
                return

    async def _send_all(self, run: _Run, courier: Courier) -> None:
        broadcast_id = run.broadcast.id
        slots = asyncio.Semaphore(IN_FLIGHT)
        in_flight: set[asyncio.Task[None]] = set()
        after = 0
        try:
            while run.stopping is None:
                page = await self._deliveries.queued(broadcast_id, after, PAGE)
                if not page:
                    break
                for recipient in page:
                    after = recipient.telegram_id
                    await slots.acquire()
                    await self._pacer.take()
                    if run.stopping is not None:
                        slots.release()
                        break
                    task = asyncio.create_task(self._deliver(run, courier, recipient))
                    in_flight.add(task)
                    task.add_done_callback(in_flight.discard)
                    task.add_done_callback(lambda _: slots.release())
                    await self._progress(run, courier)
                # Another process (or an admin's SQL) may have ended it.
                if run.stopping is None and await self._deliveries.state(broadcast_id) != "sending":
                    run.stopping = "cancelled"
            if in_flight:
                await asyncio.wait(in_flight)
        except asyncio.CancelledError:
            # stop() gave up waiting (a long 429 pause): the deliveries end with the run rather
            # than go on by themselves through a closed courier. Those waiting out the pause
            # are 'queued' again; only a call really in flight stays 'sending' ('unknown').
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)
            raise

    def _text(self, run: _Run, recipient: Recipient) -> str:
        broadcast = run.broadcast
        if recipient.language == "en" and broadcast.text_en:
            return broadcast.text_en
        return broadcast.text_ko

    async def _deliver(self, run: _Run, courier: Courier, recipient: Recipient) -> None:
        broadcast_id, chat_id = run.broadcast.id, recipient.telegram_id
        if not await self._deliveries.start(broadcast_id, chat_id):
            return
        text = self._text(run, recipient)
        transient = floods = 0
        while True:
            result = await courier.send(chat_id, text)
            if result.kind == "flood" and floods < FLOOD_TRIES:
                floods += 1
                self.flood_waits.append(result.retry_after)
                self._pacer.pause(result.retry_after)
            elif result.kind == "transient" and transient + 1 < TRANSIENT_TRIES:
                transient += 1
            else:
                break
            # Telegram did not take it: 'queued' again while it waits, so a stop or a crash
            # during a long 429 pause leaves it to be sent by the next run, not 'unknown'.
            await self._deliveries.requeue(broadcast_id, chat_id)
            await self._pacer.take()
            if run.stopping is not None or not await self._deliveries.start(broadcast_id, chat_id):
                return  # cancelled, stopping or forgotten meanwhile: it stays queued (or gone)
        await self._record(run, recipient, result)

    async def _record(self, run: _Run, recipient: Recipient, result: Result) -> None:
        outcome: Outcome
        error: str | None = None
        match result.kind:
            case "sent":
                outcome = "sent"
            case "blocked" | "gone":
                # Both leave future audiences the same way; a user who writes again is back.
                outcome = result.kind
                await self._users.mark_blocked(recipient.telegram_id)
            case "unknown":
                outcome, error = "failed", UNKNOWN
            case _:
                outcome, error = "failed", (result.detail or result.kind)[:200]
        await self._deliveries.finish(run.broadcast.id, recipient.telegram_id, outcome, error)
        self._watch_refusals(run, result)

    def _watch_refusals(self, run: _Run, result: Result) -> None:
        """A message Telegram refuses for everyone (bad HTML, too long) stops the broadcast
        after a few identical refusals, instead of failing it 100,000 times."""
        if result.kind == "sent":
            run.delivered = True
        if result.kind != "rejected" or run.delivered:
            return
        if result.detail == run.last_refusal:
            run.same_refusals += 1
        else:
            run.last_refusal, run.same_refusals = result.detail, 1
        if run.same_refusals >= ABORT_AFTER and run.stopping is None:
            run.stopping, run.reason = "aborted", result.detail

    async def _progress(self, run: _Run, courier: Courier) -> None:
        now = self._clock.now()
        if run.broadcast.progress_chat_id is None:
            return
        if run.progress_at is not None and now - run.progress_at < PROGRESS_EVERY:
            return
        run.progress_at = now
        # Read again each time: the staff member may have used /forget since the run began,
        # and then their chat is no one's to write to.
        chat_id = await self._deliveries.progress_chat(run.broadcast.id)
        if chat_id is None:
            return
        progress = await self._snapshot(run, "running")
        message_id = await courier.show_progress(chat_id, run.message_id, progress)
        if message_id is not None and message_id != run.message_id:
            run.message_id = message_id
            await self._deliveries.set_progress_message(run.broadcast.id, message_id)

    async def _snapshot(self, run: _Run, ending: Ending) -> Progress:
        tally = await self._deliveries.tally(run.broadcast.id)
        eta = round(tally.remaining / self._pacer.rate) if ending == "running" else 0
        return Progress(run.broadcast.id, tally, eta, ending, run.reason)

    async def _finish(self, run: _Run, courier: Courier) -> None:
        broadcast_id = run.broadcast.id
        if run.stopping == "lost":
            return  # the worker that took the lease over finishes it and reports
        if run.stopping == "shutdown":
            # Resume as soon as the bot is back, not a heartbeat later.
            await self._work.schedule(
                RUN_BROADCAST, str(broadcast_id), {"broadcast_id": broadcast_id}
            )
            return
        ending: Ending = run.stopping or "done"
        if ending == "done" and (await self._deliveries.tally(broadcast_id)).remaining:
            return  # another sender still holds deliveries; the heartbeat looks again
        if ending in ("done", "aborted"):
            await self._deliveries.end(broadcast_id, "done" if ending == "done" else "cancelled")
        progress = await self._snapshot(run, ending)
        await self._staff.audit(
            None,
            f"broadcast.{ending}",
            broadcast=broadcast_id,
            sent=progress.tally.sent,
            failed=progress.tally.failed,
            unknown=progress.tally.unknown,
            blocked=progress.tally.blocked,
            gone=progress.tally.gone,
            queued=progress.tally.queued,
        )
        chat_id = await self._deliveries.progress_chat(broadcast_id)
        if chat_id is not None:
            await courier.show_progress(chat_id, run.message_id, progress)
            await courier.report(chat_id, progress)
