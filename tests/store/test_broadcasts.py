"""Audiences count and snapshot exactly who they should, in one transaction with the sender."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from core.types import Lang
from store.broadcasts import RUN_BROADCAST, Audience, BroadcastRepository
from store.db import Database
from store.due_work import DueWorkRepository
from store.users import UserRepository
from store.volunteer_facts import VolunteerFactsRepository
from tests.store.trips import store_calls


def _summary(c1365: bool, cvms: bool, unsent: int, resendable: int, last: str | None) -> str:
    consent = {"agreed": True, "agreed_on": "2026-01-02"}
    missing = {"agreed": False, "agreed_on": None}
    return json.dumps(
        {
            "member": {
                "consent_1365": consent if c1365 else missing,
                "consent_vms": consent if cvms else missing,
            },
            "unsent": {"count": unsent, "minutes": 60 * unsent},
            "resendable_failed": resendable,
            "last_sent_at": last,
        }
    )


async def _people(db: Database) -> None:
    users = UserRepository(db)
    # 1 not linked (ko), 2 not linked (en, notices off), 3 blocked + not linked,
    # 4 linked, consents unknown, 5 linked, all done and sent, 6 linked, 1365 missing, unsent 2,
    # 7 linked, both agreed, one resendable failure, sent before.
    for uid, lang in [(1, "ko"), (2, "en"), (3, "ko"), (4, "ko"), (5, "ko"), (6, "en"), (7, "ko")]:
        await users.touch(uid, lang)  # type: ignore[arg-type]
    await users.set_reminders(2, False)
    await users.mark_blocked(3)
    for uid in (4, 5, 6, 7):
        await db.write(
            "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
            " VALUES (?, ?, ?, NULL, '2026-01-01T00:00:00+00:00')",
            (uid, f"lnk{uid}", f"vms{uid}"),
        )
    for uid, summary in [
        (5, _summary(True, True, 0, 0, "2026-02-01T00:00:00+00:00")),
        (6, _summary(False, True, 2, 0, None)),
        (7, _summary(True, True, 0, 1, "2026-02-01T00:00:00+00:00")),
    ]:
        await db.write(
            "INSERT INTO status_cache (telegram_id, link_id, summary, fetched_at, tried_at)"
            " VALUES (?, ?, ?, '2026-03-01T00:00:00+00:00', '2026-03-01T00:00:00+00:00')",
            (uid, f"lnk{uid}", summary),
        )
    # What segments count: the facts the bot learned (store/volunteer_facts.py), the same.
    facts = VolunteerFactsRepository(db)
    for uid, c1365, cvms, unsent, failed in [
        (5, True, True, 0, 0),
        (6, False, True, 2, 0),
        (7, True, True, 0, 1),
    ]:
        at = datetime(2026, 3, 1, tzinfo=UTC)
        await facts.consents(uid, f"lnk{uid}", c1365, cvms, at)
        await facts.records(uid, f"lnk{uid}", at, unsent=unsent, resendable_failed=failed)


async def _ids(db: Database, audience: Audience) -> set[int]:
    where, params = audience.where(dialect=db.dialect)
    rows = await db.fetch_all(f"SELECT u.telegram_id FROM users u WHERE {where}", params)
    return {r["telegram_id"] for r in rows}


async def test_each_segment_holds_exactly_the_volunteers_it_names(db: Database) -> None:
    await _people(db)
    assert await _ids(db, Audience("all")) == {1, 2, 4, 5, 6, 7}
    assert await _ids(db, Audience("not_linked")) == {1, 2}
    assert await _ids(db, Audience("consent_incomplete")) == {4, 6}
    assert await _ids(db, Audience("unsent_or_failed")) == {6, 7}
    assert await _ids(db, Audience("never_sent")) == {4, 6}
    assert await _ids(db, Audience("all", language="en")) == {2, 6}
    assert await _ids(db, Audience("all", reminder=True)) == {1, 4, 5, 6, 7}


async def test_counts_leave_out_the_blocked_and_for_reminders_those_with_notices_off(
    db: Database,
) -> None:
    await _people(db)
    repo = BroadcastRepository(db)
    plain = await repo.count(Audience("not_linked"))
    assert (plain.recipients, plain.blocked, plain.notices_off) == (2, 1, 1)
    reminder = await repo.count(Audience("not_linked", reminder=True))
    assert (reminder.recipients, reminder.blocked, reminder.notices_off) == (1, 1, 1)


@pytest.mark.parametrize("guide", [False, True])
@pytest.mark.parametrize(("language", "reminder"), [(None, False), ("en", False), (None, True)])
async def test_all_segments_counted_at_once_match_each_counted_alone(
    db: Database, guide: bool, language: Lang | None, reminder: bool
) -> None:
    """The picker's one query (count_segments) says what count() says segment by segment."""
    await _people(db)
    await db.write(
        "INSERT INTO staff (telegram_id, added_at) VALUES (1, '2026-01-01T00:00:00+00:00')"
    )
    repo = BroadcastRepository(db, guide=guide)
    together = await repo.count_segments(language, reminder, admins=(7,))
    assert list(together) == list(repo.segments)
    for segment, count in together.items():
        assert count == await repo.count(Audience(segment, language, reminder), admins=(7,))
    assert sum(c.recipients for c in together.values()) > 0
    # The desk's picker: the same counts and facts_as_of() in one statement.
    with store_calls(db) as calls:
        counts, fresh = await repo.count_segments_as_of(language, reminder, admins=(7,))
    assert calls == ["fetch_one"]
    assert (counts, fresh) == (together, await repo.facts_as_of(admins=(7,)))


async def test_create_snapshots_the_audience_and_schedules_the_sender_together(
    db: Database,
) -> None:
    await _people(db)
    repo = BroadcastRepository(db)
    broadcast_id, recipients = await repo.create(
        created_by=None,
        audience=Audience("consent_incomplete"),
        text_ko="<b>안내</b>",
        text_en=None,
    )
    assert recipients == 2
    assert (await repo.totals(broadcast_id))["queued"] == 2
    item = await DueWorkRepository(db).get(RUN_BROADCAST, str(broadcast_id))
    assert item is not None and item.payload == {"broadcast_id": broadcast_id}
    # Someone who becomes eligible later is not added to a broadcast already snapshotted.
    await db.write("DELETE FROM status_cache WHERE telegram_id = 5")
    await db.write("DELETE FROM links WHERE telegram_id = 5")
    assert (await repo.totals(broadcast_id))["queued"] == 2
    # A recipient's /forget takes their delivery with them.
    await UserRepository(db).delete(4)
    assert (await repo.totals(broadcast_id))["queued"] == 1


async def test_staff_and_admins_are_not_in_any_audience(db: Database) -> None:
    await _people(db)
    await db.write("INSERT INTO staff VALUES (5, NULL, '2026-01-01T00:00:00+00:00')")
    assert await _ids(db, Audience("all")) == {1, 2, 4, 6, 7}
    where, params = Audience("all").where(admins=(1, 7), dialect=db.dialect)
    rows = await db.fetch_all(f"SELECT u.telegram_id FROM users u WHERE {where}", params)
    assert {r["telegram_id"] for r in rows} == {2, 4, 6}
    counted = await BroadcastRepository(db).count(Audience("all"), admins=(1, 7))
    assert counted.recipients == 3
