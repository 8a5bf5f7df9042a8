"""The staff side's repositories on each engine: help requests, invites, reminders, sandbox
links, volunteer facts and delivery tallies, each written once for SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from store.broadcast_deliveries import DeliveryRepository
from store.broadcasts import Audience, BroadcastRepository
from store.db import Database
from store.due_work import DueWorkRepository
from store.help_requests import Copy, HelpRequestRepository
from store.reminders import FIRE_REMINDER, ReminderRepository, Schedule
from store.sandbox_links import SANDBOX, IssuedLinks, SandboxLinks
from store.staff import InviteRepository
from store.timestamps import to_text
from store.users import UserRepository
from store.volunteer_facts import VolunteerFactsRepository

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SUBJECT = b"k" * 32


async def _linked(db: Database, *uids: int) -> None:
    users = UserRepository(db)
    for uid in uids:
        await users.touch(uid, "ko")
        await db.write(
            "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
            " VALUES (?, ?, ?, NULL, ?)",
            (uid, f"lnk{uid}", f"vms{uid}", to_text(NOW)),
        )


async def test_help_request_copies_are_stored_once_and_count_the_request_open(
    db: Database,
) -> None:
    await UserRepository(db).touch(1, "ko")
    requests = HelpRequestRepository(db)
    made, before, _ = await requests.open_if_allowed(
        1,
        SUBJECT,
        NOW,
        question="?",
        expires_at=NOW + timedelta(days=1),
        max_open=3,
        not_since=NOW - timedelta(minutes=1),
    )
    assert made is not None and before == 0
    assert (await requests.standing(1, SUBJECT))[0] == 0  # no copy went out yet
    copy = Copy(chat_id=50, message_id=7)
    await requests.add_copies(made.id, [copy])
    await requests.add_copies(made.id, [copy, Copy(chat_id=51, message_id=8)])  # a retry
    assert sorted(await requests.copies(made.id), key=lambda c: c.chat_id) == [
        copy,
        Copy(chat_id=51, message_id=8),
    ]
    assert (await requests.standing(1, SUBJECT))[0] == 1
    await UserRepository(db).touch(2, "ko")
    await UserRepository(db).mark_blocked(2)
    assert await requests.reachable([1, 2, 3]) == [1]


async def test_invites_work_only_while_their_maker_is_an_admin(db: Database) -> None:
    invites = InviteRepository(db)
    await invites.create("a" * 64, 9, NOW + timedelta(days=1))
    await invites.create("b" * 64, 8, NOW + timedelta(days=1))
    assert [i.created_by for i in await invites.open(NOW, {9})] == [9]
    assert await invites.redeem("b" * 64, 5, NOW, {9}) is None
    assert await invites.redeem("a" * 64, 5, NOW, {9}) == 9
    assert await invites.open(NOW, {9}) == []


async def test_a_new_reminder_gets_its_id_and_its_due_work(db: Database) -> None:
    reminders = ReminderRepository(db)
    ids = []
    for n in (1, 2):
        ids.append(
            await reminders.create(
                created_by=None,
                schedule=Schedule("once", once_at=NOW + timedelta(days=n)),
                segment="all",
                language=None,
                text_ko="안내",
                text_en=None,
                next_run_at=NOW + timedelta(days=n),
            )
        )
    assert ids[1] > ids[0]
    assert [r.id for r in await reminders.list()] == ids
    for reminder_id in ids:
        assert await DueWorkRepository(db).get(FIRE_REMINDER, str(reminder_id)) is not None
    # A run, and then the last one: the reminder is done.
    await reminders.advance(ids[0], ran_at=NOW, next_run_at=NOW + timedelta(days=7))
    await reminders.advance(ids[1], ran_at=NOW, next_run_at=None)
    first, last = await reminders.list()
    assert (first.state, first.next_run_at, last.state) == (
        "active",
        NOW + timedelta(days=7),
        "done",
    )


async def test_retiring_the_sandbox_removes_its_links_and_what_hangs_on_them(
    db: Database,
) -> None:
    await _linked(db, 1, 2)
    links = SandboxLinks(db)
    await links.classify(IssuedLinks(frozenset({"lnk1"})), None)
    rows = await db.fetch_all("SELECT telegram_id, gateway FROM links ORDER BY telegram_id")
    assert [tuple(r) for r in rows] == [(1, SANDBOX), (2, None)]
    await db.write(
        "INSERT INTO due_work (kind, key, payload, due_at, next_try_at)"
        " VALUES ('link.revoke', '1', ?, ?, ?)",
        (json.dumps({"link_id": "lnk1"}), to_text(NOW), to_text(NOW)),
    )
    await VolunteerFactsRepository(db).consents(1, "lnk1", True, True, NOW)
    retired = await links.retire(IssuedLinks(frozenset({"lnk1"})), "sandbox.farewell")
    assert (retired.links, retired.users) == (1, [1])
    left = await db.fetch_all("SELECT telegram_id FROM links")
    assert [r["telegram_id"] for r in left] == [2]
    assert await db.fetch_all("SELECT 1 FROM volunteer_facts") == []
    assert await DueWorkRepository(db).get("link.revoke", "1") is None
    assert await DueWorkRepository(db).get("sandbox.farewell", "1") is not None


async def test_facts_never_go_below_zero_and_failures_only_grow(db: Database) -> None:
    await _linked(db, 1)
    facts = VolunteerFactsRepository(db)
    await facts.records(1, "lnk1", NOW, unsent=2, resendable_failed=1)
    await facts.sent(1, "lnk1", NOW, unsent=5, failed=5)
    await facts.failed_again(1, "lnk1", NOW, at_least=3)
    await facts.failed_again(1, "lnk1", NOW, at_least=2)
    row = await db.fetch_one("SELECT unsent, resendable_failed FROM volunteer_facts")
    assert row is not None and (row["unsent"], row["resendable_failed"]) == (0, 3)


async def test_delivery_tallies_count_each_state(db: Database) -> None:
    await _linked(db, 1, 2, 3)
    broadcasts = BroadcastRepository(db)
    broadcast_id, recipients = await broadcasts.create(
        created_by=None, audience=Audience("all"), text_ko="안내", text_en=None
    )
    assert recipients == 3
    await db.write(
        "UPDATE deliveries SET state = 'sent' WHERE broadcast_id = ? AND telegram_id = 1",
        (broadcast_id,),
    )
    totals = await broadcasts.totals(broadcast_id)
    assert (totals["sent"], totals["queued"]) == (1, 2)
    tally = await DeliveryRepository(db).tally(broadcast_id)
    assert (tally.sent, tally.queued, tally.failed) == (1, 2, 0)


async def test_reachable_staff_are_the_admins_and_staff_who_wrote_and_did_not_block(
    db: Database,
) -> None:
    users = UserRepository(db)
    for uid in (1, 2, 3, 4, 5):
        await users.touch(uid, "ko")
    await users.mark_blocked(4)
    for uid in (2, 4):
        await db.write(
            "INSERT INTO staff (telegram_id, added_by, added_at) VALUES (?, NULL, ?)",
            (uid, to_text(NOW)),
        )
    requests = HelpRequestRepository(db)
    # 1 is an admin; 2 staff; 3 a volunteer; 4 staff who blocked the bot; 9 an admin who
    # never wrote.
    assert await requests.reachable_staff([1, 9]) == [1, 2]
    assert await requests.reachable_staff([]) == [2]
