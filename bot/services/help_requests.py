"""'센터에 문의': a volunteer's question goes to every staff member; the first answer closes it.

No Telegram types here: handlers send the copies and the answer and tell this service which
messages carry the request. A question is kept, text and all, until a staff member's answer
reaches the volunteer or it expires after KEEP_FOR (due work EXPIRE, which tells the volunteer
once); copies that could not go out are tried again (due work DELIVER), so none is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.linking import LinkService
from bot.services.privacy import mask_id
from bot.services.staff import StaffService
from bot.services.status import StatusService, StatusView
from core.clock import Clock
from core.telegram_html import MAX_TEXT_UTF16, parse_html, utf16_len
from store.due_work import DueWorkRepository
from store.help_requests import Copy, HelpRequest, HelpRequestRepository
from store.rate_limits import RateLimits

# Handlers see the store's row types through this module (they never import store/).
__all__ = [
    "DELIVER",
    "EVERY",
    "EXPIRE",
    "KEEP_FOR",
    "MAX_OPEN",
    "MAX_TEXT_UTF16",
    "REQUEST_ID_ROOM",
    "Answered",
    "AskedTooSoon",
    "AskerSummary",
    "Copy",
    "HelpRequest",
    "HelpService",
    "Opened",
    "Refusal",
    "TooLong",
    "TooMany",
    "too_long",
]

# Open requests per volunteer. /forget deletes them (staff can no longer answer them), so this
# one starts again from zero; EVERY, counted by a keyed hash that /forget leaves for a day,
# still holds a volunteer to one question per 10 minutes across any number of /forget.
MAX_OPEN = 3
EVERY = timedelta(minutes=10)  # at most one new request per volunteer in this time
# A question is checked before its request exists, so before its number is known: the staff
# copy is measured with a number this wide in its place (no center reaches a billion).
REQUEST_ID_ROOM = 999_999_999
KEEP_FOR = timedelta(days=14)  # an unanswered question is kept this long, then expires
EXPIRE = "help.expire"  # due work per volunteer, at their next question's expiry
DELIVER = "help.deliver"  # due work per volunteer: questions no staff member got yet
DELIVER_AGAIN = timedelta(minutes=5)


@dataclass(frozen=True)
class TooLong:
    """A message Telegram would refuse for its length: `length` as Telegram counts it (UTF-16
    code units of the text once the HTML is parsed: an emoji is two), `limit` Telegram's."""

    length: int
    limit: int = MAX_TEXT_UTF16

    @property
    def over(self) -> int:
        return self.length - self.limit


def too_long(*messages: str) -> TooLong | None:
    """The longest of these whole messages (Telegram HTML, template included), if Telegram
    would refuse it; None when every one fits. The question or answer alone is not enough:
    Telegram counts the heading and the volunteer's summary around it too."""
    longest = max(utf16_len(parse_html(m).text) for m in messages)
    return TooLong(longest) if longest > MAX_TEXT_UTF16 else None


@dataclass(frozen=True)
class TooMany:
    """Refused: the volunteer already has MAX_OPEN open requests."""

    open: int


@dataclass(frozen=True)
class AskedTooSoon:
    """Refused: the volunteer's last request is younger than EVERY; `wait` until the next."""

    wait: timedelta


Refusal = TooMany | AskedTooSoon


@dataclass(frozen=True)
class AskerSummary:
    """What staff see about the asker: never the full VMS ID, never anything the gateway hides."""

    linked: bool
    vms_id_masked: str | None
    status: StatusView | None  # what /status last fetched, from the cache; None if never


@dataclass(frozen=True)
class Opened:
    request: HelpRequest
    asker: AskerSummary
    staff: list[int]  # every chat the question should go to: admins and staff


@dataclass(frozen=True)
class Answered:
    """The answer may be relayed: this is the request and the copies to tell about it."""

    request: HelpRequest
    copies: list[Copy]


class HelpService:
    """Opening, routing and closing help requests, with the per-volunteer limits."""

    def __init__(
        self,
        repository: HelpRequestRepository,
        staff: StaffService,
        links: LinkService,
        status: StatusService,
        clock: Clock,
        limits: RateLimits,
        work: DueWorkRepository,
    ) -> None:
        self._work = work
        self._limits = limits
        self._requests = repository
        self._staff = staff
        self._links = links
        self._status = status
        self._clock = clock

    async def receivers(self, asker: int) -> list[int]:
        """The staff members a question from `asker` can reach now (not themselves)."""
        admins = sorted(self._staff.admins)
        return [s for s in await self._requests.reachable_staff(admins) if s != asker]

    async def can_ask(self, asker: int) -> bool:
        """Whether "센터에 질문 남기기" leads anywhere: some staff member can receive it."""
        return bool(await self.receivers(asker))

    async def may_ask(self, telegram_id: int) -> Refusal | None:
        """Why this volunteer may not ask now, or None (checked again when they send it)."""
        subject = await self._limits.account(telegram_id)
        open_count, latest = await self._requests.standing(telegram_id, subject)
        return self._refusal(open_count, latest)

    async def open(self, telegram_id: int, question: str) -> Opened | Refusal:
        """Records a new request with its question, within the limits, and says who should
        receive it; it expires after KEEP_FOR unless answered."""
        now = self._clock.now()
        subject = await self._limits.account(telegram_id)
        created, open_count, latest = await self._requests.open_if_allowed(
            telegram_id,
            subject,
            now,
            question=question,
            expires_at=now + KEEP_FOR,
            max_open=MAX_OPEN,
            not_since=now - EVERY,
        )
        if created is None:
            refusal = self._refusal(open_count, latest)
            assert refusal is not None
            return refusal
        await self._schedule_expiry(telegram_id)
        return Opened(created, await self.asker(telegram_id), await self.receivers(telegram_id))

    async def delivered(self, request: HelpRequest, copies: list[Copy]) -> bool:
        """Stores where the copies went; with none delivered the question stays kept and is
        tried again later (DELIVER) until it expires (False)."""
        if not copies:
            await self._work.schedule_for_user(
                DELIVER, request.telegram_id, due_at=self._clock.now() + DELIVER_AGAIN
            )
            return False
        await self._requests.add_copies(request.id, copies)
        return True

    async def carried_by(self, request: HelpRequest, message: Copy) -> None:
        """Another staff message about this request (a reply to it finds the request)."""
        await self._requests.add_copies(request.id, [message])

    async def undelivered(self, telegram_id: int) -> list[HelpRequest]:
        """This volunteer's waiting questions that no staff member got yet (for DELIVER)."""
        return await self._requests.undelivered(telegram_id)

    async def relayed(self, request: HelpRequest) -> None:
        """The answer reached the volunteer: the question's text goes."""
        await self._requests.drop_question(request.id)

    async def expire_due(self, telegram_id: int) -> list[HelpRequest]:
        """Expires this volunteer's questions whose time is up (each once) and schedules the
        next expiry; the caller tells the volunteer about the ones returned."""
        expired = await self._requests.expire(telegram_id, self._clock.now())
        await self._schedule_expiry(telegram_id)
        return expired

    async def _schedule_expiry(self, telegram_id: int) -> None:
        at = await self._requests.next_expiry(telegram_id)
        if at is not None:
            await self._work.schedule_for_user(EXPIRE, telegram_id, due_at=at)

    async def asker(self, telegram_id: int) -> AskerSummary:
        link = await self._links.current(telegram_id)
        if link is None:
            return AskerSummary(linked=False, vms_id_masked=None, status=None)
        return AskerSummary(
            linked=True,
            vms_id_masked=mask_id(link.vms_id),
            status=await self._status.last_known(telegram_id),
        )

    async def request_behind(self, chat_id: int, message_id: int) -> HelpRequest | None:
        """The request a staff copy carries (a staff reply points at it), or None."""
        return await self._requests.by_copy(chat_id, message_id)

    async def answer(self, request: HelpRequest, staff_id: int) -> Answered | None:
        """Closes the request for this staff member; None when it was already answered.

        Closed before the answer is relayed, so of two staff answering at once only one
        answer reaches the volunteer (at most once); `undo` reopens it if the relay fails.
        """
        if not await self._requests.close(request.id, staff_id, self._clock.now()):
            return None
        await self._staff.audit(staff_id, "help.answer", request=request.id)
        return Answered(request, await self._requests.copies(request.id))

    async def undo(self, request: HelpRequest, staff_id: int) -> None:
        """The answer could not be delivered: the request is open again."""
        await self._requests.reopen(request.id, staff_id)
        await self._staff.audit(staff_id, "help.undelivered", request=request.id)

    async def open_help_requests(self) -> int:
        """For /stats (bot.services.stats.HelpRequestCounts)."""
        return await self.open_count()

    async def open_count(self) -> int:
        """Requests nobody has answered yet (for /stats)."""
        return await self._requests.open_count()

    def _refusal(self, open_count: int, latest: datetime | None) -> Refusal | None:
        if open_count >= MAX_OPEN:
            return TooMany(open_count)
        if latest is not None:
            wait = latest + EVERY - self._clock.now()
            if wait > timedelta(0):
                return AskedTooSoon(wait)
        return None
