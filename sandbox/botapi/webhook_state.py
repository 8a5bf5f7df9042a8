"""The bot's webhook setting and its sender: what setWebhook, deleteWebhook, getWebhookInfo
and getUpdates consult. The setting outlives a sandbox restart (persist.py keeps it, as
Telegram does); the sender runs only while the sandbox is started."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .updates import UpdateQueue
from .webhook import DEFAULT_TIMEOUT, Sleep, WebhookDelivery, WebhookSettings, unix_now


class WebhookState:
    def __init__(self, queue: UpdateQueue, clock: Callable[[], float]) -> None:
        self._queue = queue
        self._clock = clock
        self.sleep: Sleep = asyncio.sleep
        self.timeout = DEFAULT_TIMEOUT
        self.settings: WebhookSettings | None = None
        self.delivery: WebhookDelivery | None = None
        self.last_error: tuple[int, str] | None = None  # (Unix time, message)
        self._running = False

    @property
    def active(self) -> bool:
        return self.settings is not None

    async def set(self, settings: WebhookSettings | None) -> None:
        """Replaces the webhook (None deletes it); the old sender stops first, as Telegram
        closes the old webhook before it opens the new one."""
        await self._stop_delivery()
        self.settings = settings
        self.last_error = None
        if settings is not None:
            self._queue.end_long_poll_for_webhook()
            if self._running:
                self._start_delivery()

    async def resume(self) -> None:
        """The sandbox started: deliver to a webhook set before (or restored from a file)."""
        self._running = True
        if self.settings is not None and self.delivery is None:
            self._start_delivery()

    async def pause(self) -> None:
        """The sandbox stops: the setting stays, in-flight POSTs are cut off and stay pending."""
        self._running = False
        await self._stop_delivery()

    def info(self) -> dict[str, Any]:
        settings = self.settings
        info: dict[str, Any] = {
            "url": settings.url if settings else "",
            "has_custom_certificate": False,
            "pending_update_count": self._queue.pending_count,
        }
        if self.last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.last_error
        if settings is not None:
            info["max_connections"] = settings.max_connections
            info["ip_address"] = "127.0.0.1"  # the sandbox only ever delivers on loopback
        if self._queue.allowed_updates:
            info["allowed_updates"] = self._queue.allowed_updates
        return info

    def _record_error(self, message: str) -> None:
        self.last_error = (unix_now(), message)

    def _start_delivery(self) -> None:
        assert self.settings is not None
        self.delivery = WebhookDelivery(
            self.settings, self._queue, self._clock, self.sleep, self.timeout, self._record_error
        )
        self.delivery.start()

    async def _stop_delivery(self) -> None:
        delivery, self.delivery = self.delivery, None
        if delivery is not None:
            await delivery.close()
