"""/stats's counting queries on each engine: the same rows give the same counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from store.db import Database
from store.stats import StatsRepository, Windows
from store.timestamps import to_text
from store.users import UserRepository
from tests.store.trips import sqlite_trips, store_calls

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
WINDOWS = Windows(
    since_7=NOW - timedelta(days=7),
    since_30=NOW - timedelta(days=30),
    weeks_start=NOW - timedelta(weeks=4),
    weeks=4,
)
ADMIN, STAFF = 9, 8


def _summary(agreed_1365: bool, agreed_vms: bool, unsent: int, failed: int) -> str:
    return json.dumps(
        {
            "member": {
                "consent_1365": {"agreed": agreed_1365},
                "consent_vms": {"agreed": agreed_vms},
            },
            "unsent": {"count": unsent},
            "pending": {"count": 1},
            "succeeded": {"count": 2},
            "failed": {"count": failed},
        }
    )


async def _center(db: Database) -> None:
    """1 blocked; 2 only started; 3, 4 and 5 linked, 3 and 4 checked /status (5's cache is
    of an earlier link); staff 8 and admin 9 look like volunteers but are not counted."""
    users = UserRepository(db)
    for uid in (1, 2, 3, 4, 5, STAFF, ADMIN):
        await users.touch(uid, "ko")
    await users.mark_blocked(1)
    await db.write(
        "INSERT INTO staff (telegram_id, added_by, added_at) VALUES (?, NULL, ?)",
        (STAFF, to_text(NOW)),
    )
    for uid in (3, 4, 5, STAFF, ADMIN):
        await db.write(
            "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
            " VALUES (?, ?, ?, NULL, ?)",
            (uid, f"lnk{uid}", f"vms{uid}", to_text(NOW)),
        )
    for uid, link, summary in [
        (3, "lnk3", _summary(True, True, 0, 1)),
        (4, "lnk4", _summary(False, True, 3, 2)),
        (5, "old5", _summary(True, True, 7, 7)),  # not the current link: not counted
        (STAFF, f"lnk{STAFF}", _summary(True, True, 5, 5)),
        (ADMIN, f"lnk{ADMIN}", _summary(True, True, 5, 5)),
    ]:
        await db.write(
            "INSERT INTO status_cache (telegram_id, link_id, summary, fetched_at, tried_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (uid, link, summary, to_text(NOW), to_text(NOW)),
        )
    # Sends accepted 2 days, 10 days, 20 days and 40 days ago; and one by the admin.
    for n, (uid, days, succeeded) in enumerate(
        [(3, 2, 4), (3, 10, 1), (4, 20, 0), (4, 40, 9), (ADMIN, 2, 5)]
    ):
        accepted = to_text(NOW - timedelta(days=days))
        await db.write(
            "INSERT INTO sends (telegram_id, idempotency_key, link_id, state, claimed_at,"
            " transmission_id, accepted_at, succeeded) VALUES (?, ?, ?, 'done', ?, ?, ?, ?)",
            (uid, f"k{n}", f"lnk{uid}", accepted, f"t{n}", accepted, succeeded),
        )
    for uid, position, code, days in [(3, 0, "E1", 2), (4, 0, "E1", 10), (4, 1, None, 20)]:
        await db.write(
            "INSERT INTO status_records (telegram_id, position, ref, record_id, activity_date,"
            " host, activity, minutes, kind, status, sent_at, reason_code)"
            " VALUES (?, ?, 'r', 'x', '2026-03-01', 'h', 'a', 60, 'k', 'failed', ?, ?)",
            (uid, position, to_text(NOW - timedelta(days=days)), code),
        )


async def test_counts_are_exact_on_each_engine(db: Database) -> None:
    await _center(db)
    counts = await StatsRepository(db).counts({ADMIN}, WINDOWS)
    assert (counts.volunteers.active, counts.volunteers.blocked) == (4, 1)
    cache = counts.cache
    assert (cache.linked, cache.checked) == (3, 2)
    assert (cache.consent_1365, cache.consent_vms) == (1, 2)
    assert (cache.unsent, cache.pending, cache.succeeded, cache.failed) == (3, 2, 4, 3)
    assert counts.sends.last_7_days == 1
    assert counts.sends.last_30_days == 3
    assert counts.sends.records_succeeded_30_days == 5
    # Weeks from four weeks ago: 20 days ago is week 1, 10 days ago week 2, 2 days ago week 3.
    assert counts.weekly_sends == [0, 1, 1, 1]
    assert counts.failure_reasons == [("E1", 2), ("other", 1)]
    assert counts.weekly_failures == [0, 1, 1, 1]
    # The desk's chart alone (StatsRepository.weekly): the same two series.
    weekly = await StatsRepository(db).weekly({ADMIN}, WINDOWS)
    assert weekly == (counts.weekly_sends, counts.weekly_failures)


async def test_no_rows_count_as_zero(db: Database) -> None:
    counts = await StatsRepository(db).counts(set(), WINDOWS)
    assert (counts.cache.checked, counts.cache.unsent, counts.cache.consent_1365) == (0, 0, 0)
    assert counts.weekly_sends == [0, 0, 0, 0]


async def test_the_desks_weekly_chart_is_one_read(db: Database) -> None:
    """오늘 reads the chart at every open: one statement (one trip, one moment seen), not a
    snapshot of two reads (four trips to aiosqlite's thread)."""
    await _center(db)
    await StatsRepository(db).weekly({ADMIN}, WINDOWS)  # SQLite opens its reader at first use
    with store_calls(db) as calls, sqlite_trips() as trips:
        weekly = await StatsRepository(db).weekly({ADMIN}, WINDOWS)
    assert weekly == ([0, 1, 1, 1], [0, 1, 1, 1])
    assert calls == ["fetch_all_aside"]
    assert len(trips) == (1 if db.dialect == "sqlite" else 0)
