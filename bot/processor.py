"""Concurrent update processing that keeps each user's own updates in order."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's semaphore (max_concurrent_updates) is taken *before* do_process_update runs, so an
# update waiting for its user's lock would hold a slot. It is therefore set high and only
# bounds memory; real parallelism is bounded by `active`, taken *after* the user's lock,
# so one user with a hundred queued updates can never starve everyone else.
_QUEUED_LIMIT = 10_000
_RECENT_IDS = 4_096


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Runs updates of different users at once, those of one user (or chat) one after another."""

    def __init__(self, active: int = 64) -> None:
        super().__init__(max_concurrent_updates=_QUEUED_LIMIT)
        self._active = asyncio.Semaphore(active)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiters: dict[int, int] = {}
        self._recent: deque[int] = deque(maxlen=_RECENT_IDS)
        self._recent_set: set[int] = set()
        self._done = asyncio.Condition()

    @staticmethod
    def key_for(update: object) -> int | None:
        """The ordering key: the user, else the chat; None for updates with neither."""
        if isinstance(update, Update):
            if update.effective_user is not None:
                return update.effective_user.id
            if update.effective_chat is not None:
                return update.effective_chat.id
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self.key_for(update)
        try:
            if key is None:
                async with self._active:
                    await coroutine
                return
            lock = self._locks.setdefault(key, asyncio.Lock())
            self._waiters[key] = self._waiters.get(key, 0) + 1
            try:
                async with lock, self._active:
                    await coroutine
            finally:
                # Forget the lock once nobody waits on it, so memory follows active users only.
                self._waiters[key] -= 1
                if self._waiters[key] == 0:
                    del self._waiters[key]
                    del self._locks[key]
        finally:
            await self._mark_done(update)

    async def _mark_done(self, update: object) -> None:
        if not isinstance(update, Update):
            return
        if len(self._recent) == self._recent.maxlen:
            self._recent_set.discard(self._recent[0])
        self._recent.append(update.update_id)
        self._recent_set.add(update.update_id)
        async with self._done:
            self._done.notify_all()

    async def wait_processed(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the update with this id has been fully handled (tests, console demo)."""
        async with asyncio.timeout(timeout), self._done:
            await self._done.wait_for(lambda: update_id in self._recent_set)

    @property
    def tracked_users(self) -> int:
        """How many users have an update in flight (their lock exists)."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for in-flight updates before calling this."""
