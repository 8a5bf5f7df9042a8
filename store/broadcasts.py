"""Broadcast audiences, the snapshot of one broadcast into deliveries, and delivery states.

Audiences are SQL over users, links, sends and the /status cache (each volunteer's summary as
of their last status check), so counting 100,000 users is one query, not a Python loop.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast, get_args

from core.types import Lang
from store.db import Database, Transaction
from store.dialect import json_ids, json_text
from store.due_work import DueWorkRepository
from store.engine import Dialect
from store.segment_counts import facts_sql, picker_sql
from store.timestamps import from_text, from_text_or_none, to_text

Segment = Literal["all", "not_linked", "consent_incomplete", "unsent_or_failed", "never_sent"]
SEGMENTS: tuple[Segment, ...] = get_args(Segment)
DeliveryState = Literal["queued", "sending", "sent", "failed", "blocked", "gone"]
BroadcastState = Literal["sending", "done", "cancelled"]
RUN_BROADCAST = "broadcast.run"  # due work, key = the broadcast id
# deliveries.error of a delivery whose outcome nobody knows (in flight at a crash, or a call
# that may or may not have reached Telegram): counted apart, never sent again by its run.
UNKNOWN = "unknown"

_LINKED = "EXISTS (SELECT 1 FROM links l WHERE l.telegram_id = u.telegram_id)"
_SUMMARY = "(SELECT c.summary FROM status_cache c WHERE c.telegram_id = u.telegram_id)"


def _fact(column: str) -> str:
    """What the bot last learned from the gateway (store/volunteer_facts.py), for the
    volunteer's current link only."""
    return (
        f"(SELECT f.{column} FROM volunteer_facts f JOIN links l"
        " ON l.telegram_id = f.telegram_id AND l.link_id = f.link_id"
        " WHERE f.telegram_id = u.telegram_id)"
    )


# Each segment as a condition on `u` (users). "Consent incomplete" includes linked volunteers
# whose consents the bot has not seen yet: only a seen "both agreed" takes someone out.
def _segment_sql(dialect: Dialect) -> dict[Segment, str]:
    return {
        "all": "TRUE",
        "not_linked": f"NOT {_LINKED}",
        "consent_incomplete": (
            f"{_LINKED} AND NOT COALESCE({_fact('consent_1365')} = 1"
            f" AND {_fact('consent_vms')} = 1, FALSE)"
        ),
        "unsent_or_failed": (
            f"{_LINKED} AND COALESCE({_fact('unsent')}, 0)"
            f" + COALESCE({_fact('resendable_failed')}, 0) > 0"
        ),
        "never_sent": (
            f"{_LINKED} AND NOT EXISTS (SELECT 1 FROM sends s WHERE s.telegram_id = u.telegram_id"
            " AND s.state <> 'claimed')"
            f" AND {json_text(dialect, _SUMMARY, 'last_sent_at')} IS NULL"
        ),
    }


# Guide mode (no gateway): nobody links, and all the bot knows is the volunteer's own word
# (guide progress, "📤 VMS에서 보냈어요" and the 24-hour answer), so the segments count that,
# and their labels say so (bc.segment.guide.*). 'not_linked' is not offered there.
_SAID_CONSENT = "IN ('self', 'confirmed')"
_GUIDE_SEGMENT_SQL: dict[Segment, str] = {
    "all": "TRUE",
    "not_linked": "TRUE",
    "consent_incomplete": (
        "NOT EXISTS (SELECT 1 FROM guide_progress g WHERE g.telegram_id = u.telegram_id"
        f" AND g.consent_1365 {_SAID_CONSENT} AND g.consent_vms {_SAID_CONSENT})"
    ),
    "unsent_or_failed": (
        "EXISTS (SELECT 1 FROM self_reports r WHERE r.telegram_id = u.telegram_id"
        " AND COALESCE(r.seen_on_1365, 0) = 0)"
    ),
    "never_sent": "NOT EXISTS (SELECT 1 FROM self_reports r WHERE r.telegram_id = u.telegram_id)",
}
GUIDE_SEGMENTS: tuple[Segment, ...] = tuple(s for s in SEGMENTS if s != "not_linked")


@dataclass(frozen=True)
class Audience:
    """Who a broadcast goes to: a segment, optionally one language, and whether it is a
    reminder (reminders skip volunteers who turned center notices off)."""

    segment: Segment
    language: Lang | None = None
    reminder: bool = False

    def segment_where(
        self, admins: Collection[int] = (), *, guide: bool = False, dialect: Dialect = "sqlite"
    ) -> tuple[str, tuple[object, ...]]:
        """The segment and language among volunteers, before anyone is left out.

        Staff and admins are not volunteers: they see every broadcast as its preview, and
        /stats counts the same people ("이용 중 N명" there is "모든 봉사자 · N명" here).
        """
        clauses = [
            "u.telegram_id NOT IN (SELECT telegram_id FROM staff)",
            f"u.telegram_id NOT IN ({json_ids(dialect)})",
            (_GUIDE_SEGMENT_SQL if guide else _segment_sql(dialect))[self.segment],
        ]
        params: list[object] = [json.dumps(sorted(admins))]
        if self.language is not None:
            clauses.append("u.language = ?")
            params.append(self.language)
        return " AND ".join(f"({c})" for c in clauses), tuple(params)

    def where(
        self, admins: Collection[int] = (), *, guide: bool = False, dialect: Dialect = "sqlite"
    ) -> tuple[str, tuple[object, ...]]:
        """The recipients: the segment, minus blocked users, minus notices-off for reminders."""
        segment, params = self.segment_where(admins, guide=guide, dialect=dialect)
        notices = " AND u.reminders = 1" if self.reminder else ""
        return f"u.blocked_at IS NULL{notices} AND {segment}", params


@dataclass(frozen=True)
class AudienceCount:
    """Recipients, and who the segment holds but the broadcast leaves out, counted apart:
    `blocked` are never sent to; `notices_off` turned center notices off, which leaves them
    out of reminders only (for other broadcasts they are among the recipients)."""

    recipients: int
    blocked: int
    notices_off: int


@dataclass(frozen=True)
class Freshness:
    """The oldest gateway fact the segments count from, and how many linked volunteers the
    bot has not yet learned anything about (they count as consent incomplete)."""

    oldest: datetime | None
    unknown: int


def _freshness(row: sqlite3.Row) -> Freshness:
    times = [from_text(row[k]) for k in ("consents", "records") if row[k] is not None]
    return Freshness(min(times) if times else None, int(row["unknown"]))


@dataclass(frozen=True)
class BroadcastRow:
    id: int
    created_by: int | None
    reminder_id: int | None
    audience: Audience
    text_ko: str
    text_en: str | None
    state: BroadcastState
    created_at: datetime
    finished_at: datetime | None
    progress_chat_id: int | None
    progress_message_id: int | None
    resend_of: int | None = None  # the broadcast whose unknown deliveries this one repeats


@dataclass(frozen=True)
class Resend:
    """What a resend of one broadcast's unknown deliveries came to. `created` is False when
    that broadcast had been resent already (`broadcast_id` is that earlier resend)."""

    broadcast_id: int
    recipients: int
    created: bool


_BROADCAST_COLUMNS = (
    "id, created_by, reminder_id, segment, language, is_reminder, text_ko, text_en, state,"
    " created_at, finished_at, progress_chat_id, progress_message_id, resend_of"
)


# Who a resend of broadcast `d.broadcast_id` goes to: its unknown deliveries whose recipient
# is still here (a /forget took the delivery with it), has not blocked the bot since, is not
# staff, and, for a reminder, still takes center notices: the rules of the original audience.
def _resend_where(dialect: Dialect) -> str:
    return (
        "d.broadcast_id = ? AND d.state = 'failed' AND d.error = ?"
        " AND u.blocked_at IS NULL AND (? = 0 OR u.reminders = 1)"
        " AND u.telegram_id NOT IN (SELECT telegram_id FROM staff)"
        f" AND u.telegram_id NOT IN ({json_ids(dialect)})"
    )


def _broadcast(row: sqlite3.Row) -> BroadcastRow:
    return BroadcastRow(
        id=row["id"],
        created_by=row["created_by"],
        reminder_id=row["reminder_id"],
        audience=Audience(
            cast(Segment, row["segment"]),
            cast(Lang | None, row["language"]),
            bool(row["is_reminder"]),
        ),
        text_ko=row["text_ko"],
        text_en=row["text_en"],
        state=cast(BroadcastState, row["state"]),
        created_at=from_text(row["created_at"]),
        finished_at=from_text_or_none(row["finished_at"]),
        progress_chat_id=row["progress_chat_id"],
        progress_message_id=row["progress_message_id"],
        resend_of=row["resend_of"],
    )


class EmptyAudience(Exception):
    """Nobody to send to: raised inside a broadcast's transaction, it rolls the broadcast
    back, so nothing is written."""


@dataclass(frozen=True)
class _NewBroadcast:
    """A broadcast about to be made: a new one, or the resend of one (`resend_of`)."""

    audience: Audience
    text_ko: str
    text_en: str | None
    created_by: int | None
    progress_chat_id: int | None
    reminder_id: int | None = None
    resend_of: int | None = None

    async def insert(
        self,
        tx: Transaction,
        now: datetime,
        recipients: str,
        params: tuple[object, ...],
        *,
        skip_empty: bool,
    ) -> tuple[int, int]:
        """Its row, the snapshot of its recipients into deliveries (`recipients` selects
        (?, telegram_id), the ? being the new broadcast's id, then `params`) and its run's
        due item, in `tx`; (broadcast id, recipients). Nobody with `skip_empty`: EmptyAudience,
        which rolls `tx` back."""
        row = await tx.fetch_one(
            "INSERT INTO broadcasts (created_by, reminder_id, resend_of, segment, language,"
            " is_reminder, text_ko, text_en, state, created_at, progress_chat_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?) RETURNING id",
            (
                self.created_by,
                self.reminder_id,
                self.resend_of,
                self.audience.segment,
                self.audience.language,
                1 if self.audience.reminder else 0,
                self.text_ko,
                self.text_en,
                to_text(now),
                self.progress_chat_id,
            ),
        )
        assert row is not None
        broadcast_id = int(row["id"])
        count = await tx.execute(
            f"INSERT INTO deliveries (broadcast_id, telegram_id) {recipients}",
            (broadcast_id, *params),
        )
        if skip_empty and count == 0:
            raise EmptyAudience  # rolls the empty broadcast back
        await DueWorkRepository.schedule_in(
            tx, RUN_BROADCAST, str(broadcast_id), {"broadcast_id": broadcast_id}, now
        )
        return broadcast_id, count


class BroadcastRepository:
    """Audiences, broadcasts and deliveries; SQL only."""

    def __init__(self, db: Database, *, guide: bool = False) -> None:
        self._db = db
        self._guide = guide  # guide mode: segments from the volunteers' own word
        self._picker_sql: dict[tuple[bool, bool], str] = {}

    @property
    def segments(self) -> tuple[Segment, ...]:
        return GUIDE_SEGMENTS if self._guide else SEGMENTS

    async def facts_as_of(self, admins: Collection[int] = ()) -> Freshness:
        """How fresh the gateway facts behind the segments are, over reachable volunteers."""
        row = await self._db.fetch_one(facts_sql(self._db.dialect), (json.dumps(sorted(admins)),))
        assert row is not None
        return _freshness(row)

    async def count(self, audience: Audience, admins: Collection[int] = ()) -> AudienceCount:
        """One pass over the segment: who gets it, and who is left out and why."""
        segment, params = audience.segment_where(
            admins, guide=self._guide, dialect=self._db.dialect
        )
        row = await self._db.fetch_one(
            f"""
            SELECT
                COALESCE(SUM(CASE WHEN u.blocked_at IS NULL AND (? = 0 OR u.reminders = 1)
                    THEN 1 ELSE 0 END), 0) AS recipients,
                COALESCE(SUM(CASE WHEN u.blocked_at IS NOT NULL THEN 1 ELSE 0 END), 0)
                    AS blocked,
                COALESCE(SUM(CASE WHEN u.blocked_at IS NULL AND u.reminders = 0
                    THEN 1 ELSE 0 END), 0) AS notices_off
            FROM users u WHERE {segment}
            """,
            (1 if audience.reminder else 0, *params),
        )
        assert row is not None
        return AudienceCount(row["recipients"], row["blocked"], row["notices_off"])

    async def count_segments(
        self, language: Lang | None, reminder: bool, admins: Collection[int] = ()
    ) -> dict[Segment, AudienceCount]:
        """Every segment's count (as count() gives one) in one pass over the volunteers: the
        picker shows them all at once, and one statement is one trip to the database."""
        counts, _ = await self._picker(language, reminder, admins, fresh=False)
        return counts

    async def count_segments_as_of(
        self, language: Lang | None, reminder: bool, admins: Collection[int] = ()
    ) -> tuple[dict[Segment, AudienceCount], Freshness]:
        """count_segments() and facts_as_of() in one statement: the desk's picker asks both
        at every change of its filters, and each statement is a trip to the store."""
        counts, fresh = await self._picker(language, reminder, admins, fresh=True)
        assert fresh is not None
        return counts, fresh

    async def _picker(
        self, language: Lang | None, reminder: bool, admins: Collection[int], *, fresh: bool
    ) -> tuple[dict[Segment, AudienceCount], Freshness | None]:
        segments = self.segments
        key = (language is not None, fresh)
        sql = self._picker_sql.get(key)
        if sql is None:  # pure text of the engine, the mode and which filters are set
            sql = self._picker_sql[key] = self._build_picker(language, fresh=fresh)
        params: list[object] = [1 if reminder else 0] * len(segments)
        params.append(json.dumps(sorted(admins)))
        if language is not None:
            params.append(language)
        if fresh:
            params.append(json.dumps(sorted(admins)))
        row = await self._db.fetch_one(sql, params)
        assert row is not None
        counts = {
            seg: AudienceCount(int(row[f"r{n}"]), int(row[f"b{n}"]), int(row[f"n{n}"]))
            for n, seg in enumerate(segments)
        }
        return counts, _freshness(row) if fresh else None

    def _build_picker(self, language: Lang | None, *, fresh: bool) -> str:
        every, params = Audience("all", language).segment_where(
            (), guide=self._guide, dialect=self._db.dialect
        )
        assert len(params) == (1 if language is None else 2)  # the admins, the language
        sql = _GUIDE_SEGMENT_SQL if self._guide else _segment_sql(self._db.dialect)
        conditions = [sql[seg] for seg in self.segments]
        return picker_sql(conditions, every, self._db.dialect if fresh else None)

    async def create(
        self,
        *,
        created_by: int | None,
        audience: Audience,
        text_ko: str,
        text_en: str | None,
        reminder_id: int | None = None,
        progress_chat_id: int | None = None,
        admins: Collection[int] = (),
        skip_empty: bool = False,
    ) -> tuple[int, int]:
        """Snapshots the audience into deliveries and schedules the sender, atomically.

        Returns (broadcast id, recipients). Everyone who joins or changes later is not in it.
        With `skip_empty`, an audience of nobody raises EmptyAudience and writes nothing.
        """
        where, params = audience.where(admins, guide=self._guide, dialect=self._db.dialect)
        new = _NewBroadcast(audience, text_ko, text_en, created_by, progress_chat_id, reminder_id)
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    made = await new.insert(
                        tx,
                        self._db.clock.now(),
                        f"SELECT ?, u.telegram_id FROM users u WHERE {where}",
                        params,
                        skip_empty=skip_empty,
                    )
        return made

    async def resend_count(
        self, original: BroadcastRow, admins: Collection[int] = ()
    ) -> tuple[int, int | None]:
        """(people a resend of `original` would go to now, the id of its resend if made)."""
        row = await self._db.fetch_one(
            "SELECT (SELECT COUNT(*) FROM deliveries d"
            " JOIN users u ON u.telegram_id = d.telegram_id"
            f" WHERE {_resend_where(self._db.dialect)}) AS n,"
            " (SELECT id FROM broadcasts WHERE resend_of = ?) AS resend",
            (*self._resend_params(original, admins), original.id),
        )
        assert row is not None
        return int(row["n"]), row["resend"]

    async def create_resend(
        self,
        original: BroadcastRow,
        *,
        created_by: int | None,
        progress_chat_id: int | None,
        admins: Collection[int] = (),
    ) -> Resend | None:
        """Snapshots the original's unknown deliveries into a new broadcast of the same text
        and schedules the sender, atomically; once per original (the earlier resend is
        returned otherwise). None, and nothing written, when nobody is left to resend to."""
        try:
            return await self._create_resend(original, created_by, progress_chat_id, admins)
        except EmptyAudience:
            return None

    async def _create_resend(
        self,
        original: BroadcastRow,
        created_by: int | None,
        progress_chat_id: int | None,
        admins: Collection[int],
    ) -> Resend:
        now = self._db.clock.now()
        async for attempt in self._db.attempts():
            with attempt:
                async with self._db.transaction() as tx:
                    # BEGIN IMMEDIATE: two presses at once run one after the other, and the second
                    # finds the first's resend (the unique index would refuse a second one anyway).
                    done = await tx.fetch_one(
                        "SELECT b.id, (SELECT COUNT(*) FROM deliveries"
                        " WHERE broadcast_id = b.id) AS n"
                        " FROM broadcasts b WHERE b.resend_of = ?",
                        (original.id,),
                    )
                    if done is not None:
                        return Resend(int(done["id"]), int(done["n"]), created=False)
                    new = _NewBroadcast(
                        original.audience,
                        original.text_ko,
                        original.text_en,
                        created_by,
                        progress_chat_id,
                        resend_of=original.id,
                    )
                    broadcast_id, recipients = await new.insert(
                        tx,
                        now,
                        "SELECT ?, d.telegram_id FROM deliveries d"
                        " JOIN users u ON u.telegram_id = d.telegram_id"
                        f" WHERE {_resend_where(self._db.dialect)}",
                        self._resend_params(original, admins),
                        skip_empty=True,
                    )
        return Resend(broadcast_id, recipients, created=True)

    @staticmethod
    def _resend_params(original: BroadcastRow, admins: Collection[int]) -> tuple[object, ...]:
        return (
            original.id,
            UNKNOWN,
            1 if original.audience.reminder else 0,
            json.dumps(sorted(admins)),
        )

    async def get(self, broadcast_id: int) -> BroadcastRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row is not None else None

    async def recent(self, limit: int = 5) -> list[BroadcastRow]:
        rows = await self._db.fetch_all(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_broadcast(r) for r in rows]

    async def totals(self, broadcast_id: int) -> dict[DeliveryState, int]:
        """Deliveries of one broadcast per state (every state present, zero if none)."""
        return (await self._totals((broadcast_id,)))[broadcast_id]

    async def recent_totals(
        self, limit: int
    ) -> list[tuple[BroadcastRow, dict[DeliveryState, int]]]:
        """The newest broadcasts with their deliveries per state, in two queries."""
        broadcasts = await self.recent(limit)
        if not broadcasts:
            return []
        totals = await self._totals(tuple(b.id for b in broadcasts))
        return [(b, totals[b.id]) for b in broadcasts]

    async def _totals(self, ids: tuple[int, ...]) -> dict[int, dict[DeliveryState, int]]:
        """Deliveries per state for each broadcast, in one query."""
        marks = ", ".join("?" for _ in ids)
        rows = await self._db.fetch_all(
            f"SELECT broadcast_id, state, COUNT(*) AS n FROM deliveries"
            f" WHERE broadcast_id IN ({marks}) GROUP BY broadcast_id, state",
            ids,
        )
        totals: dict[int, dict[DeliveryState, int]] = {
            i: cast(dict[DeliveryState, int], dict.fromkeys(get_args(DeliveryState), 0))
            for i in ids
        }
        for r in rows:
            totals[r["broadcast_id"]][r["state"]] = r["n"]
        return totals
