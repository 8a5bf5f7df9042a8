"""/send: bulk send (봉사실적 일괄전송) to 1365 once an hour, and the results that follow.

The hourly rule is kept twice: the store claims the user's send before the gateway is called
(store/sends.py), and the gateway stays the authority (its 429 sets our time; its newest
transmission's `created_at` plus the contract's cooldown is checked before asking).

What counts as "surely not accepted" (the claim is released, the hour not used up) on the
first try: an answer the client knows no attempt of the call was processed by (a refusal, a
3xx, 401, the gateway's own 503), and a connection that could not be opened. Anything else
(a timeout after the request left, a proxy's 502/504, a broken 2xx body) leaves the outcome
unknown: the claim stays and a due item settles it by repeating the request with the same
Idempotency-Key, which the gateway answers with the transmission it made, or (if it never got
the first) by making it now, or with a refusal. While settling, only the contract's refusals
that come after its replay check (409, 429, 422: see _refused_outright) release the claim;
everything else stays unknown and is asked again. `link_not_found` comes before the replay
check: the link is gone, so the outcome can never be learned; the claim is closed as lost and
the volunteer is told it may have reached 1365, never that nothing was sent. /unlink settles
an open claim first (settle_first) so its own revocation cannot cause that.

Results: each accepted transmission is a due-work item (SEND_RESULT, key = the opaque send id)
that polls the gateway with backoff until it is completed; the handler (handlers/send.py)
then sends one result message and marks the send reported. Delivery rule (README: delivery
rules): at least once. Everything is worked out before sendMessage and one commit follows it
(the mark and the visibility item together), so only a crash between Telegram's answer and
that commit repeats the message; it is never lost. The one exception is the rare message that a
send whose outcome was unknown was refused after all: the claim is released before it is told,
so a crash in between loses that message (at-most-once), never the user's hourly send. The
visibility message (SEND_VISIBLE) is due at the gateway's `visible_on_1365_at` and follows the
at-least-once rule.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.services import linking
from bot.services.linking import LinkService
from bot.services.status import NOT_RESENDABLE
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
from linkage.models import Transmission
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
# Reason codes of the contract, in the order a result message explains them.
REASONS = (
    "consent_1365_missing",
    "account_1365_not_found",
    "identity_mismatch",
    "portal_error",
    "duplicate",
    "other",
)


class SendProblem(Exception):
    """Base of what stops a send; each is told to the user with what to do next."""


class NotLinked(SendProblem):
    pass


class VmsConsentMissing(SendProblem):
    def __init__(self, done_1365: bool = False) -> None:
        super().__init__("VMS consent missing")
        # The 1365 side is in place (consent given, account active): only VMS is left to do.
        self.done_1365 = done_1365


class NothingUnsent(SendProblem):
    pass


class Unavailable(SendProblem):
    """The gateway is down, slow, misconfigured or answered nonsense; nothing was used up."""


class SendInProgress(SendProblem):
    """An earlier send's outcome is still being settled with the gateway."""


class RecordUnknown(SendProblem):
    """A record ref that is not among this user's cached records (forged, stale, another's)."""


class TooSoon(SendProblem):
    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


# A send the gateway accepts but whose records would all fail: no 1365 consent, a 1365 account
# that is gone (or in a state unknown to this bot), or a resident-number change not yet reset
# (the latest failures say identity_mismatch; only the volunteer knows whether they reset since).
SendWarning = Literal["consent_1365", "account_1365", "identity"]


@dataclass(frozen=True)
class Ready:
    """What a send would carry now."""

    unsent: int
    failed: int
    minutes: int
    consent_1365: bool
    # Set for a resend from the /status list (scope 'selected'): the gateway's ids, resolved
    # here from the user's own cache and the gateway's current list, never from button data.
    record_ids: tuple[str, ...] | None = None
    # Why every record would surely fail (asked "그래도 보내기?" first), or None.
    warning: SendWarning | None = None


@dataclass(frozen=True)
class Sent:
    """The send is out: accepted (results follow), or its outcome is being settled."""

    settled: bool
    repeated: bool = False  # this very confirmation had been sent before


@dataclass(frozen=True)
class Failure:
    code: str
    count: int
    message: str  # the gateway's own words, shown only for reasons this bot does not know


@dataclass(frozen=True)
class Result:
    """One completed transmission, as the result message tells it."""

    telegram_id: int
    succeeded: int
    visible_at: datetime | None
    failures: list[Failure] = field(default_factory=list)
    # The gateway's opaque ids of the records that went through (for the visibility message).
    succeeded_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(f.count for f in self.failures)


@dataclass(frozen=True)
class Stalled:
    """A transmission whose result never came (or came in a state this bot does not know)."""

    telegram_id: int


@dataclass(frozen=True)
class Refused:
    """A send whose outcome was unknown turned out refused (nothing went to 1365)."""

    telegram_id: int
    until: datetime | None  # the gateway's next possible send, when it said one


@dataclass(frozen=True)
class Unknowable:
    """A send whose result can no longer be asked for: its link is gone at the gateway.

    `accepted`: the gateway took it (its result is what is missing); otherwise the claim's
    outcome was still unknown, so it may or may not have reached 1365.
    """

    telegram_id: int
    accepted: bool


@dataclass(frozen=True)
class Report:
    """How a told result is recorded (SendService.report, then .reported)."""

    send_id: int
    visible_at: datetime | None
    succeeded: int
    follow_up: FollowUp | None


@dataclass(frozen=True)
class Visible:
    """A visibility message to send: to whom, how many records, which ones by id."""

    send_id: int
    telegram_id: int
    count: int
    record_ids: list[str]


@dataclass(frozen=True)
class _Resendable:
    record_id: str
    status: str
    minutes: int
    reason: str | None


def _top_reason(records: list[_Resendable]) -> str | None:
    """The commonest reason among the failed records, as /status names it."""
    reasons = Counter(r.reason for r in records if r.status == "failed" and r.reason)
    return reasons.most_common(1)[0][0] if reasons else None


def idempotency_key(telegram_id: int, token: str) -> str:
    """One key per confirmation prompt (its flow token): opaque, never the Telegram id."""
    digest = hashlib.sha256(f"send:{telegram_id}:{token}".encode()).hexdigest()
    return f"tg-send-{digest[:40]}"


# createTransmission's refusals that come after its replay check (linkage/openapi.yaml: 409
# consent_vms_missing, 429 rate_limited, 422 validation_failed / nothing_to_send): the gateway
# looked up the key, found nothing, and made nothing. 400 and 404 come before that check and
# 422 idempotency_key_reused means something is held under the key: neither proves "not sent".
_REFUSED_AFTER_REPLAY = {
    (409, "consent_vms_missing"),
    (422, "validation_failed"),
    (422, "nothing_to_send"),
}


def _refused_outright(exc: GatewayError) -> bool:
    """True when a repeat of a send with its key was refused and nothing is held under it."""
    if isinstance(exc, GatewayRateLimited):
        return True
    return (exc.status, exc.code) in _REFUSED_AFTER_REPLAY


def _surely_not_accepted(exc: GatewayError) -> bool:
    """True only when no attempt can have been processed (the client knows: a refusal, a 3xx,
    the gateway's own "unavailable", a connection never made). A proxy's 502/504, a crash
    mid-request, a timeout after the request left or an unreadable 2xx leave it unknown."""
    return not exc.maybe_processed


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
        """What would be sent now; raises the SendProblem that stops it.

        `refs` (record refs from the /status list) or `failed_only` narrow the send to chosen
        records: a ref resolves only among this user's cached records of their current link
        (RecordUnknown otherwise), and only records the gateway lists as unsent or failed now
        are kept (a failure nothing can fix, a duplicate, is left out).
        """
        if await self._links.current(telegram_id) is None:
            raise NotLinked
        # An open claim first, from the store: with the gateway down, "nothing was sent" would
        # be false while an earlier send's outcome is still unknown.
        busy, until = await self._sends.next_allowed(telegram_id, COOLDOWN)
        if busy:
            await self._keep_settling(telegram_id)
            raise SendInProgress
        chosen = await self._resolve(telegram_id, refs) if refs is not None else None
        try:
            member = await self._links.member(telegram_id)
        except linking.Unavailable:
            raise Unavailable from None
        link = await self._links.current(telegram_id)
        if member is None or link is None:
            raise NotLinked
        if not member.consent_vms.agreed:
            raise VmsConsentMissing(member.consent_1365.agreed and member.account_1365 == "active")
        now = self._clock.now()
        try:
            # The contract lists newest first; the max does not rely on it.
            recent = await self._gateway.transmissions(link.link_id, limit=5)
            if recent:
                gateway_until = max(t.created_at for t in recent) + COOLDOWN
                until = max(until, gateway_until) if until is not None else gateway_until
            if until is not None and until > now:
                raise TooSoon(until)
            records = await self._resendable(link.link_id)
            # Every unsent and failed record was just read: staff segments learn the counts.
            await self._links.learned_records(
                telegram_id,
                link.link_id,
                unsent=sum(1 for r in records if r.status == "unsent"),
                resendable_failed=sum(
                    1 for r in records if r.status == "failed" and r.reason not in NOT_RESENDABLE
                ),
            )
        except LinkNotFound:
            await self._forget_revoked(telegram_id)
            raise NotLinked from None
        except GatewayError as exc:
            raise _unavailable(exc) from None
        if chosen is not None or failed_only:
            records = [
                r
                for r in records
                if (chosen is None or r.record_id in chosen)
                and (r.status == "failed" or not failed_only)
                and not (r.status == "failed" and r.reason in NOT_RESENDABLE)
            ]
        unsent = sum(1 for r in records if r.status == "unsent")
        failed = len(records) - unsent
        if not records:
            raise NothingUnsent
        ids = None
        if chosen is not None or failed_only:
            ids = tuple(r.record_id for r in records)
        minutes = sum(r.minutes for r in records)
        warning: SendWarning | None = None
        if member.account_1365 != "active":
            warning = "account_1365"
        elif not member.consent_1365.agreed:
            warning = "consent_1365"
        elif _top_reason(records) == "identity_mismatch":
            warning = "identity"
        return Ready(unsent, failed, minutes, member.consent_1365.agreed, ids, warning)

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

    async def _resendable(self, link_id: str) -> list[_Resendable]:
        records: list[_Resendable] = []
        cursor: str | None = None
        for _ in range(10_000):  # a gateway whose cursor never ends must not hang us
            page = await self._gateway.records(
                link_id, status=("unsent", "failed"), limit=_PAGE, cursor=cursor
            )
            for record in page.items:
                if record.status in ("unsent", "failed"):
                    reason = record.reason.code if record.reason is not None else None
                    records.append(
                        _Resendable(record.record_id, record.status, record.minutes, reason)
                    )
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
            raise TooSoon(claim.until)
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
            if _surely_not_accepted(exc) and isinstance(claim, Claimed):
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
        with suppress(linking.Unavailable):  # the next /send asks again
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

    async def _refusal(self, telegram_id: int, exc: GatewayError) -> SendProblem:
        if isinstance(exc, GatewayRateLimited):
            until = self._clock.now() + timedelta(seconds=exc.retry_after)
            await self._sends.wait_until(telegram_id, until)
            return TooSoon(until)
        if isinstance(exc, ConsentMissing):
            return VmsConsentMissing()  # the 1365 side unknown here: its guide comes first
        if isinstance(exc, NothingToSend):
            return NothingUnsent()
        if isinstance(exc, LinkNotFound):
            await self._forget_revoked(telegram_id)
            return NotLinked()
        return _unavailable(exc)

    # --- due work: results and visibility ------------------------------------------------

    async def poll(self, payload: dict[str, Any]) -> Result | Refused | Stalled | Unknowable | None:
        """The SEND_RESULT step: a Result or Refused to tell, or None (nothing to tell now).

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
            gap = min(MAX_POLL_GAP, FIRST_POLL * 2**polls)
            await self._work.schedule(
                SEND_RESULT,
                str(row.id),
                {**_ids(row), "polls": polls},
                due_at=self._clock.now() + gap,
            )
            return None
        result = _result(row.telegram_id, transmission)
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
            if not _refused_outright(exc):
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
        linking.SendUnsettled when the gateway cannot tell yet (the claim stays and keeps
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
            raise linking.SendUnsettled from None

    async def gave_up(self, payload: dict[str, Any]) -> Stalled | None:
        """Result polling was given up (the gateway could not answer for about a day).

        An accepted send is told to look at /status, once. An open claim stays: the next
        /send or the next start-up revives its settling (see _keep_settling).
        """
        row = await self._row(payload)
        if row is None or row.state != "accepted":
            return None
        return Stalled(row.telegram_id)

    async def report(self, payload: dict[str, Any], result: Result | None) -> Report | None:
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


def _result(telegram_id: int, transmission: Transmission) -> Result:
    succeeded = [r for r in transmission.results if r.status == "succeeded"]
    failed = [r for r in transmission.results if r.status == "failed"]
    counts: Counter[str] = Counter()
    messages: dict[str, str] = {}
    for record in failed:
        code = record.reason.code if record.reason is not None else "other"
        counts[code] += 1
        if record.reason is not None:
            messages.setdefault(code, record.reason.message)
    failures = [Failure(c, counts[c], messages.get(c, "")) for c in REASONS if counts[c]]
    # The gateway states when 1365 shows them; the latest is when all of them show.
    times = [r.visible_on_1365_at for r in succeeded if r.visible_on_1365_at is not None]
    ids = [r.record_id for r in succeeded]
    return Result(telegram_id, len(succeeded), max(times) if times else None, failures, ids)


def _unavailable(exc: GatewayError) -> Unavailable:
    logger.warning("gateway could not take part in a send: %s (%s)", type(exc).__name__, exc.code)
    return Unavailable(str(exc))
