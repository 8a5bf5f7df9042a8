"""GET /metrics: Prometheus text (prometheus-client) for one webhook process.

Counters of this process: updates received (by what became of them), updates done, Telegram's
429 answers. Gauges read from the store at each scrape, so every worker of a deployment shows
the same shared numbers: the inbox's open rows and lag, the due-work backlog, the deliveries
of broadcasts still sending.

Each process (and each app a test builds) has a CollectorRegistry of its own, never the
library's global one, so several apps in one process do not clash over metric names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.services.readings import Readings, ReadingsService

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PREFIX = "yeongye"
# What became of a POST (bot/web/webhook.py).
OUTCOMES = ("stored", "duplicate", "malformed", "unauthorized", "failed")


class _StoreReadings(Collector):
    """Yields the readings taken just before the registry is rendered."""

    def __init__(self, flood_answers: Callable[[], int]) -> None:
        self.latest: Readings | None = None
        self.store_up = False
        self._flood_answers = flood_answers

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            f"{PREFIX}_store_up", "1 if the database answered this scrape", self.store_up
        )
        yield CounterMetricFamily(
            f"{PREFIX}_telegram_flood_answers",
            "Telegram's 429 answers to messages this process sent (replies and broadcasts)",
            self._flood_answers(),
        )
        latest = self.latest
        if latest is None:
            return
        yield GaugeMetricFamily(
            f"{PREFIX}_inbox_open_updates", "Stored updates not yet done", latest.inbox_open
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_inbox_lag_seconds",
            "Age of the oldest stored update not yet done",
            latest.inbox_lag_seconds,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_due_work_backlog", "Due-work items due now and not done", latest.due_backlog
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_due_work_oldest_seconds",
            "How long the oldest due item has been due",
            latest.due_oldest_seconds,
        )
        deliveries = GaugeMetricFamily(
            f"{PREFIX}_broadcast_deliveries",
            "Deliveries of the broadcasts still sending, by state",
            labels=["state"],
        )
        tally = latest.deliveries
        for state, value in (
            ("queued", tally.queued),
            ("sending", tally.sending),
            ("sent", tally.sent),
            ("failed", tally.failed - tally.unknown),
            ("unknown", tally.unknown),
            ("blocked", tally.blocked),
            ("gone", tally.gone),
        ):
            deliveries.add_metric([state], value)
        yield deliveries


class WebhookMetrics:
    """The metrics of one webhook process; `render()` answers a scrape."""

    def __init__(self, readings: ReadingsService, flood_answers: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        self.received = Counter(
            f"{PREFIX}_updates_received",
            "POSTs from Telegram, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        for outcome in OUTCOMES:
            self.received.labels(outcome)  # present at 0 from the start
        self.done = Counter(
            f"{PREFIX}_updates_done", "Stored updates run to the end", registry=self.registry
        )
        self._readings = readings
        self._store = _StoreReadings(flood_answers)
        self.registry.register(self._store)

    async def render(self) -> bytes:
        try:
            latest: Readings | None = await self._readings.read()
        except Exception as exc:
            logger.warning("metrics: database unreachable (%s)", type(exc).__name__)
            latest = None
        # No await from here on: the readings and the rendering belong to one scrape.
        self._store.latest, self._store.store_up = latest, latest is not None
        return generate_latest(self.registry)
