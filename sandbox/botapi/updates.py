"""The pending-update queue behind getUpdates, with Telegram's long-poll semantics."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .errors import POLL_CONFLICT, POLL_ENDED_BY_WEBHOOK, ApiError

MAX_LIMIT = 100
MAX_TIMEOUT = 50  # the real server caps long polls at 50 seconds
# Sent by default: everything except these, until allowed_updates says otherwise.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Unconfirmed updates in id order; one long-poll waiter at a time, like Telegram."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._allowed: frozenset[str] | None = None  # None: Telegram's default set
        self._waiter: asyncio.Future[str] | None = None
        self._closed = False
        self._watchers: list[Callable[[], None]] = []
        self.arrival: dict[int, float] = {}
        self.delivered: dict[int, float] = {}  # update_id -> clock() when first handed out

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    @property
    def pending(self) -> list[dict[str, Any]]:
        """The unconfirmed updates, oldest first (a copy)."""
        return list(self._pending)

    @property
    def allowed_updates(self) -> list[str]:
        return sorted(self._allowed) if self._allowed is not None else []

    def wants(self, kind: str) -> bool:
        if self._allowed is None:
            return kind not in NOT_BY_DEFAULT
        return kind in self._allowed

    def push(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Enqueue an update unless allowed_updates filters it; returns its id."""
        if not self.wants(kind):
            return None
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, kind: payload})
        self.arrival[update_id] = self._clock()
        self._wake("update")
        for watcher in self._watchers:
            watcher()
        return update_id

    def watch(self, callback: Callable[[], None]) -> None:
        """Calls `callback` after every push (webhook delivery wakes on it)."""
        self._watchers.append(callback)

    def unwatch(self, callback: Callable[[], None]) -> None:
        if callback in self._watchers:
            self._watchers.remove(callback)

    def remove(self, update_id: int) -> None:
        """Forgets one update: a webhook answered 2xx for it, or it expired."""
        self._pending = [u for u in self._pending if u["update_id"] != update_id]

    def mark_handed_out(self, update_id: int) -> None:
        self.delivered.setdefault(update_id, self._clock())

    def drop_pending(self) -> None:
        self._pending.clear()

    def set_allowed(self, kinds: list[str]) -> None:
        # An empty list means "back to the default set", as documented.
        self._allowed = frozenset(kinds) if kinds else None

    def confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            # -N: keep only the last N; everything before is forgotten.
            self._pending = self._pending[offset:]

    async def poll(self, offset: int, limit: int, timeout: float) -> list[dict[str, Any]]:
        """Confirm, then return at once if anything is pending, else wait up to timeout."""
        self._wake("conflict")  # a newer request terminates the older one
        self.confirm(offset)
        limit = min(max(limit, 1), MAX_LIMIT)
        if self._pending or timeout <= 0 or self._closed:
            return self._hand_out(limit)
        waiter: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiter = waiter
        try:
            await asyncio.wait({waiter}, timeout=min(timeout, MAX_TIMEOUT))
        finally:
            if self._waiter is waiter:
                self._waiter = None
        if waiter.done() and waiter.result() == "conflict":
            raise ApiError(409, POLL_CONFLICT)
        if waiter.done() and waiter.result() == "webhook":
            raise ApiError(409, POLL_ENDED_BY_WEBHOOK)
        return self._hand_out(limit)

    @property
    def long_poll_waiting(self) -> bool:
        """True while a getUpdates call is held open waiting for updates."""
        return self._waiter is not None and not self._waiter.done()

    def _hand_out(self, limit: int) -> list[dict[str, Any]]:
        batch = self._pending[:limit]
        for update in batch:
            self.mark_handed_out(update["update_id"])
        return batch

    def end_long_poll_for_webhook(self) -> None:
        """setWebhook answers a waiting getUpdates with a 409 of its own, as Telegram does."""
        self._wake("webhook")

    def close(self) -> None:
        """End any long poll now (it answers []) and refuse to wait until reopened."""
        self._closed = True
        self._wake("closed")

    def reopen(self) -> None:
        self._closed = False

    def _wake(self, reason: str) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(reason)
        self._waiter = None
