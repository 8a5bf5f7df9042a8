"""The staff desk (Mini App): idempotency keys, drafts, menu buttons, and the desk's reads.

Everything the desk *does* goes through the chat's own services (broadcasts, reminders, help
requests, staff); this service adds only what a web page needs on top: server-issued keys so a
replayed POST does nothing twice, the draft a broadcast waits in until it is confirmed, the
list of chats whose menu button opens the desk, and reads the chat has no screen for.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.services.privacy import mask_id
from bot.services.staff import Role, StaffService
from bot.services.users import UserService
from core.clock import Clock
from core.types import Lang
from store.desk import DeskRepository, Profile, ReminderRun
from store.due_work import DueWorkRepository
from store.help_requests import HelpRequest
from store.staff import AuditEntry
from store.web_actions import Claim, WebActionRepository

__all__ = [
    "KEY_LIFETIME",
    "PRUNE_KEYS",
    "AuditEntry",
    "Claim",
    "DeskService",
    "Found",
    "ReminderRun",
]

# A key works as long as the initData that fetched it may (one hour): a replay later than
# that is refused by the signature check anyway.
KEY_LIFETIME = timedelta(hours=1)
# Expired keys are deleted by due work this often, not at each issue (a trip per key fetched).
PRUNE_KEYS = "desk.prune_keys"
PRUNE_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Caller:
    """Who called the desk, as the store says at this call."""

    role: Role
    lang: Lang


@dataclass(frozen=True)
class Found:
    """A volunteer as staff may see them: the masked VMS ID only."""

    telegram_id: int  # for the API's own use (their questions); never sent to the page
    vms_id_masked: str | None
    profile: Profile


@dataclass(frozen=True)
class QuestionList:
    """A list of questions, each asker as staff may see them (with their open question
    numbers), and how many questions are open."""

    questions: list[HelpRequest]
    askers: dict[int, tuple[Found, list[int]]]
    open_count: int


class DeskService:
    def __init__(
        self,
        repository: DeskRepository,
        actions: WebActionRepository,
        staff: StaffService,
        clock: Clock,
        users: UserService,
        work: DueWorkRepository | None = None,
    ) -> None:
        self._desk = repository
        self._work = work
        self._actions = actions
        self._staff = staff
        self._clock = clock
        self._users = users
        # The broadcast sender's rate (messages/s), for "time left"; set by the container.
        self.rate: Callable[[], float] = lambda: 1.0

    # --- the caller ---------------------------------------------------------------------------

    async def caller(
        self, telegram_id: int, first_name: str | None, client_language: str | None
    ) -> Caller | None:
        """The caller's role (None: not staff, refused), read from the store at every call so
        a removed staff member is refused at once, on any worker. Staff are recorded as a
        visiting user (their keys and menu rows hang on the user row, and go with it on
        /forget) and their first name is kept when it changed, as the chat's staff guard
        does (StaffService.seen).

        One read of the store for all of it; a write only when something changed (the visit
        itself waits in memory, as the chat's do: store/users.py SEEN_FLUSH_EVERY)."""
        read = await self._desk.caller(telegram_id)
        if read is None:
            # No user row yet (an admin who never wrote): the long way, once.
            role = await self._staff.role(telegram_id)
            if role is None:
                return None
            user = await self._users.seen(telegram_id, client_language)
            await self._staff.note_name(telegram_id, first_name)
            return Caller(role, self._users.language(user, client_language))
        stored: Role | None = "staff" if read.staff else None
        role = "admin" if self._staff.is_admin(telegram_id) else stored
        if role is None:
            return None
        user = await self._users.seen_read(read.user, client_language)
        if first_name and first_name != read.first_name:
            await self._staff.note_name(telegram_id, first_name)
        return Caller(role, self._users.language(user, client_language))

    # --- idempotency keys and drafts ----------------------------------------------------------

    async def issue_key(
        self, telegram_id: int, *, draft: dict[str, Any] | None = None
    ) -> tuple[str, datetime]:
        key = secrets.token_urlsafe(24)
        now = self._clock.now()
        expires_at = now + KEY_LIFETIME
        await self._actions.issue(key, telegram_id, now, expires_at, draft=draft)
        return key, expires_at

    async def keep_pruning(self) -> None:
        """At start-up: the hourly PRUNE_KEYS exists (due now; it schedules its next run)."""
        if self._work is not None:
            await self._work.schedule(PRUNE_KEYS, "all")

    async def prune_keys(self, key: str) -> int:
        """Due work: deletes expired keys, then comes back in PRUNE_EVERY."""
        removed = await self._actions.prune(self._clock.now())
        if self._work is not None:
            await self._work.schedule(PRUNE_KEYS, key, due_at=self._clock.now() + PRUNE_EVERY)
        return removed

    async def claim(self, key: str, telegram_id: int, path: str) -> Claim:
        return await self._actions.claim(key, telegram_id, path, self._clock.now())

    async def finish(
        self, key: str, status: int, response: dict[str, Any], about: int | None = None
    ) -> None:
        await self._actions.finish(key, status, response, about)

    async def release(self, key: str) -> None:
        await self._actions.release(key)

    # --- menu buttons -------------------------------------------------------------------------

    async def menus(self) -> list[int]:
        """Chats whose menu button was set to open the desk."""
        return await self._actions.menus()

    async def menu_set(self, telegram_id: int) -> None:
        await self._actions.menu_set(telegram_id, self._clock.now())

    async def menu_dropped(self, telegram_id: int) -> None:
        await self._actions.menu_dropped(telegram_id)

    # --- reads --------------------------------------------------------------------------------

    async def question(self, request_id: int) -> HelpRequest | None:
        return await self._desk.question(request_id)

    async def open_question_ids(self, telegram_id: int) -> list[int]:
        return await self._desk.open_question_ids(telegram_id)

    async def find(
        self, actor: int, *, vms_id: str | None = None, question: int | None = None
    ) -> Found | None:
        """A volunteer by the exact VMS ID they told staff, or by their question's number.
        Recorded in the audit log (how, not the ID)."""
        telegram_id: int | None = None
        if vms_id is not None:
            telegram_id = await self._desk.by_vms_id(vms_id.strip())
        elif question is not None:
            request = await self._desk.question(question)
            telegram_id = request.telegram_id if request is not None else None
        await self._staff.audit(
            actor,
            "desk.lookup",
            by="vms_id" if vms_id is not None else "question",
            found=telegram_id is not None,
        )
        if telegram_id is None:
            return None
        profile = await self._desk.profile(telegram_id, self._staff.admins)
        if profile is None:
            return None
        masked = mask_id(profile.vms_id) if profile.vms_id is not None else None
        return Found(telegram_id, masked, profile)

    async def found(self, telegram_id: int) -> Found:
        """The asker of a question, as staff may see them (no audit entry: the chat's staff
        copy shows the same)."""
        profile = await self._desk.profile(telegram_id, self._staff.admins)
        if profile is None:
            profile = _gone(telegram_id)
        masked = mask_id(profile.vms_id) if profile.vms_id is not None else None
        return Found(telegram_id, masked, profile)

    async def askers(self, telegram_ids: list[int]) -> dict[int, tuple[Found, list[int]]]:
        """Each asker of a list of questions as found() shows them, with their open question
        numbers: two queries for the whole list."""
        profiles = await self._desk.profiles(telegram_ids, self._staff.admins)
        open_ids = await self._desk.open_question_ids_of(telegram_ids)
        out = {}
        for telegram_id in telegram_ids:
            profile = profiles.get(telegram_id) or _gone(telegram_id)
            masked = mask_id(profile.vms_id) if profile.vms_id is not None else None
            out[telegram_id] = (Found(telegram_id, masked, profile), open_ids[telegram_id])
        return out

    async def question_page(self, *, answered: bool, limit: int) -> QuestionList:
        """questions() with each asker as askers() shows them and the open count (what
        HelpRequestService.open_count gives): one read of the store for a list."""
        page = await self._desk.question_page(answered, limit, self._staff.admins)
        askers = {}
        for telegram_id, (profile, open_ids) in page.askers.items():
            profile = profile or _gone(telegram_id)
            masked = mask_id(profile.vms_id) if profile.vms_id is not None else None
            askers[telegram_id] = (Found(telegram_id, masked, profile), open_ids)
        return QuestionList(page.questions, askers, page.open_count)

    async def audit_page(self, before: int | None, limit: int) -> list[AuditEntry]:
        return await self._desk.audit_page(before, limit)

    async def reminder_runs(self, reminder_id: int, limit: int = 20) -> list[ReminderRun]:
        return await self._desk.reminder_runs(reminder_id, limit)


def _gone(telegram_id: int) -> Profile:
    """Someone gone meanwhile (/forget): nothing to show but that."""
    return Profile(telegram_id, "ko", False, False, [], *(None,) * 7)  # type: ignore[arg-type]
