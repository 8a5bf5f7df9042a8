"""Who may use the center's staff commands, and the record of what they did.

Admins are the Telegram ids in ADMIN_TELEGRAM_IDS (configuration, never stored): they invite
and remove staff. Staff are people an admin made staff (stored). Both may use every staff
command; only admins manage staff. Every staff action is written to the audit log by the
service that performs it, through `audit()`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from core.clock import Clock, SystemClock
from store.staff import (
    AuditEntry,
    AuditLog,
    InviteRepository,
    OpenInvite,
    StaffChatRepository,
    StaffRepository,
    StaffRow,
)

Role = Literal["admin", "staff"]
JoinResult = Literal["joined", "already", "refused"]

# An invite link works once, for a day (on the injectable clock).
INVITE_LIFETIME = timedelta(hours=24)
# The deep-link payload: t.me/<bot>?start=staff-<token>. Telegram allows A-Z a-z 0-9 _ - and
# 64 characters; token_urlsafe(24) gives 32 of them (192 random bits).
INVITE_PAYLOAD_PREFIX = "staff-"

# The commands only staff see in their menu and only staff may use; a volunteer who types one
# gets "센터 담당자만 쓸 수 있는 명령이에요" and nothing else (handlers/staff_guard.py).
STAFF_COMMANDS: tuple[str, ...] = ("staff", "broadcast", "remind", "stats")
# In an audit entry's detail: the bot did it, nobody's command (see StaffService.audit).
BY_BOT = "by_bot"


class StaffService:
    """Roles and the audit log; no Telegram types here."""

    def __init__(
        self,
        repository: StaffRepository,
        audit_log: AuditLog,
        admins: tuple[int, ...],
        invites: InviteRepository | None = None,
        clock: Clock | None = None,
        chats: StaffChatRepository | None = None,
    ):
        self._staff = repository
        self._audit = audit_log
        self._admins = frozenset(admins)
        self._invites = invites
        self._clock = clock or SystemClock()
        # First names seen on staff members' own updates, for colleagues' lists in /staff,
        # and whose own command menu is set (handlers/commands.py): in the store, not in this
        # worker's memory, so every worker shows the same names and sets a menu once.
        self._chats = chats

    async def role(self, telegram_id: int) -> Role | None:
        if telegram_id in self._admins:
            return "admin"
        if await self._staff.is_staff(telegram_id):
            return "staff"
        return None

    async def is_staff(self, telegram_id: int) -> bool:
        """Admins count as staff: they may do everything staff do."""
        return await self.role(telegram_id) is not None

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self._admins

    @property
    def admins(self) -> frozenset[int]:
        return self._admins

    async def staff_ids(self) -> frozenset[int]:
        """Everyone with a role: admins and stored staff."""
        return self._admins | await self._staff.ids()

    async def members(self) -> list[StaffRow]:
        return await self._staff.list()

    async def add(self, telegram_id: int, added_by: int | None) -> bool:
        added = await self._staff.add(telegram_id, added_by)
        if added:
            await self.audit(added_by, "staff.add", member=telegram_id)
        return added

    async def remove(self, telegram_id: int, removed_by: int) -> bool:
        removed = await self._staff.remove(telegram_id)
        if removed:
            await self.audit(removed_by, "staff.remove", member=telegram_id)
        return removed

    async def audit(self, actor: int | None, action: str, **detail: object) -> None:
        """Records one staff action; `detail` holds counts and ids, never texts or names.

        `actor` None is the bot itself (the sender's ending, a reminder's run): marked BY_BOT,
        since a row whose actor later used /forget has None too and must read otherwise.
        """
        if actor is None:
            detail[BY_BOT] = True
        await self._audit.write(actor, action, **detail)

    async def recent_actions(self, limit: int = 20) -> list[AuditEntry]:
        return await self._audit.recent(limit)

    # --- invites ----------------------------------------------------------------------------

    async def invite(self, admin: int) -> Invite:
        """A new single-use invite; only its hash is stored. Admins only (PermissionError)."""
        if not self.is_admin(admin):
            raise PermissionError("only admins invite staff")
        assert self._invites is not None, "built without an invite store"
        token = secrets.token_urlsafe(24)
        expires_at = self._clock.now() + INVITE_LIFETIME
        await self._invites.create(_hash(token), admin, expires_at)
        await self.audit(admin, "staff.invite")
        return Invite(INVITE_PAYLOAD_PREFIX + token, expires_at)

    async def open_invites(self) -> list[OpenInvite]:
        """Invites that still work, for admins to see and revoke."""
        assert self._invites is not None, "built without an invite store"
        return await self._invites.open(self._clock.now(), self._admins)

    async def revoke_invite(self, admin: int, ref: str) -> bool:
        """Revokes an open invite (any admin's); False if it no longer works anyway. Admins
        only (PermissionError)."""
        if not self.is_admin(admin):
            raise PermissionError("only admins revoke invites")
        assert self._invites is not None, "built without an invite store"
        revoked = await self._invites.revoke(ref, self._clock.now())
        if revoked:
            await self.audit(admin, "staff.invite.revoke")
        return revoked

    async def join(self, payload: str, telegram_id: int) -> JoinResult:
        """Someone opened an invite link. 'refused' for an unknown, used or expired one, or
        one made by someone who is no longer an admin (ADMIN_TELEGRAM_IDS as it is now).

        Someone already staff keeps the invite unused, so it can still go to whom it was for.
        """
        if await self.is_staff(telegram_id):
            return "already"
        assert self._invites is not None, "built without an invite store"
        token = payload.removeprefix(INVITE_PAYLOAD_PREFIX)
        inviter = await self._invites.redeem(
            _hash(token), telegram_id, self._clock.now(), self._admins
        )
        if inviter is None:
            return "refused"
        await self._staff.add(telegram_id, inviter)
        await self.audit(telegram_id, "staff.join", invited_by=inviter)
        return "joined"

    # --- names and menus, in the store -----------------------------------------------------

    async def seen(self, telegram_id: int, first_name: str | None) -> bool:
        """A staff member's own update: keeps their first name if it changed; True when their
        staff menu has not been set yet (by any worker)."""
        assert self._chats is not None, "built without a staff chat store"
        chat = await self._chats.get(telegram_id)
        if first_name and (chat is None or chat.first_name != first_name):
            await self._chats.note_name(telegram_id, first_name)
        return chat is None or not chat.menu_set

    async def note_name(self, telegram_id: int, first_name: str | None) -> None:
        if first_name and self._chats is not None:
            await self._chats.note_name(telegram_id, first_name)

    async def names(self) -> dict[int, str]:
        """The first names of admins and staff as the bot last saw them (read each time)."""
        if self._chats is None:
            return {}
        return {i: c.first_name for i, c in (await self._chats.all()).items() if c.first_name}

    async def name_of(self, telegram_id: int) -> str | None:
        """One staff member's first name as the bot last saw it, or None."""
        if self._chats is None:
            return None
        chat = await self._chats.get(telegram_id)
        return chat.first_name if chat is not None else None

    async def menu_set(self, telegram_id: int, present: bool) -> None:
        if self._chats is not None:
            await self._chats.set_menu(telegram_id, present)


@dataclass(frozen=True)
class Invite:
    payload: str  # what follows ?start= in the link
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
