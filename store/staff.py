"""Center staff, their invites, and the audit log of what staff did (migration 10)."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from store.db import Database
from store.dialect import json_ids
from store.timestamps import from_text, to_text


@dataclass(frozen=True)
class StaffRow:
    """One staff member (admins come from the settings and have no row)."""

    telegram_id: int
    added_by: int | None
    added_at: datetime


@dataclass(frozen=True)
class OpenInvite:
    """An invite that still works. `ref` names it on a revoke button: the start of its token's
    SHA-256, which says nothing about the token itself."""

    ref: str
    created_by: int
    created_at: datetime
    expires_at: datetime


# Hex digits of the hash that name an invite: 64 bits, unique among a center's few invites.
INVITE_REF_LENGTH = 16


@dataclass(frozen=True)
class AuditEntry:
    """One staff action; `actor` is None once that person used /forget."""

    id: int
    at: datetime
    actor: int | None
    action: str
    detail: dict[str, object]


class StaffRepository:
    """Who is staff. Read from the store at each question: several workers may share it, and
    the set is small (a primary-key lookup costs what checking a cached copy's version would)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def ids(self) -> frozenset[int]:
        rows = await self._db.fetch_all("SELECT telegram_id FROM staff")
        return frozenset(row["telegram_id"] for row in rows)

    async def is_staff(self, telegram_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 AS yes FROM staff WHERE telegram_id = ?", (telegram_id,)
        )
        return row is not None

    async def list(self) -> list[StaffRow]:
        rows = await self._db.fetch_all(
            "SELECT telegram_id, added_by, added_at FROM staff ORDER BY added_at, telegram_id"
        )
        return [StaffRow(r["telegram_id"], r["added_by"], from_text(r["added_at"])) for r in rows]

    async def add(self, telegram_id: int, added_by: int | None) -> bool:
        """Makes the user staff; False if they already were. The user row must exist."""
        rows = await self._db.write(
            "INSERT INTO staff (telegram_id, added_by, added_at) VALUES (?, ?, ?)"
            " ON CONFLICT (telegram_id) DO NOTHING RETURNING telegram_id",
            (telegram_id, added_by, to_text(self._db.clock.now())),
        )
        return bool(rows)

    async def remove(self, telegram_id: int) -> bool:
        """Ends the role; their name and menu record go with it (admins keep theirs)."""
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    removed = await tx.execute(
                        "DELETE FROM staff WHERE telegram_id = ?", (telegram_id,)
                    )
                    await tx.execute(
                        "DELETE FROM staff_chats WHERE telegram_id = ?", (telegram_id,)
                    )
        return removed > 0


@dataclass(frozen=True)
class StaffChat:
    """What the bot knows of one admin's or staff member's chat (migration 23)."""

    first_name: str | None
    menu_set: bool


class StaffChatRepository:
    """Staff members' first names and whether their staff menu is set, shared by every worker."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self) -> dict[int, StaffChat]:
        rows = await self._db.fetch_all("SELECT telegram_id, first_name, menu_set FROM staff_chats")
        return {r["telegram_id"]: StaffChat(r["first_name"], bool(r["menu_set"])) for r in rows}

    async def get(self, telegram_id: int) -> StaffChat | None:
        row = await self._db.fetch_one(
            "SELECT first_name, menu_set FROM staff_chats WHERE telegram_id = ?", (telegram_id,)
        )
        return StaffChat(row["first_name"], bool(row["menu_set"])) if row is not None else None

    async def note_name(self, telegram_id: int, first_name: str) -> None:
        """Keeps the first name; nothing for someone with no user row (they never wrote)."""
        await self._db.write(
            "INSERT INTO staff_chats (telegram_id, first_name)"
            " SELECT telegram_id, ? FROM users WHERE telegram_id = ?"
            " ON CONFLICT (telegram_id) DO UPDATE SET first_name = excluded.first_name",
            (first_name, telegram_id),
        )

    async def set_menu(self, telegram_id: int, present: bool) -> None:
        await self._db.write(
            "INSERT INTO staff_chats (telegram_id, menu_set)"
            " SELECT telegram_id, ? FROM users WHERE telegram_id = ?"
            " ON CONFLICT (telegram_id) DO UPDATE SET menu_set = excluded.menu_set",
            (int(present), telegram_id),
        )


class AuditLog:
    """Append-only record of staff actions. `detail` must hold no personal data."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def write(self, actor: int | None, action: str, **detail: object) -> None:
        await self._db.write(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)",
            (to_text(self._db.clock.now()), actor, action, json.dumps(detail, ensure_ascii=False)),
        )

    async def recent(self, limit: int = 20) -> list[AuditEntry]:
        rows = await self._db.fetch_all(
            "SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            AuditEntry(
                r["id"], from_text(r["at"]), r["actor"], r["action"], json.loads(r["detail"])
            )
            for r in rows
        ]


class InviteRepository:
    """Single-use staff invites, kept only as the SHA-256 of their token."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, token_hash: str, created_by: int, expires_at: datetime) -> None:
        await self._db.write(
            "INSERT INTO staff_invites (token_hash, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (token_hash, created_by, to_text(self._db.clock.now()), to_text(expires_at)),
        )

    async def redeem(
        self, token_hash: str, telegram_id: int, now: datetime, admins: Collection[int]
    ) -> int | None:
        """Marks a live, unused invite used by this user and returns who created it.

        None for an unknown, used or expired token, or one whose creator is no longer among
        `admins` (the admins now, not when it was made): one statement, so two people
        opening the same link at once cannot both get in.
        """
        rows = await self._db.write(
            "UPDATE staff_invites SET used_by = ?, used_at = ?"
            " WHERE token_hash = ? AND used_by IS NULL AND expires_at > ?"
            f" AND created_by IN ({json_ids(self._db.dialect)})"
            " RETURNING created_by",
            (telegram_id, to_text(now), token_hash, to_text(now), json.dumps(sorted(admins))),
        )
        return int(rows[0]["created_by"]) if rows else None

    async def open(self, now: datetime, admins: Collection[int]) -> list[OpenInvite]:
        """Invites that still work (unused, unexpired, made by a current admin), soonest to
        expire first."""
        rows = await self._db.fetch_all(
            "SELECT substr(token_hash, 1, ?) AS ref, created_by, created_at, expires_at"
            " FROM staff_invites WHERE used_by IS NULL AND expires_at > ?"
            f" AND created_by IN ({json_ids(self._db.dialect)})"
            " ORDER BY expires_at, token_hash",
            (INVITE_REF_LENGTH, to_text(now), json.dumps(sorted(admins))),
        )
        return [
            OpenInvite(
                r["ref"], r["created_by"], from_text(r["created_at"]), from_text(r["expires_at"])
            )
            for r in rows
        ]

    async def revoke(self, ref: str, now: datetime) -> bool:
        """Deletes an unused, unexpired invite named by `ref`; False if there is none (used,
        expired or revoked already). Deleted, not marked: the link must never work again, and
        the audit log keeps that it was revoked and by whom."""
        if len(ref) != INVITE_REF_LENGTH:
            return False
        rows = await self._db.write(
            "DELETE FROM staff_invites WHERE substr(token_hash, 1, ?) = ?"
            " AND used_by IS NULL AND expires_at > ? RETURNING created_by",
            (INVITE_REF_LENGTH, ref, to_text(now)),
        )
        return bool(rows)
