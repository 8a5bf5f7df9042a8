"""Webhook mode's inbox: accept an update (stored before Telegram hears 200), run stored
updates in each user's order on any worker, prune what is done, report the lag.

The composition root wires it (issue 16, part 3):
- the web app (bot/web/webhook.py) calls `accept` for every POST;
- each worker loops `run_once(worker_id, handle)`, where `handle` feeds the update to PTB;
- the poller runs `prune` as due work of kind PRUNE, scheduled once at start.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from core.clock import Clock
from store.due_work import DueWorkRepository
from store.inbox import InboxRepository

logger = logging.getLogger(__name__)

PRUNE = "inbox.prune"
LEASE = timedelta(minutes=5)  # far above one update's run; a dead worker's rows wait this long
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


class InboxService:
    def __init__(
        self,
        inbox: InboxRepository,
        clock: Clock,
        work: DueWorkRepository | None = None,
        *,
        lease: timedelta = LEASE,
    ) -> None:
        self._inbox = inbox
        self._clock = clock
        self._work = work
        self._lease = lease

    async def accept(self, body: bytes) -> Accepted:
        """Stores a POSTed update; returns once it is committed (or known already)."""
        update = parse_update(body)
        if update is None:
            return Accepted.MALFORMED
        text = json.dumps(update, ensure_ascii=False, separators=(",", ":"))
        stored = await self._inbox.add(update["update_id"], ordering_key(update), text)
        return Accepted.STORED if stored else Accepted.DUPLICATE

    async def run_once(self, worker: str, handle: Handle, limit: int = 10) -> int:
        """Claims what this worker may run now and runs it, users side by side; returns how
        many rows it finished. A row whose lease was lost meanwhile is left to its new owner."""
        items = await self._inbox.claim(worker, self._lease, limit)

        async def run(item_id: int, attempts: int, update: dict[str, Any]) -> bool:
            if attempts > MAX_ATTEMPTS:
                logger.error(
                    "inbox: update %d set aside after %d claims", update["update_id"], attempts - 1
                )
                return await self._inbox.complete(item_id, worker, GAVE_UP)
            error = None
            try:
                await handle(update)
            except Exception as exc:
                # PTB's own error handlers see handler errors first; what reaches here is a
                # bug in the processing itself. The class name only: messages quote data.
                error = type(exc).__name__
                logger.exception("inbox: update %d failed", update["update_id"])
            return await self._inbox.complete(item_id, worker, error)

        done = await asyncio.gather(*(run(i.id, i.attempts, i.update) for i in items))
        return sum(done)

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
