"""A user's one open flow: opened, read, advanced and closed on the injectable clock.

A flow is a short dialogue that reads what the user types or presses next (/link waiting for an
ID, the settings menu, the guide). At most one is open per user; opening one replaces the
previous one, whose buttons then stop working (they carry its token). Expiry is a time stored
with the flow and compared with the clock when it is read: no timers, nothing lost on restart.
What a flow keeps (an ID typed into /link, a question's text) goes when it expires: a due-work
item per flow empties it then, even if the user never comes back; the row stays a week so the
user who types into it is told it expired.
What a flow keeps is a frozen dataclass declared next to the flow, stored as a JSON object
through its FlowCodec: this module alone turns rows into flows and flows into rows. A row the
codec cannot read (written by an older release, or damaged) is Unreadable, never a crash: the
router closes it and says so.
No Telegram types here; handlers/flows.py routes updates to flows.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from core.clock import Clock
from store.due_work import DueWorkRepository
from store.flows import FlowRepository, FlowRow

logger = logging.getLogger(__name__)

D = TypeVar("D")

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


class FlowCodec(Generic[D]):
    """A flow's data (a frozen dataclass, every field with a default) and its stored JSON object.

    Reading is strict and forgiving at once: a field the row lacks takes its default (a step
    added since the row was written), a field the dataclass lacks is ignored (one dropped), and
    a value of the wrong type makes the whole row unreadable (None), never a guess.
    """

    def __init__(self, kind: type[D]) -> None:
        assert dataclasses.is_dataclass(kind), kind
        params = getattr(kind, "__dataclass_params__", None)
        assert params is not None and params.frozen, f"{kind.__name__} must be frozen"
        for f in dataclasses.fields(kind):
            missing = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            assert not missing, f"{kind.__name__}.{f.name} needs a default: old rows lack it"
        self.kind = kind
        self._adapter = TypeAdapter(kind)

    def empty(self) -> D:
        """The data of a flow just opened: every field at its default."""
        return self.kind()

    def encode(self, data: D) -> dict[str, Any]:
        """The JSON object stored; defaults are left out, so a fresh flow stores `{}`."""
        assert isinstance(data, self.kind), data
        encoded: dict[str, Any] = self._adapter.dump_python(
            data, mode="json", exclude_defaults=True
        )
        return encoded

    def decode(self, raw: object) -> D | None:
        """The data in a stored JSON object; None when it is not this flow's data."""
        if not isinstance(raw, Mapping):
            return None
        try:
            # Through JSON, so an ISO time reads as a datetime while strict types still hold.
            return self._adapter.validate_json(_text(raw), strict=True)
        except (ValidationError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class NoData:
    """The data of a flow that keeps nothing between steps."""


NO_DATA = FlowCodec(NoData)


@dataclass(frozen=True)
class Flow(Generic[D]):
    """The open flow as a step handler sees it, its data read by its codec."""

    name: str
    step: str
    token: str
    data: D
    codec: FlowCodec[D] = field(repr=False, compare=False)
    message_id: int | None = None
    rendered: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Stored:
    """The open flow as stored, before its handler's codec reads the data."""

    name: str
    step: str
    token: str
    data: str  # JSON text
    message_id: int | None
    rendered: str | None
    expires_at: datetime

    def decode(self, codec: FlowCodec[D]) -> Flow[D] | None:
        """The flow with its data read; None when the data is not what `codec` reads."""
        try:
            raw = json.loads(self.data)
        except ValueError:
            return None
        data = codec.decode(raw)
        if data is None:
            return None
        return Flow(
            self.name,
            self.step,
            self.token,
            data,
            codec,
            self.message_id,
            self.rendered,
            self.expires_at,
        )


@dataclass(frozen=True)
class Expired:
    """A flow left open past its time: to be treated as closed (and said so once)."""

    name: str
    token: str


def _text(raw: Mapping[str, Any]) -> str:
    return json.dumps(dict(raw), ensure_ascii=False, allow_nan=False, separators=(",", ":"))


_EMPTY = _text({})


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
        codec: FlowCodec[D],
        data: D | None = None,
    ) -> Flow[D]:
        """Opens `name` at `step`, replacing whatever flow the user had open."""
        now = self._clock.now()
        kept = codec.empty() if data is None else data
        row = FlowRow(
            telegram_id=telegram_id,
            name=name,
            step=step,
            data=_text(codec.encode(kept)),
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
        return Flow(name, step, row.token, kept, codec, expires_at=row.expires_at)

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

    async def read(self, telegram_id: int) -> Stored | Expired | None:
        """The open flow, its data still to be read by its handler's codec; Expired when its
        time is up (the row stays until closed, its data goes now if the EXPIRE item has not
        run yet)."""
        row = await self._flows.get(telegram_id)
        if row is None:
            return None
        if self._clock.now() >= row.expires_at:
            if row.data != _EMPTY:
                await self._flows.clear_data(telegram_id, row.token)
            return Expired(row.name, row.token)
        return Stored(
            row.name,
            row.step,
            row.token,
            row.data,
            row.message_id,
            row.rendered,
            row.expires_at,
        )

    async def advance(
        self,
        telegram_id: int,
        flow: Flow[D],
        *,
        step: str | None = None,
        data: D | None = None,
        message_id: int | None = None,
        rendered: str | None = None,
    ) -> Flow[D] | None:
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
            data=_text(flow.codec.encode(changed.data)),
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
