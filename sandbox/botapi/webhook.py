"""Delivering updates to a webhook the way Telegram's Bot API server does.

What it copies from Telegram (core.telegram.org/bots/api#setwebhook and the open-source
telegram-bot-api server, whose WebhookActor is the reference for what the docs leave open):
- every update is an HTTP POST of its JSON, with "X-Telegram-Bot-Api-Secret-Token" when a
  secret_token was set;
- any answer but 2xx, a timeout or a refused connection is an error: the update stays
  pending and is sent again, at once the first time, then after 2, 4, 8 … seconds up to
  RESEND_CAP (or after the answer's Retry-After); an update older than a day is given up;
- updates of one chat go out one at a time in id order (Telegram keys its queues by chat,
  and callback queries by their sender), different chats side by side, never more than
  `max_connections` POSTs at once;
- the last error and its date are kept for getWebhookInfo.

Waiting goes through an injectable `sleep`: a test passes one that moves its fake clock,
so backoff and the day's expiry run without real seconds passing.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from .updates import UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_MAX_CONNECTIONS = 40
RESEND_CAP = 60.0  # Telegram's WEBHOOK_MAX_RESEND_TIMEOUT (it adds random jitter up to 2x)
RETRY_AFTER_CAP = 3600
KEEP_SECONDS = 24 * 3600  # Telegram keeps an undelivered update for a day
DEFAULT_TIMEOUT = 60.0  # the sandbox's bound on one POST; Telegram does not document its own

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret_token: str = ""
    max_connections: int = DEFAULT_MAX_CONNECTIONS


def queue_key(update: dict[str, Any]) -> tuple[str, int]:
    """Which of Telegram's per-chat delivery queues an update waits in."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if kind in update:
            return ("chat", int(update[kind]["chat"]["id"]))
    if "callback_query" in update:
        return ("callback", int(update["callback_query"]["from"]["id"]))
    for kind in ("my_chat_member", "chat_member"):
        if kind in update:
            return (kind, int(update[kind]["chat"]["id"]))
    return ("update", int(update["update_id"]))


class WebhookDelivery:
    """One webhook's sender: started by setWebhook (or a restored setting), closed when the
    webhook changes or the sandbox stops. Undelivered updates stay in the queue either way."""

    def __init__(
        self,
        settings: WebhookSettings,
        queue: UpdateQueue,
        clock: Callable[[], float],
        sleep: Sleep,
        timeout: float,
        on_error: Callable[[str], None],
    ) -> None:
        self.settings = settings
        self._queue = queue
        self._clock = clock
        self._sleep = sleep
        self._timeout = timeout
        self._on_error = on_error
        self._slots = asyncio.Semaphore(settings.max_connections)
        self._busy: set[tuple[str, int]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._changed = asyncio.Condition()
        self._session: aiohttp.ClientSession | None = None
        self._runner: asyncio.Task[None] | None = None
        self.in_flight = 0  # POSTs sent and not yet answered
        self.waiting_for_slot = 0  # updates ready to go while max_connections are in use
        self.attempts: list[int] = []  # update ids in the order POSTs were started
        self.dropped: list[int] = []  # update ids given up after a day

    def start(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self._timeout),
            connector=aiohttp.TCPConnector(limit=self.settings.max_connections),
        )
        self._queue.watch(self._wake.set)
        self._runner = asyncio.create_task(self._run(), name="sandbox webhook")

    async def close(self) -> None:
        """Stops sending; a POST cut off here leaves its update pending for the next one."""
        self._queue.unwatch(self._wake.set)
        tasks = [t for t in (self._runner, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    @property
    def pending_count(self) -> int:
        return self._queue.pending_count

    async def wait_until(
        self, predicate: Callable[[WebhookDelivery], bool], timeout: float
    ) -> None:
        """Waits for a state of the sender (tests: "two POSTs out, three waiting")."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self)), timeout)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            seen: set[tuple[str, int]] = set()
            for update in self._queue.pending:
                key = queue_key(update)
                if key in seen:
                    continue  # a later update of a chat waits for the earlier one
                seen.add(key)
                if key not in self._busy:
                    self._busy.add(key)
                    task = asyncio.create_task(self._deliver(update, key))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            await self._wake.wait()

    async def _deliver(self, update: dict[str, Any], key: tuple[str, int]) -> None:
        update_id = update["update_id"]
        body = json.dumps(update, ensure_ascii=False).encode()
        delay = 1.0
        failures = 0
        try:
            while True:
                error, retry_after = await self._post_when_free(update_id, body)
                if error is None:
                    self._queue.remove(update_id)
                    await self._notify()
                    return
                self._on_error(error)
                if retry_after is not None:
                    wait = float(min(max(retry_after, 0), RETRY_AFTER_CAP))
                elif failures == 0:
                    wait = 0.0  # Telegram sends again at once after a first failure
                else:
                    delay = min(delay * 2, RESEND_CAP)
                    wait = delay
                failures += 1
                arrived = self._queue.arrival.get(update_id, self._clock())
                if self._clock() + wait > arrived + KEEP_SECONDS:
                    self._queue.remove(update_id)
                    self.dropped.append(update_id)
                    await self._notify()
                    return
                await self._sleep(wait)
        finally:
            self._busy.discard(key)
            self._wake.set()

    async def _post_when_free(self, update_id: int, body: bytes) -> tuple[str | None, int | None]:
        self.waiting_for_slot += 1
        await self._notify()
        try:
            await self._slots.acquire()
        finally:
            self.waiting_for_slot -= 1
        try:
            self.in_flight += 1
            self.attempts.append(update_id)
            self._queue.mark_handed_out(update_id)
            await self._notify()
            return await self._post(body)
        finally:
            self.in_flight -= 1
            self._slots.release()
            await self._notify()

    async def _post(self, body: bytes) -> tuple[str | None, int | None]:
        """(None, None) on 2xx, else Telegram's wording of the error and any Retry-After."""
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if self.settings.secret_token:
            headers[SECRET_HEADER] = self.settings.secret_token
        try:
            async with self._session.post(self.settings.url, data=body, headers=headers) as reply:
                await reply.read()
                if 200 <= reply.status <= 299:
                    return None, None
                retry = reply.headers.get("Retry-After", "")
                error = f"Wrong response from the webhook: {reply.status} {reply.reason or ''}"
                return error.rstrip(), int(retry) if retry.isdigit() else None
        except TimeoutError:
            return "Read timeout expired", None
        except aiohttp.ClientConnectorError:
            return "Connection refused", None
        except aiohttp.ClientError as exc:
            return f"Webhook connection closed: {type(exc).__name__}", None


def unix_now() -> int:
    """last_error_date is Unix time, like a message's date."""
    return int(time.time())
