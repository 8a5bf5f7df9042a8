"""SendService: /send's use-cases (check, send) and its due work (settling a claim, polling for
results, the visibility message).

The hourly rule is kept twice: the store claims the user's send before the gateway is called
(store/sends.py), and the gateway stays the authority (its 429 sets our time; its newest
transmission's `created_at` plus the contract's cooldown is checked before asking).

A claim is released (the hour not used up) only when the gateway surely did not accept the
send (gateway_rules.py). Otherwise its outcome is unknown and a due item settles it by
repeating the request under the same Idempotency-Key (`_settle`); /unlink settles an open
claim first (`settle_first`), since revoking the link would make the outcome unknowable.

Results (README: delivery rules): each accepted transmission is a SEND_RESULT item (key = the
opaque send id) polling the gateway with backoff; handlers/send.py then tells the result once.
At least once: everything is worked out before sendMessage and one commit follows it (`report`,
`reported`), so only a crash between Telegram's answer and that commit repeats it. The one
exception: a send whose unknown outcome turned out refused has its claim released before it is
told, so a crash in between loses that message (at most once), never the user's hourly send.
The visibility message (SEND_VISIBLE, due at `visible_on_1365_at`) is at least once.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from bot.services.errors import NotLinked, ServiceProblem, Unavailable
from bot.services.linking import LinkService, SendUnsettled
from bot.services.sending import checks
from bot.services.sending.checks import Ready
from bot.services.sending.gateway_rules import (
    idempotency_key,
    refused_outright,
    surely_not_accepted,
    unavailable,
)
from bot.services.sending.outcomes import (
    Refused,
    Report,
    SendResult,
    Sent,
    Stalled,
    Unknowable,
    Visible,
    result_of,
)
from bot.services.sending.problems import (
    NothingUnsent,
    RecordUnknown,
    SendInProgress,
    SendTooSoon,
    VmsConsentMissing,
)
from bot.services.status_summary import NOT_RESENDABLE
from core.clock import Clock
from linkage.client import GatewayClient
from linkage.errors import (
    ConsentMissing,
    GatewayError,
    GatewayRateLimited,
    InvalidArgument,
    LinkNotFound,
    NothingToSend,
)
from linkage.models import SEND_COOLDOWN as COOLDOWN
from linkage.models import Record, Transmission
from store.due_work import DueWorkRepository
from store.sends import Busy, Claimed, Existing, FollowUp, SendRepository, SendRow, Waiting
from store.status_cache import StatusCacheRepository

logger = logging.getLogger(__name__)

# Due work kinds; key and payload hold the opaque send id only (store/migrations/v08_sends.py).
SEND_RESULT = "send.result"
SEND_VISIBLE = "send.visible"
# First look for results soon (the sandbox answers after a minute); then back off to at most
# half an hour between polls, for gateways whose results take hours.
FIRST_POLL = timedelta(seconds=30)
MAX_POLL_GAP = timedelta(minutes=30)
# A transmission still not completed after this many polls (about two days at the largest gap),
# or in a state newer than this bot: the user is told to look at /status, and polling ends.
MAX_POLLS = 100
# How many of the records that went through the visibility message names (the rest: "외 n건").
VISIBLE_LISTED = 10
SETTLE_AFTER = timedelta(minutes=1)
_PAGE = 100


class SendService:
    def __init__(
        self,
        gateway: GatewayClient,
        links: LinkService,
        sends: SendRepository,
        work: DueWorkRepository,
        clock: Clock,
        cache: StatusCacheRepository,
    ) -> None:
        self._gateway = gateway
        self._links = links
        self._sends = sends
        self._work = work
        self._clock = clock
        self._cache = cache

    # --- before the confirmation ----------------------------------------------------------

    async def check(
        self, telegram_id: int, *, refs: list[str] | None = None, failed_only: bool = False
    ) -> Ready:
        """What would be sent now; raises the ServiceProblem that stops it.

        The steps, in order (bot/services/sending/checks.py decides each): linked at all, no
        send still settling, the chosen records known, the member, the cooldown, the records
        to carry, and what would make them all fail.

        `refs` (record refs from the /status list) or `failed_only` narrow the send to chosen
        records: a ref resolves only among this user's cached records of their current link
        (RecordUnknown otherwise), and only records the gateway lists as unsent or failed now
        are kept (a failure nothing can fix, a duplicate, is left out).
        """
        if await self._links.current(telegram_id) is None:
            raise NotLinked
        # An open claim first, from the store: with the gateway down, "nothing was sent" would
        # be false while an earlier send's outcome is still unknown.
        busy, local_until = await self._sends.next_allowed(telegram_id, COOLDOWN)
        if busy:
            await self._keep_settling(telegram_id)
            raise SendInProgress
        chosen = await self._resolve(telegram_id, refs) if refs is not None else None
        status = await self._links.member(telegram_id)
        member, link = checks.member(status, await self._links.current(telegram_id))
        records = await self._unsent_and_failed(telegram_id, link.link_id, local_until)
        carried = checks.selection(records, chosen, failed_only)
        return checks.ready(member, carried, narrowed=chosen is not None or failed_only)

    async def _unsent_and_failed(
        self, telegram_id: int, link_id: str, local_until: datetime | None
    ) -> list[Record]:
        """The cooldown step against the gateway's newest sends, then every unsent and failed
        record; a link the gateway no longer knows is forgotten (NotLinked)."""
        now = self._clock.now()
        try:
            recent = await self._gateway.transmissions(link_id, limit=5)
            checks.cooldown(local_until, recent, now)
            records = await self._resendable(link_id)
            # Every unsent and failed record was just read: staff segments learn the counts.
            unsent, resendable_failed = checks.counts(records)
            await self._links.learned_records(
                telegram_id, link_id, unsent=unsent, resendable_failed=resendable_failed
            )
        except LinkNotFound:
            await self._forget_revoked(telegram_id)
            raise NotLinked from None
        except GatewayError as exc:
            raise unavailable(exc) from None
        return records

    async def _resolve(self, telegram_id: int, refs: list[str]) -> set[str]:
        """The record ids behind these refs, among this user's cached records only."""
        link = await self._links.current(telegram_id)
        if link is None:
            raise NotLinked
        cached = await self._cache.get(telegram_id)
        if cached is None or cached.link_id != link.link_id or not refs:
            raise RecordUnknown
        ids: set[str] = set()
        for ref in refs:
            found = await self._cache.record(telegram_id, ref)
            if found is None:
                raise RecordUnknown
            ids.add(found.record_id)
        return ids

    async def _resendable(self, link_id: str) -> list[Record]:
        records: list[Record] = []
        cursor: str | None = None
        for _ in range(10_000):  # a gateway whose cursor never ends must not hang us
            page = await self._gateway.records(
                link_id, status=("unsent", "failed"), limit=_PAGE, cursor=cursor
            )
            records += [r for r in page.items if r.status in ("unsent", "failed")]
            cursor = page.next_cursor
            if not cursor:
                break
        return records

    # --- the send --------------------------------------------------------------------------

    async def send(self, telegram_id: int, token: str, record_ids: list[str] | None = None) -> Sent:
        """Sends everything unsent or failed (or the chosen records) under the hourly claim."""
        link = await self._links.current(telegram_id)
        if link is None:
            raise NotLinked
        if record_ids is not None and not record_ids:
            raise NothingUnsent
        now = self._clock.now()
        key = idempotency_key(telegram_id, token)
        claim = await self._sends.claim(
            telegram_id, key, link.link_id, record_ids, now=now, cooldown=COOLDOWN
        )
        if isinstance(claim, Waiting):
            raise SendTooSoon(claim.until)
        if isinstance(claim, Busy):
            await self._keep_settling(telegram_id)
            raise SendInProgress
        if isinstance(claim, Existing) and claim.send.state != "claimed":
            return Sent(settled=True, repeated=True)
        # An Existing claim still open is a press redelivered after a crash mid-send (or one
        # racing it): posting again with the same key gets the one transmission, never two.
        assert isinstance(claim, Claimed | Existing)
        row = claim.send
        # Before the call: a crash between here and the answer leaves a claim that this item
        # settles (same Idempotency-Key), instead of one that blocks /send for good.
        await self._settle_later(row)
        try:
            transmission = await self._post(row)
        except GatewayError as exc:
            # An open claim found again may be another press's send in flight: never release
            # it from here; settling it is the due item's job.
            if surely_not_accepted(exc) and isinstance(claim, Claimed):
                await self._sends.release(row.id)
                raise await self._refusal(telegram_id, exc) from None
            logger.warning("send outcome unknown (%s); settling it later", type(exc).__name__)
            await self._settle_later(row)
            return Sent(settled=False)
        await self._accept(row, transmission)
        return Sent(settled=True, repeated=isinstance(claim, Existing))

    async def _settle_later(self, row: SendRow) -> None:
        await self._work.schedule(
            SEND_RESULT,
            str(row.id),
            {"send_id": row.id},
            due_at=self._clock.now() + SETTLE_AFTER,
        )

    async def _keep_settling(self, telegram_id: int) -> None:
        """An open claim always has its settle item: scheduling again revives one given up.

        So a claim left by a crash, or one whose item gave up during a long outage, is settled
        again as soon as the volunteer tries to send, instead of blocking /send for good.
        """
        row = await self._sends.open_claim(telegram_id)
        if row is not None:
            await self._ensure_settling(row)

    async def in_flight(self, telegram_id: int) -> bool:
        """A send that may still reach 1365 and whose result is not told yet (for /forget)."""
        return await self._sends.in_flight(telegram_id)

    async def resume_open_claims(self) -> int:
        """At start-up: every open claim gets its settle item (a crash may have beaten it)."""
        return sum([await self._ensure_settling(row) for row in await self._sends.open_claims()])

    async def _ensure_settling(self, row: SendRow) -> bool:
        """Schedules the claim's settle item unless one is pending; True when it did."""
        item = await self._work.get(SEND_RESULT, str(row.id))
        if item is not None and item.given_up_at is None:
            return False
        await self._settle_later(row)
        return True

    async def _forget_revoked(self, telegram_id: int) -> None:
        """The gateway no longer knows the link: LinkService.member forgets it locally."""
        with suppress(Unavailable):  # the next /send asks again
            await self._links.member(telegram_id)

    async def _post(self, row: SendRow) -> Transmission:
        return await self._gateway.create_transmission(
            row.link_id, idempotency_key=row.idempotency_key, record_ids=row.record_ids
        )

    async def _accept(self, row: SendRow, transmission: Transmission) -> None:
        # The poll item first: a crash between the two leaves a claim the poll settles.
        await self._work.schedule(
            SEND_RESULT,
            str(row.id),
            {"send_id": row.id, "transmission_id": transmission.transmission_id},
            due_at=self._clock.now() + FIRST_POLL,
        )
        await self._sends.accepted(row.id, transmission.transmission_id, transmission.created_at)
        await self._learned_sent(row)

    async def _learned_sent(self, row: SendRow) -> None:
        """Staff segments learn that these records are sent (their results come later)."""
        if row.record_ids is None:  # everything unsent and failed went
            await self._links.learned_records(
                row.telegram_id, row.link_id, unsent=0, resendable_failed=0
            )
            return
        chosen = await self._cache.records_by_id(row.telegram_id, list(row.record_ids))
        await self._links.learned_sent(
            row.telegram_id,
            row.link_id,
            unsent=sum(1 for r in chosen if r.status == "unsent"),
            failed=sum(1 for r in chosen if r.status == "failed"),
        )

    async def _refusal(self, telegram_id: int, exc: GatewayError) -> ServiceProblem:
        if isinstance(exc, GatewayRateLimited):
            until = self._clock.now() + timedelta(seconds=exc.retry_after)
            await self._sends.wait_until(telegram_id, until)
            return SendTooSoon(until)
        if isinstance(exc, ConsentMissing):
            return VmsConsentMissing()  # the 1365 side unknown here: its guide comes first
        if isinstance(exc, NothingToSend):
            return NothingUnsent()
        if isinstance(exc, LinkNotFound):
            await self._forget_revoked(telegram_id)
            return NotLinked()
        return unavailable(exc)

    # --- due work: results and visibility ------------------------------------------------

    async def poll(
        self, payload: dict[str, Any]
    ) -> SendResult | Refused | Stalled | Unknowable | None:
        """The SEND_RESULT step: a SendResult or Refused to tell, or None (nothing to tell now).

        Raises GatewayError while the gateway cannot answer, so the poller retries.
        """
        row = await self._row(payload)
        if row is None or row.state not in ("claimed", "accepted"):
            return None  # forgotten, or told already
        if row.state == "claimed":
            return await self._settle(row)
        assert row.transmission_id is not None
        try:
            transmission = await self._gateway.transmission(row.link_id, row.transmission_id)
        except LinkNotFound:
            # Unlinked (or relinked) meanwhile: the gateway took the send, but its results
            # can no longer be asked for. Told so (then marked, like Stalled), not left silent.
            return Unknowable(row.telegram_id, accepted=True)
        if transmission.status != "completed":
            polls = int(payload.get("polls", 0)) + 1
            if polls > MAX_POLLS or transmission.status == "other":
                logger.warning("a transmission's result never came (%s)", transmission.status)
                return Stalled(row.telegram_id)
            # In float seconds: FIRST_POLL * 2**polls outgrows what a timedelta holds by
            # the 42nd poll (about 18 hours in), long before MAX_POLLS.
            doubled = FIRST_POLL.total_seconds() * 2.0**polls
            gap = timedelta(seconds=min(MAX_POLL_GAP.total_seconds(), doubled))
            await self._work.schedule(
                SEND_RESULT,
                str(row.id),
                {**_ids(row), "polls": polls},
                due_at=self._clock.now() + gap,
            )
            return None
        result = result_of(row.telegram_id, transmission)
        await self._links.learned_failures(
            row.telegram_id,
            row.link_id,
            resendable=sum(f.count for f in result.failures if f.code not in NOT_RESENDABLE),
        )
        return result

    async def _settle(self, row: SendRow) -> Refused | Unknowable | None:
        """Repeats the send with its key: accepted (None), refused, or lost with its link.

        Raises GatewayError while the outcome is still unknown (down, 5xx, an unreadable 2xx,
        a 400, …), so the poller asks again later; the claim stays open meanwhile.
        """
        try:
            transmission = await self._post(row)
        except InvalidArgument:
            # The request cannot even be made (the client refused its arguments), so the
            # first one never left either.
            await self._sends.release(row.id)
            return Refused(row.telegram_id, None)
        except LinkNotFound:
            # Answered before the key is looked at: whether a transmission exists under it
            # can no longer be asked through this link. It may well: never say "not sent".
            await self._sends.lost(row.id)
            logger.warning("an unsettled send's link is gone; its outcome cannot be learned")
            return Unknowable(row.telegram_id, accepted=False)
        except GatewayError as exc:
            if not refused_outright(exc):
                raise
            await self._sends.release(row.id)
            logger.info("an unsettled send was refused: %s", exc.code)
            until = None
            if isinstance(exc, GatewayRateLimited):
                until = self._clock.now() + timedelta(seconds=exc.retry_after)
                await self._sends.wait_until(row.telegram_id, until)
            return Refused(row.telegram_id, until)
        await self._accept(row, transmission)
        return None

    async def settle_first(self, telegram_id: int) -> None:
        """Before /unlink: the user's open claim is settled now, while its link still works.

        Revoking first would make the outcome unknowable for good. Raises
        SendUnsettled when the gateway cannot tell yet (the claim stays and keeps
        settling; the link stays too, so its result is not lost).
        """
        row = await self._sends.open_claim(telegram_id)
        if row is None:
            return
        try:
            # A refusal or a lost link ends the claim here; the poll item then finds no claim.
            await self._settle(row)
        except GatewayError as exc:
            logger.info("unlink waits for an unsettled send: %s", type(exc).__name__)
            await self._ensure_settling(row)
            raise SendUnsettled from None

    async def gave_up(self, payload: dict[str, Any]) -> Stalled | None:
        """Result polling was given up (the gateway could not answer for about a day).

        An accepted send is told to look at /status, once. An open claim stays: the next
        /send or the next start-up revives its settling (see _keep_settling).
        """
        row = await self._row(payload)
        if row is None or row.state != "accepted":
            return None
        return Stalled(row.telegram_id)

    async def report(self, payload: dict[str, Any], result: SendResult | None) -> Report | None:
        """What marks this result told (None: the send is gone), worked out BEFORE the message
        goes out, so that after Telegram's answer only `reported` is left: one commit."""
        row = await self._row(payload)
        if row is None:
            return None
        visible = result.visible_at if result is not None and result.succeeded else None
        follow_up = None
        if visible is not None:
            assert result is not None
            # Opaque gateway ids only (no texts): the message looks them up in the /status cache.
            shown = result.succeeded_ids[:VISIBLE_LISTED]
            follow_up = FollowUp(
                SEND_VISIBLE, str(row.id), {**_ids(row), "record_ids": shown}, visible
            )
        succeeded = result.succeeded if result is not None else 0
        return Report(row.id, visible, succeeded, follow_up)

    async def reported(self, report: Report | None) -> None:
        """Right after the result message: marks it told and schedules the visibility
        message, in one commit (a crash before it commits tells the result again)."""
        if report is not None:
            await self._sends.reported(
                report.send_id, report.visible_at, report.succeeded, report.follow_up
            )

    async def visible(self, payload: dict[str, Any]) -> Visible | None:
        """The SEND_VISIBLE step: whom to tell that 1365 shows how many (and which) records."""
        row = await self._row(payload)
        if row is None or row.state != "reported":
            return None
        ids = payload.get("record_ids")
        listed = [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
        return Visible(row.id, row.telegram_id, row.succeeded or 0, listed)

    async def visible_told(self, visible: Visible) -> None:
        """Right after the visibility message: one write, nothing read first."""
        await self._sends.done(visible.send_id)

    async def _row(self, payload: dict[str, Any]) -> SendRow | None:
        """The send an item is about; None if it is gone or the id now names another send.

        Send ids can be reused after the newest row is deleted, so an item that knows its
        transmission checks it: a poll in flight never marks somebody else's send.
        """
        send_id = payload.get("send_id")
        if not isinstance(send_id, int):
            return None
        row = await self._sends.get(send_id)
        wanted = payload.get("transmission_id")
        if row is not None and wanted is not None and row.transmission_id != wanted:
            return None
        return row


def _ids(row: SendRow) -> dict[str, Any]:
    """What a follow-up item keeps: the opaque send id and, once known, its transmission."""
    ids: dict[str, Any] = {"send_id": row.id}
    if row.transmission_id is not None:
        ids["transmission_id"] = row.transmission_id
    return ids
