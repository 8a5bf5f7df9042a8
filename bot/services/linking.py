"""Linking a Telegram user to their VMS member by a one-time code, and undoing it."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.services.errors import Unavailable
from bot.services.members import MemberStatus
from bot.services.privacy import contains_rrn
from core.clock import Clock
from linkage.client import GatewayClient
from linkage.errors import (
    GatewayError,
    GatewayRateLimited,
    GatewayUnauthorized,
    GatewayUnavailable,
    LinkCodeExpired,
    LinkCodeInvalid,
    LinkNotFound,
    LinkRequestLocked,
    RequestNotFound,
)
from linkage.models import Link, Member
from store.due_work import DueWorkRepository
from store.links import LinkRepository, LinkRow
from store.rate_limits import Limit, RateLimits, Refused
from store.volunteer_facts import VolunteerFactsRepository

logger = logging.getLogger(__name__)

# VMS IDs are short ASCII login names; checking the shape here saves the user a round trip.
# Always fullmatch: Python's `$` also matches before a final newline ("kindly0904\n").
VMS_ID = re.compile(r"[A-Za-z0-9_.-]{4,30}")
# An ID-shaped word inside a sentence ("제 아이디는 kindly0904 입니다"): a run of ID characters
# with none glued on either side; a sentence's full stop is trimmed off afterwards.
_ID_WORD = re.compile(r"(?<![A-Za-z0-9_.@-])[A-Za-z0-9_.-]+(?![A-Za-z0-9_.@-])")
# Words people write next to their ID that are not one: the sites' names and addresses.
_NOT_IDS = frozenset({"1365", "vms", "neis", "vms.or.kr", "www.vms.or.kr", "1365.go.kr"})
CODE = re.compile(r"[0-9]{6}")
# A code inside a sentence or a pasted SMS ("[Web발신] 인증번호는 [433814] 입니다.", "123 456"):
# a run of digits with at most one space or hyphen inside, no digit glued on either side.
_CODE_RUN = re.compile(r"(?<![0-9])([0-9]{1,6})(?:[ -]([0-9]{1,5}))?(?![0-9])")

# Due work (bot/background): a revocation the gateway has not heard yet. Key and payload are
# the opaque link id only, never whose link it was.
REVOKE_LINK = "link.revoke"
# The gateway just failed: give it a moment before the first retry.
FIRST_REVOCATION_RETRY = timedelta(minutes=1)


class LinkProblem(Exception):
    """Base of the outcomes a volunteer must be told about; each names what to do next."""


class BadVmsId(LinkProblem):
    """Not shaped like a VMS ID."""


class SeveralVmsIds(BadVmsId):
    """More than one ID-shaped word: asking is better than guessing whose account it is."""


class BadCode(LinkProblem):
    """Not six digits."""


class WrongCode(LinkProblem):
    def __init__(self, attempts_left: int) -> None:
        super().__init__(f"{attempts_left} attempts left")
        self.attempts_left = attempts_left


class CodeExpired(LinkProblem):
    """The code ran out of time."""


class RequestLocked(LinkProblem):
    """Too many wrong codes."""


class TooManyRequests(LinkProblem):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class BotBusy(TooManyRequests):
    """The bot-wide hourly cap of code requests is reached: nobody's fault, try again later."""


class GuessesUsed(LinkProblem):
    """Too many wrong codes for this ID (or from this account) today; `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class SendUnsettled(LinkProblem):
    """A send's outcome is still unknown: unlinking now would lose it, so nothing changed."""


@dataclass(frozen=True)
class CodeSent:
    request_id: str
    vms_id: str
    channel: str
    destination_masked: str
    expires_at: datetime


@dataclass(frozen=True)
class Linked:
    link: LinkRow
    member: MemberStatus
    # Another Telegram account that held this member until now: it must be told.
    previous_holder: int | None


# The bot's own budgets. The gateway counts per member (DELIVERIES_PER_HOUR = 5 codes an hour,
# WRONG_PER_DAY = 10 wrong codes a day in sandbox/gateway/linking.py) and per center (an hourly
# cap). Per Telegram account, across every ID it types: mistyping an ID and asking again stays
# possible, spending the center's budget does not.
REQUESTS_PER_HOUR = 5
REQUEST_WINDOW = timedelta(hours=1)
WRONG_CODES_PER_DAY = 10
WRONG_CODE_WINDOW = timedelta(days=1)
# Per Telegram account and VMS ID, well below the member's own limits: someone typing another
# person's ID can neither use up that member's hourly codes (nor send them more than 2 SMS an
# hour) nor spend the wrong codes that would lock the member out; the owner, from their own
# account, always has codes and tries left.
REQUESTS_PER_ID_PER_HOUR = 2
WRONG_CODES_PER_ID_PER_DAY = 3
# LINK_CODES_PER_HOUR (bot/settings.py) caps the whole bot, so many accounts together cannot
# spend the center's hourly cap either.
DEFAULT_CODES_PER_HOUR = 100


def find_vms_id(text: str) -> str:
    """The one ID-shaped word in what the user typed; BadVmsId or SeveralVmsIds otherwise.

    NFKC first: a Korean keyboard's full-width letters and digits become plain ASCII.
    Anything shaped like a resident registration number is refused whatever the guards let
    through: "900101_1234567" is a well-formed ID, and it must never reach the gateway or a
    flow's data. The exception carries no text, as it may be logged.
    """
    if contains_rrn(text):
        raise BadVmsId("shaped like a resident registration number")
    text = unicodedata.normalize("NFKC", text).strip()
    if VMS_ID.fullmatch(text):
        return text
    found: list[str] = []
    for word in _ID_WORD.findall(text):
        word = word.strip(".")
        if VMS_ID.fullmatch(word) and word.lower() not in _NOT_IDS and word not in found:
            found.append(word)
    if not found:
        raise BadVmsId("no ID-shaped word")  # never the text: it may be logged
    if len(found) > 1:
        raise SeveralVmsIds(len(found))
    return found[0]


def find_code(text: str) -> str:
    """The one six-digit code in what the user typed (NFKC first, like find_vms_id); BadCode
    when there is none, or more than one (guessing between two codes wastes an attempt)."""
    text = unicodedata.normalize("NFKC", text)
    found: list[str] = []
    for match in _CODE_RUN.finditer(text):
        code = match[1] + (match[2] or "")
        if CODE.fullmatch(code) and code not in found:
            found.append(code)
    if len(found) != 1:
        raise BadCode(f"{len(found)} codes")
    return found[0]


def _seconds_until(when: datetime, now: datetime) -> int:
    return max(1, math.ceil((when - now).total_seconds()))


def link_tag(link_id: str) -> str:
    """A short, one-way name of a link for a button: the button acts on this link or none."""
    return hashlib.sha256(link_id.encode()).hexdigest()[:10]


class LinkService:
    """Use-cases of linking; gateway failures become LinkProblem subclasses."""

    def __init__(
        self,
        gateway: GatewayClient,
        links: LinkRepository,
        work: DueWorkRepository,
        clock: Clock,
        limits: RateLimits,
        *,
        codes_per_hour: int = DEFAULT_CODES_PER_HOUR,
        facts: VolunteerFactsRepository | None = None,
    ) -> None:
        self._facts = facts
        self._gateway = gateway
        self._links = links
        self._work = work
        self._clock = clock
        self._limits = limits
        self._codes_per_hour = codes_per_hour
        # Called with (telegram_id, link_id) after a link is stored (the new-record nudge
        # starts here); wired by bot/services/container.py, so linking imports no feature.
        self.on_linked: list[Callable[[int, str], Awaitable[None]]] = []
        # Called with the telegram_id before a revocation; may raise a LinkProblem to stop it
        # (an unsettled send is settled while its link still answers:
        # bot/services/sending/service.py).
        self.before_unlink: list[Callable[[int], Awaitable[None]]] = []

    async def current(self, telegram_id: int) -> LinkRow | None:
        return await self._links.get(telegram_id)

    async def reachable_without_work(self, kind: str) -> list[tuple[int, str]]:
        """Linked users who want notices and have no due work of `kind` (see store/links.py)."""
        return await self._links.reachable_without_work(kind)

    async def _guess_limits(self, telegram_id: int, vms_id: str | None) -> list[Limit]:
        """Wrong codes: per account, and per account and ID when the ID is known."""
        account = await self._limits.account(telegram_id)
        limits = [Limit("link.wrong", account, WRONG_CODES_PER_DAY, WRONG_CODE_WINDOW)]
        if vms_id is not None:
            pair = await self._limits.account_and_id(telegram_id, vms_id)
            limits.insert(
                0, Limit("link.wrong.id", pair, WRONG_CODES_PER_ID_PER_DAY, WRONG_CODE_WINDOW)
            )
        return limits

    async def _take_budget(self, telegram_id: int, vms_id: str) -> list[int]:
        """Takes one code request from every budget, or refuses with the reason the user sees.

        Checked and recorded together before the gateway is called, so two taps at once
        cannot both pass; kept by a keyed hash, so /forget does not reset them.
        """
        account = await self._limits.account(telegram_id)
        pair = await self._limits.account_and_id(telegram_id, vms_id)
        pair_guesses, account_guesses = await self._guess_limits(telegram_id, vms_id)
        bot_wide = Limit("link.request", None, self._codes_per_hour, REQUEST_WINDOW)
        taken = await self._limits.take(
            [
                pair_guesses,
                account_guesses,
                Limit("link.request", account, REQUESTS_PER_HOUR, REQUEST_WINDOW),
                Limit("link.request.id", pair, REQUESTS_PER_ID_PER_HOUR, REQUEST_WINDOW),
                bot_wide,
            ],
            [("link.request", account), ("link.request.id", pair)],
        )
        if not isinstance(taken, Refused):
            return taken
        wait = _seconds_until(taken.free_at, self._clock.now())
        if taken.limit is pair_guesses:
            raise GuessesUsed(wait)
        if taken.limit is bot_wide:
            raise BotBusy(wait)
        raise TooManyRequests(wait)

    async def request_code(self, telegram_id: int, vms_id: str) -> CodeSent:
        """Asks the gateway to send a code to the member's own phone or e-mail."""
        vms_id = find_vms_id(vms_id)
        taken = await self._take_budget(telegram_id, vms_id)
        try:
            sent = await self._gateway.request_link_code(vms_id)
        except GatewayError as exc:
            # No code went out: the request does not count against anyone's budget.
            await self._limits.release(taken)
            if isinstance(exc, GatewayRateLimited):
                raise TooManyRequests(exc.retry_after) from None
            raise _unavailable(exc) from None
        return CodeSent(
            sent.request_id, vms_id, sent.channel, sent.destination_masked, sent.expires_at
        )

    async def _guesses_left(self, limits: list[Limit]) -> tuple[int, datetime]:
        """(wrong codes still allowed, when one more is allowed if none is) under `limits`."""
        left, free_at = WRONG_CODES_PER_DAY, self._clock.now()
        for limit in limits:
            standing = await self._limits.standing(limit)
            left = min(left, standing.left)
            if standing.free_at is not None:
                free_at = max(free_at, standing.free_at)
        return left, free_at

    async def confirm(
        self, telegram_id: int, request_id: str, code: str, vms_id: str | None = None
    ) -> Linked:
        """Checks the code; on success stores the link, replacing older ones.

        The VMS ID comes back from the gateway with the link, so the flow in between keeps
        only the opaque request id, and the ID typed (`vms_id`, for the per-ID budget).
        """
        code = find_code(code)
        limits = await self._guess_limits(telegram_id, vms_id)
        # Every try is taken as a wrong code before the gateway hears it (so tries sent at
        # once cannot slip past the budget, and a refused one never reaches the member's
        # count at the gateway), and given back unless the gateway says it was wrong.
        taken = await self._limits.take(
            limits, [(limit.kind, limit.subject) for limit in limits if limit.subject is not None]
        )
        if isinstance(taken, Refused):
            raise GuessesUsed(_seconds_until(taken.free_at, self._clock.now()))
        link = await self._confirm_at_gateway(request_id, code, limits, taken)
        return await self._keep(telegram_id, link)

    async def _confirm_at_gateway(
        self, request_id: str, code: str, limits: list[Limit], taken: list[int]
    ) -> Link:
        """The gateway's link for this code; a wrong code keeps its guess taken, any other
        outcome gives it back."""
        try:
            link = await self._gateway.confirm_link(request_id, code)
        except LinkCodeInvalid as exc:
            if exc.attempts_left <= 0:
                raise RequestLocked from None  # that was the last try: say so now
            left, free_at = await self._guesses_left(limits)
            if left <= 0:
                raise GuessesUsed(_seconds_until(free_at, self._clock.now())) from None
            raise WrongCode(min(exc.attempts_left, left)) from None
        except (LinkCodeExpired, RequestNotFound):
            # An unknown or already used request means the same to the user: start again.
            await self._limits.release(taken)
            raise CodeExpired from None
        except LinkRequestLocked:
            await self._limits.release(taken)
            raise RequestLocked from None
        except GatewayError as exc:
            await self._limits.release(taken)
            raise _unavailable(exc) from None
        await self._limits.release(taken)
        return link

    async def _keep(self, telegram_id: int, link: Link) -> Linked:
        """Stores the confirmed link, replacing older ones (the user's own earlier link to
        another member is revoked, or owed); says whose link it took over, if anyone's."""
        saved = await self._links.save(
            telegram_id, link.link_id, link.member.vms_id, link.member.id_1365_masked
        )
        for old in saved.replaced:
            if old.telegram_id == telegram_id and old.link_id != link.replaced_link_id:
                await self.revoke_or_owe(old.link_id)
        holder = next((o.telegram_id for o in saved.replaced if o.telegram_id != telegram_id), None)
        await self._learned_consents(telegram_id, link.link_id, link.member)
        for hook in self.on_linked:
            await hook(telegram_id, link.link_id)
        return Linked(saved.link, MemberStatus.from_gateway(link.member), holder)

    async def member(self, telegram_id: int) -> MemberStatus | None:
        """The linked member as VMS sees it now; None when not linked (or revoked elsewhere)."""
        link = await self._links.get(telegram_id)
        if link is None:
            return None
        try:
            member = await self._gateway.member(link.link_id)
        except LinkNotFound:
            # Revoked on the gateway side (linked from another center tool, say): forget it.
            await self._links.delete_if_current(telegram_id, link.link_id)
            return None
        except GatewayError as exc:
            raise _unavailable(exc) from None
        if member.id_1365_masked != link.id_1365_masked:
            await self._links.update_masked_1365(telegram_id, member.id_1365_masked)
        await self._learned_consents(telegram_id, link.link_id, member)
        return MemberStatus.from_gateway(member)

    # --- what staff segments count (store/volunteer_facts.py) ------------------------------
    # Every gateway read of a member goes through member() or confirm() above; reads of
    # records (/status, /send, result polls, new-record polls) report here what they saw.

    async def _learned_consents(self, telegram_id: int, link_id: str, member: Member) -> None:
        if self._facts is not None:
            await self._facts.consents(
                telegram_id,
                link_id,
                member.consent_1365.agreed,
                member.consent_vms.agreed,
                self._clock.now(),
            )

    async def learned_records(
        self, telegram_id: int, link_id: str, *, unsent: int, resendable_failed: int | None
    ) -> None:
        """A read of this volunteer's records found these counts (failed: None if unread)."""
        if self._facts is not None:
            await self._facts.records(
                telegram_id,
                link_id,
                self._clock.now(),
                unsent=unsent,
                resendable_failed=resendable_failed,
            )

    async def learned_sent(
        self, telegram_id: int, link_id: str, *, unsent: int, failed: int
    ) -> None:
        """The gateway accepted a send of this many unsent and failed records."""
        if self._facts is not None:
            await self._facts.sent(
                telegram_id, link_id, self._clock.now(), unsent=unsent, failed=failed
            )

    async def learned_failures(self, telegram_id: int, link_id: str, *, resendable: int) -> None:
        """A send's results: this many records failed and may be sent again."""
        if self._facts is not None:
            await self._facts.failed_again(
                telegram_id, link_id, self._clock.now(), at_least=resendable
            )

    async def unlink(self, telegram_id: int) -> LinkRow | None:
        """Revokes at the gateway, then forgets locally; nothing changes if the gateway is down
        or a send's outcome cannot be settled yet (SendUnsettled)."""
        link = await self._links.get(telegram_id)
        if link is None:
            return None
        for hook in self.before_unlink:
            await hook(telegram_id)
        try:
            await self._gateway.revoke_link(link.link_id)
        except GatewayError as exc:
            raise _unavailable(exc) from None
        await self._links.delete(telegram_id)
        return link

    async def revoke_or_owe(self, link_id: str) -> bool:
        """Revokes now, or schedules the revocation as due work; True if revoked now."""
        try:
            await self._gateway.revoke_link(link_id)
        except GatewayError:
            await self._work.schedule(
                REVOKE_LINK,
                link_id,
                {"link_id": link_id},
                due_at=self._clock.now() + FIRST_REVOCATION_RETRY,
            )
            return False
        return True

    async def revoke_owed(self, key: str, payload: dict[str, Any]) -> None:
        """The REVOKE_LINK handler; raises while the gateway is unreachable so it is retried.

        Idempotent: the gateway answers an already revoked or unknown link with success.
        """
        await self._gateway.revoke_link(payload.get("link_id", key))


def _unavailable(exc: GatewayError) -> Unavailable:
    # 401s are reported once by the client itself; repeating them here would flood the log.
    if not isinstance(exc, GatewayUnavailable | GatewayUnauthorized):
        logger.warning("gateway answered %s (%s) to a linking call", type(exc).__name__, exc.code)
    return Unavailable(str(exc))
