"""Who may use the center's staff commands, and the record of what they did.

Admins are the Telegram ids in ADMIN_TELEGRAM_IDS (configuration, never stored): they invite
and remove staff. Staff are people an admin made staff (stored). Both may use every staff
command; only admins manage staff. Every staff action is written to the audit log by the
service that performs it, through `audit()`.
"""

from __future__ import annotations

from typing import Literal

from store.staff import AuditEntry, AuditLog, StaffRepository, StaffRow

Role = Literal["admin", "staff"]

# The commands only staff see in their menu and only staff may use; a volunteer who types one
# gets "센터 담당자만 쓸 수 있는 명령이에요" and nothing else (handlers/staff_guard.py).
STAFF_COMMANDS: tuple[str, ...] = ("staff", "broadcast", "remind", "stats")
# Buttons of staff screens outside a flow carry this prefix, so one guard refuses forged ones.
STAFF_CALLBACK_PREFIX = "staff:"


class StaffService:
    """Roles and the audit log; no Telegram types here."""

    def __init__(self, repository: StaffRepository, audit_log: AuditLog, admins: tuple[int, ...]):
        self._staff = repository
        self._audit = audit_log
        self._admins = frozenset(admins)

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
        """Records one staff action; `detail` holds counts and ids, never texts or names."""
        await self._audit.write(actor, action, **detail)

    async def recent_actions(self, limit: int = 20) -> list[AuditEntry]:
        return await self._audit.recent(limit)

    def forgotten(self) -> None:
        """A user was deleted: the stored staff set may have shrunk (ON DELETE CASCADE)."""
        self._staff.forget_cache()
