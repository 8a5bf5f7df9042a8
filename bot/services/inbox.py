"""Webhook mode's inbox: accept an update (stored before Telegram hears 200), run stored
updates in each user's order on any worker, prune what is done, report the lag.

The composition root wires it (issue 16, part 3):
- the web app (bot/web/webhook.py) calls `accept` for every POST;
- each worker loops `run_once(worker_id, handle)`, where `handle` feeds the update to PTB;
- the poller runs `prune` as due work of kind PRUNE, scheduled once at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.services.inbox_arrivals import Arrivals
from core.clock import Clock
from store.due_work import DueWorkRepository
from store.inbox import InboxItem, InboxRepository

logger = logging.getLogger(__name__)

PRUNE = "inbox.prune"
# How long a claim holds before another worker may take the row over. It is renewed every
# third of itself while the update runs (a gateway call with retries, a slow Bot API), so only
# a dead worker lets it run out: its user's updates wait this long (WEBHOOK_LEASE_SECONDS).
LEASE = timedelta(minutes=5)
# A row claimed this many times was held by a worker that died each time (an update that
# kills the process): it is set aside so the user's later updates are not blocked forever.
MAX_ATTEMPTS = 5
GAVE_UP = "GaveUpAfterRepeatedClaims"

Handle = Callable[[dict[str, Any]], Awaitable[None]]


class Accepted(enum.Enum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # that update_id was stored before: Telegram redelivered it
    MALFORMED = "malformed"


def ordering_key(update: Mapping[str, Any]) -> str:
    """Whose order an update keeps: its sender's, else its chat's, else its own.

    Every update kind that carries a person names them in "from" (message, callback_query,
    my_chat_member, …); channel posts have only a chat.
    """
    for value in update.values():
        if not isinstance(value, Mapping):
            continue
        sender = value.get("from")
        if isinstance(sender, Mapping) and isinstance(sender.get("id"), int):
            return f"user:{sender['id']}"
        chat = value.get("chat")
        if isinstance(chat, Mapping) and isinstance(chat.get("id"), int):
            return f"chat:{chat['id']}"
    return f"update:{update['update_id']}"


def parse_update(body: bytes) -> dict[str, Any] | None:
    """The update in a POST body, or None when it is not one (not JSON, no int update_id)."""
    try:
        update = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(update, dict):
        return None
    update_id = update.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return None
    return update


@dataclass(frozen=True)
class Ran:
    """What one claim of a worker ran: rows finished, and whether to claim again at once: the
    claim was full (more may wait), or a row of a user it held was stored meanwhile (by any
    process) and can be claimed now. Otherwise what arrives later wakes a worker itself,
    and a claim now would find nothing: a trip to the store per update for nothing."""

    done: int
    again: bool


class InboxService:
    def __init__(
        self,
        inbox: InboxRepository,
        clock: Clock,
        work: DueWorkRepository | None = None,
        *,
        lease: timedelta = LEASE,
        renew_every: float | None = None,
    ) -> None:
        """`renew_every`: wall-clock seconds between renewals of a running update's lease
        (default: a third of the lease)."""
        self._inbox = inbox
        self._arrivals = Arrivals(inbox)  # POSTs arriving together are stored together
        self._clock = clock
        self._work = work
        self._lease = lease
        self._renew_every = renew_every if renew_every is not None else lease.total_seconds() / 3

    async def accept(self, body: bytes) -> Accepted:
        """Stores a POSTed update; returns once it is committed (or known already)."""
        update = parse_update(body)
        if update is None:
            return Accepted.MALFORMED
        text = json.dumps(update, ensure_ascii=False, separators=(",", ":"))
        stored = await self._arrivals.add(update["update_id"], ordering_key(update), text)
        return Accepted.STORED if stored else Accepted.DUPLICATE

    async def run_once(self, worker: str, handle: Handle, limit: int = 10) -> int:
        """Claims what this worker may run now and runs it, users side by side; returns how
        many rows it finished. A row whose lease was lost meanwhile is left to its new owner."""
        return (await self.run_ready(worker, handle, limit)).done

    async def run_ready(self, worker: str, handle: Handle, limit: int = 10) -> Ran:
        """run_once(), saying too whether to claim again at once (see Ran)."""
        items = await self._inbox.claim(worker, self._lease, limit)

        async def run(item: InboxItem) -> tuple[bool, bool]:
            item_id, attempts, update = item.id, item.attempts, item.update
            if attempts > MAX_ATTEMPTS:
                logger.error(
                    "inbox: update %d set aside after %d claims", update["update_id"], attempts - 1
                )
                return await self._inbox.complete_and_look(item, worker, GAVE_UP)
            error = None
            # Most updates end long before their first renewal is due: the renewing task is
            # started only for one still running then (a task per update cost CPU for none).
            renewing: list[asyncio.Task[None]] = []
            timer = asyncio.get_running_loop().call_later(
                self._renew_every,
                lambda: renewing.append(
                    asyncio.create_task(self._keep_lease(item_id, worker, update["update_id"]))
                ),
            )
            try:
                await handle(update)
            except Exception as exc:
                # PTB's own error handlers see handler errors first; what reaches here is a
                # bug in the processing itself. The class name only: messages quote data.
                error = type(exc).__name__
                logger.exception("inbox: update %d failed", update["update_id"])
            finally:
                timer.cancel()
                for task in renewing:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            return await self._inbox.complete_and_look(item, worker, error)

        ended = await asyncio.gather(*(run(i) for i in items))
        return Ran(
            done=sum(done for done, _ in ended),
            again=len(items) >= limit or any(behind for _, behind in ended),
        )

    async def _keep_lease(self, item_id: int, worker: str, update_id: int) -> None:
        """Renews the lease while the update runs, so a long update is not taken over: now
        (started once the first renewal is due), then every `renew_every`."""
        while True:
            try:
                held = await self._inbox.extend(item_id, worker, self._lease)
            except Exception as exc:
                # The store failing now: try again at the next renewal, the lease still holds.
                logger.warning("inbox: lease not renewed (%s)", type(exc).__name__)
                held = True
            if not held:
                # Taken over after a stall longer than the lease: the new owner runs it too.
                logger.warning("inbox: update %d was taken over while it ran", update_id)
                return
            await asyncio.sleep(self._renew_every)

    async def keep_pruning(self) -> None:
        """At start-up: the daily PRUNE exists (due now; it schedules its next run itself)."""
        if self._work is not None:
            await self._work.schedule(PRUNE, "all")

    async def prune(self, key: str, payload: Mapping[str, object]) -> None:
        """Due work: deletes done rows older than a day, then comes back tomorrow."""
        removed = await self._inbox.prune()
        if removed:
            logger.info("inbox: pruned %d done update(s)", removed)
        if self._work is not None:
            await self._work.schedule(PRUNE, key, due_at=self._clock.now() + timedelta(days=1))

    async def health(self) -> dict[str, Any]:
        """For /healthz: whether the database answers, open rows, the oldest one's age."""
        try:
            lag = await self._inbox.lag()
        except Exception as exc:
            logger.warning("inbox: database unreachable (%s)", type(exc).__name__)
            return {"database": "unreachable"}
        return {
            "database": "ok",
            "inbox_open": lag.open_rows,
            "inbox_lag_seconds": round(lag.seconds(self._clock.now()), 3),
        }
