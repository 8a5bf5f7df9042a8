"""Staff broadcasts: audiences with live counts, and the snapshot taken at confirm.

The composer (a flow) and scheduled reminders both end in `launch()`: it snapshots the
audience into deliveries and schedules the sender ('broadcast.run' due work) in one
transaction, so a broadcast either exists with every recipient queued or not at all. The
sender runs as due work of the one poller and survives restarts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.services.staff import StaffService
from bot.services.stats import BroadcastTotals
from core.types import Lang
from store.broadcast_deliveries import DeliveryRepository, Tally
from store.broadcasts import (
    RUN_BROADCAST,
    SEGMENTS,
    Audience,
    AudienceCount,
    BroadcastRepository,
    BroadcastRow,
    DeliveryState,
    EmptyAudience,
    Freshness,
    Resend,
    Segment,
)

__all__ = [
    "RUN_BROADCAST",
    "SEGMENTS",
    "Audience",
    "AudienceCount",
    "BroadcastRow",
    "BroadcastService",
    "Cancelled",
    "DeliveryState",
    "EmptyAudience",
    "Freshness",
    "Launched",
    "Resend",
    "ResendOffer",
    "Segment",
    "Tally",
]


@dataclass(frozen=True)
class Launched:
    broadcast_id: int
    recipients: int


@dataclass(frozen=True)
class Cancelled:
    broadcast_id: int
    tally: Tally  # where it stood when it stopped: `queued` were never sent


@dataclass(frozen=True)
class ResendOffer:
    """What "resend to the unknown" would do now for a finished broadcast: `recipients` it
    would go to (its unknown deliveries, minus who blocked, left or turned notices off since),
    or `already` the resend made before."""

    broadcast_id: int
    recipients: int
    already: int | None


@dataclass
class BroadcastService:
    """Counting audiences, launching and cancelling broadcasts; no Telegram types here."""

    _broadcasts: BroadcastRepository
    _staff: StaffService
    _deliveries: DeliveryRepository
    # Told the id of a cancelled broadcast (the sender of this process stops taking recipients).
    on_cancelled: list[Callable[[int], None]] = field(default_factory=list)

    async def count(self, audience: Audience) -> AudienceCount:
        return await self._broadcasts.count(audience, self._staff.admins)

    async def count_segments(
        self, language: Lang | None, reminder: bool
    ) -> dict[Segment, AudienceCount]:
        """Every segment's live count (the picker's), in one query."""
        return await self._broadcasts.count_segments(language, reminder, self._staff.admins)

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The segments staff may pick (guide mode has no 'not linked')."""
        return self._broadcasts.segments

    @property
    def self_reported(self) -> bool:
        """Guide mode: segments count what volunteers said, not what VMS states."""
        return self._broadcasts.segments != SEGMENTS

    async def picker(
        self, language: Lang | None, reminder: bool
    ) -> tuple[dict[Segment, AudienceCount], Freshness | None]:
        """count_segments() and, unless the counts are self-reported, freshness(): one
        query (the desk's picker asks both at every change of its filters)."""
        if self.self_reported:
            return await self.count_segments(language, reminder), None
        return await self._broadcasts.count_segments_as_of(language, reminder, self._staff.admins)

    async def freshness(self) -> Freshness:
        """How fresh the facts behind the counts are ("… 기준")."""
        return await self._broadcasts.facts_as_of(self._staff.admins)

    async def launch(
        self,
        *,
        created_by: int | None,
        audience: Audience,
        text_ko: str,
        text_en: str | None = None,
        reminder_id: int | None = None,
        progress_chat_id: int | None = None,
        skip_empty: bool = False,
    ) -> Launched:
        """Snapshots the audience and queues the sender. `text_*` are Telegram HTML that the
        composer already validated; `text_en` (optional) goes to English-language users.
        `progress_chat_id`: where the progress message and final report go (the staff
        member's chat), None for a scheduled reminder with nobody watching. With
        `skip_empty`, an audience of nobody raises EmptyAudience and nothing is launched."""
        broadcast_id, recipients = await self._broadcasts.create(
            created_by=created_by,
            audience=audience,
            text_ko=text_ko,
            text_en=text_en,
            reminder_id=reminder_id,
            progress_chat_id=progress_chat_id,
            admins=self._staff.admins,
            skip_empty=skip_empty,
        )
        await self._staff.audit(
            created_by,
            "broadcast.launch",
            broadcast=broadcast_id,
            segment=audience.segment,
            language=audience.language,
            reminder=audience.reminder,
            reminder_id=reminder_id,
            recipients=recipients,
        )
        return Launched(broadcast_id, recipients)

    async def resend_offer(self, broadcast_id: int) -> ResendOffer | None:
        """None when there is no such broadcast or it is still sending."""
        original = await self._broadcasts.get(broadcast_id)
        if original is None or original.state == "sending":
            return None
        recipients, already = await self._broadcasts.resend_count(original, self._staff.admins)
        return ResendOffer(broadcast_id, recipients, already)

    async def resend_unknown(
        self, broadcast_id: int, *, by: int, progress_chat_id: int | None
    ) -> Resend | None:
        """Sends a finished broadcast again to exactly its unknown deliveries' recipients,
        snapshotted now; at most once per broadcast (a second call returns the first resend,
        `created` False). None when it is still sending, unknown, or has nobody to resend to.
        A copy may reach someone twice: that is why staff are asked first (handlers)."""
        original = await self._broadcasts.get(broadcast_id)
        if original is None or original.state == "sending":
            return None
        resend = await self._broadcasts.create_resend(
            original, created_by=by, progress_chat_id=progress_chat_id, admins=self._staff.admins
        )
        if resend is not None and resend.created:
            await self._staff.audit(
                by,
                "broadcast.resend",
                broadcast=resend.broadcast_id,
                of=broadcast_id,
                recipients=resend.recipients,
            )
        return resend

    async def get(self, broadcast_id: int) -> BroadcastRow | None:
        return await self._broadcasts.get(broadcast_id)

    async def recent(self, limit: int = 5) -> list[BroadcastRow]:
        return await self._broadcasts.recent(limit)

    async def tally(self, broadcast_id: int) -> Tally:
        """Where it stands, delivery by delivery (the progress the sender shows)."""
        return await self._deliveries.tally(broadcast_id)

    async def totals(self, broadcast_id: int) -> dict[DeliveryState, int]:
        return await self._broadcasts.totals(broadcast_id)

    async def recent_broadcasts(self, limit: int) -> list[BroadcastTotals]:
        """For /stats: the newest broadcasts and what became of their deliveries."""
        return [
            BroadcastTotals(
                started_at=row.created_at,
                recipients=sum(totals.values()),
                sent=totals["sent"],
                failed=totals["failed"],
                blocked=totals["blocked"] + totals["gone"],
                finished=row.state != "sending",
                stopped=row.state == "cancelled",
            )
            for row, totals in await self._broadcasts.recent_totals(limit)
        ]

    async def cancel(self, broadcast_id: int | None, *, by: int | None) -> Cancelled | None:
        """Stops a sending broadcast (the newest one if no id is given); None if there was
        none to stop. Deliveries already made stay; the queued ones are never sent."""
        if broadcast_id is None:
            broadcast_id = await self._deliveries.latest_sending()
            if broadcast_id is None:
                return None
        if not await self._deliveries.end(broadcast_id, "cancelled"):
            return None
        for hook in self.on_cancelled:
            hook(broadcast_id)
        tally = await self._deliveries.tally(broadcast_id)
        await self._staff.audit(
            by, "broadcast.cancel", broadcast=broadcast_id, sent=tally.sent, queued=tally.queued
        )
        return Cancelled(broadcast_id, tally)
