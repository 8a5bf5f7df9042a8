"""Reads the staff desk (Mini App) needs beyond the chat's: lists of questions, one volunteer's
place in the segments, the audit log by pages, a reminder's runs. SQL only.

A volunteer's segments are computed by the broadcast audiences' own conditions
(store/broadcasts.Audience.segment_where) restricted to that one person, so the desk and the
broadcast picker can never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.broadcasts import GUIDE_SEGMENTS, SEGMENTS, Audience, Segment
from store.db import Database
from store.dialect import id_list, json_ids, json_text
from store.help_requests import _COLUMNS as _REQUEST_COLUMNS
from store.help_requests import OPEN_COUNT, HelpRequest, _request
from store.reminders import SkipReason
from store.staff import AuditEntry
from store.timestamps import from_text, from_text_or_none
from store.users import _COLUMNS as _USER_COLUMNS
from store.users import User, _user


@dataclass(frozen=True)
class Profile:
    """One volunteer as the segments see them."""

    telegram_id: int
    language: str
    blocked: bool
    notices_off: bool
    segments: list[Segment]
    vms_id: str | None  # masked by the service before it leaves
    consent_1365: bool | None
    consent_vms: bool | None
    unsent: int | None
    failed: int | None
    facts_at: datetime | None
    last_sent_at: datetime | None


@dataclass(frozen=True)
class Visitor:
    """What the desk reads about its caller on every call, in one query (caller())."""

    user: User
    staff: bool  # a row in staff (admins come from the settings)
    first_name: str | None  # as staff_chats last kept it


@dataclass(frozen=True)
class QuestionPage:
    """A list of questions with what the desk shows beside each, and how many are open."""

    questions: list[HelpRequest]
    # Each asker as the segments see them (None: gone since, by /forget) with the numbers of
    # their open questions.
    askers: dict[int, tuple[Profile | None, list[int]]]
    open_count: int


@dataclass(frozen=True)
class ReminderRun:
    at: datetime
    broadcast_id: int | None  # None: skipped
    skip_reason: SkipReason | None = None  # why, when skipped


# The audit actions of a skipped run (bot/services/reminders.py), and why each skipped.
_SKIPS: dict[str, SkipReason] = {"reminder.skip": "late", "reminder.skip_empty": "empty"}


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)


class DeskRepository:
    def __init__(self, db: Database, *, guide: bool = False) -> None:
        self._db = db
        self._guide = guide
        # A volunteer as the segments see them, as columns of any query over `users u`:
        # every segment's condition a column (one trip, not one per segment). Pure text of
        # the engine and the mode, so built once here, not at every call.
        self._segments = GUIDE_SEGMENTS if guide else SEGMENTS
        columns = [
            "u.telegram_id AS p_telegram_id, u.language AS p_language,"
            " u.blocked_at AS p_blocked_at, u.reminders AS p_reminders, l.vms_id AS p_vms_id,"
            " f.consent_1365 AS p_consent_1365, f.consent_vms AS p_consent_vms,"
            " f.unsent AS p_unsent, f.resendable_failed AS p_failed,"
            " f.consents_at AS p_consents_at, f.records_at AS p_records_at,"
            " (SELECT MAX(s.accepted_at) FROM sends s WHERE s.telegram_id = u.telegram_id"
            "  AND s.state <> 'claimed') AS p_last_sent_at"
        ]
        for n, segment in enumerate(self._segments):
            # The admins are a parameter (one per segment), so the text holds for any.
            where, params = Audience(segment).segment_where((), guide=guide, dialect=db.dialect)
            assert len(params) == 1, "one parameter per segment: the admins"
            columns.append(f"CASE WHEN {where} THEN 1 ELSE 0 END AS s{n}")
        self._profile_columns = ", ".join(columns)
        self._profile_joins = (
            "LEFT JOIN links l ON l.telegram_id = u.telegram_id"
            " LEFT JOIN volunteer_facts f ON f.telegram_id = u.telegram_id"
            " AND f.link_id = l.link_id"
        )
        self._profiles_sql = (
            f"SELECT {self._profile_columns} FROM users u {self._profile_joins}"
            f" WHERE u.telegram_id IN ({json_ids(db.dialect)})"
        )
        self._page_sql = {answered: self._page(answered) for answered in (False, True)}

    def _segment_params(self, admins: Collection[int]) -> list[object]:
        return [json.dumps(sorted(admins))] * len(self._segments)

    def _page(self, answered: bool) -> str:
        if answered:
            where, order = "answered_at IS NOT NULL", "answered_at DESC, id DESC"
        else:
            where = (
                "answered_at IS NULL AND expired_at IS NULL AND EXISTS (SELECT 1 FROM"
                " help_request_copies c WHERE c.request_id = help_requests.id)"
            )
            order = "id"
        outer = ", ".join(f"q.{part}" for part in order.split(", "))
        # From the one-row count, so an empty list still brings the count (its row has no q).
        return (
            f"SELECT n.n AS open_count, q.*, {self._profile_columns},"
            f" (SELECT {id_list(self._db.dialect, 'h.id')} FROM help_requests h"
            "  WHERE h.telegram_id = q.telegram_id AND h.answered_at IS NULL"
            "  AND h.expired_at IS NULL) AS open_ids"
            f" FROM ({OPEN_COUNT}) n"
            f" LEFT JOIN (SELECT {_REQUEST_COLUMNS} FROM help_requests WHERE {where}"
            f"  ORDER BY {order} LIMIT ?) q ON 1 = 1"
            f" LEFT JOIN users u ON u.telegram_id = q.telegram_id {self._profile_joins}"
            f" ORDER BY {outer}"
        )

    async def question_page(
        self, answered: bool, limit: int, admins: Collection[int]
    ) -> QuestionPage:
        """questions(), each asker as profiles() and open_question_ids_of() give them, and
        the open count (HelpRequestRepository.open_count): one query, where the desk's
        lists took four."""
        rows = await self._db.fetch_all(
            self._page_sql[answered], (*self._segment_params(admins), limit)
        )
        questions, askers = [], {}
        for row in rows:
            if row["id"] is None:  # no question: the count's row alone
                continue
            questions.append(_request(row))
            profile = _profile(row, self._segments) if row["p_telegram_id"] is not None else None
            ids = sorted(int(i) for i in (row["open_ids"] or "").split(",") if i)
            askers[int(row["telegram_id"])] = (profile, ids)
        return QuestionPage(questions, askers, int(rows[0]["open_count"]))

    async def caller(self, telegram_id: int) -> Visitor | None:
        """The caller's user row, whether they are stored staff, and their kept first name:
        one trip to the store on every API call, where three reads took three. None when
        they have no user row (never wrote to the bot)."""
        row = await self._db.fetch_one(
            f"SELECT {_USER_COLUMNS},"
            " EXISTS (SELECT 1 FROM staff s WHERE s.telegram_id = users.telegram_id) AS staff,"
            " (SELECT c.first_name FROM staff_chats c WHERE c.telegram_id = users.telegram_id)"
            " AS staff_first_name"
            " FROM users WHERE telegram_id = ?",
            (telegram_id,),
        )
        if row is None:
            return None
        return Visitor(_user(row), bool(row["staff"]), row["staff_first_name"])

    async def question(self, request_id: int) -> HelpRequest | None:
        row = await self._db.fetch_one(
            f"SELECT {_REQUEST_COLUMNS} FROM help_requests WHERE id = ?", (request_id,)
        )
        return _request(row) if row is not None else None

    async def open_question_ids(self, telegram_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT id FROM help_requests WHERE telegram_id = ? AND answered_at IS NULL"
            " AND expired_at IS NULL ORDER BY id",
            (telegram_id,),
        )
        return [int(r["id"]) for r in rows]

    async def by_vms_id(self, vms_id: str) -> int | None:
        """The Telegram user linked to exactly this VMS ID, if any."""
        row = await self._db.fetch_one("SELECT telegram_id FROM links WHERE vms_id = ?", (vms_id,))
        return int(row["telegram_id"]) if row is not None else None

    async def profile(self, telegram_id: int, admins: Collection[int]) -> Profile | None:
        return (await self.profiles([telegram_id], admins)).get(telegram_id)

    async def profiles(
        self, telegram_ids: Collection[int], admins: Collection[int]
    ) -> dict[int, Profile]:
        """Volunteers as the segments see them, in one query however many: a list of
        questions shows each asker, and a query per asker (and per segment) added up."""
        if not telegram_ids:
            return {}
        rows = await self._db.fetch_all(
            self._profiles_sql,
            (*self._segment_params(admins), json.dumps(sorted(set(telegram_ids)))),
        )
        return {int(row["p_telegram_id"]): _profile(row, self._segments) for row in rows}

    async def open_question_ids_of(self, telegram_ids: Collection[int]) -> dict[int, list[int]]:
        """Each person's open questions, in one query."""
        found: dict[int, list[int]] = {i: [] for i in telegram_ids}
        if not found:
            return found
        rows = await self._db.fetch_all(
            "SELECT telegram_id, id FROM help_requests WHERE answered_at IS NULL"
            f" AND expired_at IS NULL AND telegram_id IN ({json_ids(self._db.dialect)})"
            " ORDER BY id",
            (json.dumps(sorted(found)),),
        )
        for row in rows:
            found[int(row["telegram_id"])].append(int(row["id"]))
        return found

    async def audit_page(self, before: int | None, limit: int) -> list[AuditEntry]:
        older = "" if before is None else " WHERE id < ?"
        params: tuple[int, ...] = (limit,) if before is None else (before, limit)
        rows = await self._db.fetch_all(
            f"SELECT id, at, actor, action, detail FROM audit_log{older} ORDER BY id DESC LIMIT ?",
            params,
        )
        return [
            AuditEntry(
                r["id"], from_text(r["at"]), r["actor"], r["action"], json.loads(r["detail"])
            )
            for r in rows
        ]

    async def reminder_runs(self, reminder_id: int, limit: int) -> list[ReminderRun]:
        """Its broadcasts and its skipped runs (from the audit log), newest first."""
        ran = await self._db.fetch_all(
            "SELECT id, created_at FROM broadcasts WHERE reminder_id = ? ORDER BY id DESC LIMIT ?",
            (reminder_id, limit),
        )
        # This reminder's skips only, filtered in SQL: scanning the newest skips of every
        # reminder and filtering here missed this one's behind a busier one's.
        reminder = json_text(self._db.dialect, "detail", "reminder")
        skipped = await self._db.fetch_all(
            f"SELECT at, action, detail FROM audit_log WHERE action IN (?, ?)"
            f" AND CAST({reminder} AS TEXT) = ? ORDER BY id DESC LIMIT ?",
            (*_SKIPS, str(reminder_id), limit),
        )
        runs = [ReminderRun(from_text(r["created_at"]), int(r["id"])) for r in ran]
        for row in skipped:
            due = json.loads(row["detail"]).get("due")
            at = from_text(due) if due else from_text(row["at"])
            runs.append(ReminderRun(at, None, _SKIPS[row["action"]]))
        runs.sort(key=lambda r: r.at, reverse=True)
        return runs[:limit]


def _profile(user: Any, names: tuple[Segment, ...]) -> Profile:
    times = [t for t in (user["p_consents_at"], user["p_records_at"]) if t]
    return Profile(
        telegram_id=int(user["p_telegram_id"]),
        language=user["p_language"] or "ko",
        blocked=user["p_blocked_at"] is not None,
        notices_off=not user["p_reminders"],
        segments=[s for n, s in enumerate(names) if user[f"s{n}"] == 1],
        vms_id=user["p_vms_id"],
        consent_1365=_flag(user["p_consent_1365"]),
        consent_vms=_flag(user["p_consent_vms"]),
        unsent=user["p_unsent"],
        failed=user["p_failed"],
        facts_at=from_text_or_none(min(times)) if times else None,
        last_sent_at=from_text_or_none(user["p_last_sent_at"]),
    )
