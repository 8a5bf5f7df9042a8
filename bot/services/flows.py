"""A user's one open flow: opened, read, advanced and closed on the injectable clock.

A flow is a short dialogue that reads what the user types or presses next (/link waiting for an
ID, the settings menu, the guide). At most one is open per user; opening one replaces the
previous one, whose buttons then stop working (they carry its token). Expiry is a time stored
with the flow and compared with the clock when it is read: no timers, nothing lost on restart.
What a flow keeps (an ID typed into /link, a question's text) goes when it expires: a due-work
item per flow empties it then, even if the user never comes back; the row stays a week so the
user who types into it is told it expired.
No Telegram types here; handlers/flows.py routes updates to flows.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from core.clock import Clock
from store.due_work import DueWorkRepository
from store.flows import FlowRepository, FlowRow

logger = logging.getLogger(__name__)

# Values a flow may keep between steps: JSON, so a row is readable and safe to load.
FlowData = Mapping[str, Any]

# Due work: abandoned flows (a /link left at "send the code" keeps an opaque request id) are
# dropped once a week past their expiry, by one item that comes back every day.
SWEEP = "flows.sweep"
ABANDONED_AFTER = timedelta(days=7)
SWEEP_EVERY = timedelta(days=1)
# Due work at each flow's expiry, keyed by its (random, impersonal) token: empties the data of
# every flow expired by then. Closing a flow cancels its item; a flow replaced by another
# leaves one that finds nothing to do.
EXPIRE = "flows.expire"


def _new_token() -> str:
    # 8 URL-safe characters: unguessable enough for a button, short for 64-byte callback data.
    return secrets.token_urlsafe(6)


@dataclass(frozen=True)
class Flow:
    """The open flow as a step handler sees it."""

    name: str
    step: str
    token: str
    data: FlowData = field(default_factory=dict)
    message_id: int | None = None
    rendered: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Expired:
    """A flow left open past its time: to be treated as closed (and said so once)."""

    name: str
    token: str


def _flow(row: FlowRow) -> Flow:
    return Flow(
        name=row.name,
        step=row.step,
        token=row.token,
        data=json.loads(row.data),
        message_id=row.message_id,
        rendered=row.rendered,
        expires_at=row.expires_at,
    )


def _encode(data: FlowData) -> str:
    return json.dumps(dict(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class FlowService:
    """Open, read, advance, close; every change after opening names the flow's token."""

    def __init__(
        self,
        flows: FlowRepository,
        clock: Clock,
        new_token: Callable[[], str] = _new_token,
        work: DueWorkRepository | None = None,
    ) -> None:
        self._flows = flows
        self._clock = clock
        self._work = work
        self._new_token = new_token
        # Nothing about a user's flow is kept in memory: another worker sharing the database
        # may open, advance or close it between two of their updates.

    async def open(
        self,
        telegram_id: int,
        name: str,
        step: str,
        *,
        lifetime: timedelta,
        data: FlowData | None = None,
    ) -> Flow:
        """Opens `name` at `step`, replacing whatever flow the user had open."""
        now = self._clock.now()
        row = FlowRow(
            telegram_id=telegram_id,
            name=name,
            step=step,
            data=_encode(data or {}),
            token=self._new_token(),
            message_id=None,
            rendered=None,
            started_at=now,
            updated_at=now,
            expires_at=now + lifetime,
        )
        await self._flows.replace(row)
        if self._work is not None:
            await self._work.schedule(EXPIRE, row.token, due_at=row.expires_at)
        return _flow(row)

    async def expire(self, key: str, payload: Mapping[str, object]) -> None:
        """Due work (EXPIRE): empties the data of every flow past its time. Idempotent."""
        await self._flows.clear_expired_data(self._clock.now())

    async def keep_sweeping(self) -> None:
        """At start-up: the daily SWEEP exists (scheduling it again at each start is one row)."""
        if self._work is not None:
            await self._work.schedule(SWEEP, "all")

    async def sweep(self, key: str, payload: Mapping[str, object]) -> None:
        """Due work: drops flows abandoned for a week, then comes back the next day.

        A flow just past its time stays a while, so the user who types into it is told it
        expired instead of getting a generic answer; after a week nobody is waiting for that.
        Data of flows that expired without an EXPIRE item (opened by an older version) is
        emptied here too.
        """
        await self._flows.clear_expired_data(self._clock.now())
        removed = await self._flows.delete_expired_before(self._clock.now() - ABANDONED_AFTER)
        if removed:
            logger.info("dropped %d abandoned flow(s)", removed)
        if self._work is not None:
            await self._work.schedule(SWEEP, key, due_at=self._clock.now() + SWEEP_EVERY)

    async def read(self, telegram_id: int) -> Flow | Expired | None:
        """The open flow; Expired when its time is up (the row stays until closed, its data
        goes now if the EXPIRE item has not run yet)."""
        row = await self._flows.get(telegram_id)
        if row is None:
            return None
        if self._clock.now() >= row.expires_at:
            if row.data != _encode({}):
                await self._flows.clear_data(telegram_id, row.token)
            return Expired(row.name, row.token)
        return _flow(row)

    async def advance(
        self,
        telegram_id: int,
        flow: Flow,
        *,
        step: str | None = None,
        data: FlowData | None = None,
        message_id: int | None = None,
        rendered: str | None = None,
    ) -> Flow | None:
        """Stores the flow's next step, data and what its message shows; None if replaced."""
        changed = replace(
            flow,
            step=step if step is not None else flow.step,
            data=data if data is not None else flow.data,
            message_id=message_id if message_id is not None else flow.message_id,
            rendered=rendered if rendered is not None else flow.rendered,
        )
        stored = await self._flows.update(
            telegram_id,
            flow.token,
            step=changed.step,
            data=_encode(changed.data),
            message_id=changed.message_id,
            rendered=changed.rendered,
            updated_at=self._clock.now(),
        )
        return changed if stored else None

    async def close(
        self, telegram_id: int, *, token: str | None = None, name: str | None = None
    ) -> str | None:
        """Closes the open flow (only the one with this token or name, if given)."""
        closed = await self._flows.delete(telegram_id, token=token, name=name)
        if closed is None:
            return None
        if self._work is not None:
            # Its data went with the row: the item at its expiry has nothing left to do.
            await self._work.cancel(EXPIRE, closed[1])
        return closed[0]
