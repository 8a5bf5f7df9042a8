"""The desk's store (store/web_actions.py, store/desk.py) on each engine: idempotency keys
issued, claimed once, answered again on replay; menu rows; the desk's reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from store.db import Database
from store.desk import DeskRepository
from store.staff import StaffChatRepository, StaffRepository
from store.timestamps import to_text
from store.users import UserRepository
from store.web_actions import WebActionRepository
from tests.store.trips import store_calls

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
STAFF = 2002


async def test_a_key_runs_once_and_a_replay_gets_the_first_answer(db: Database) -> None:
    await UserRepository(db).touch(STAFF, "ko")
    actions = WebActionRepository(db)
    await actions.issue("k1", STAFF, NOW, NOW + HOUR, draft={"segment": "all", "text": "안내"})
    path = "/desk/api/broadcasts/drafts/1/confirm"
    first = await actions.claim("k1", STAFF, path, NOW)
    assert first.state == "claimed" and first.draft == {"segment": "all", "text": "안내"}
    assert (await actions.claim("k1", STAFF, path, NOW)).state == "running"
    await actions.finish("k1", 201, {"id": 7, "text": "보냈어요"})
    replay = await actions.claim("k1", STAFF, path, NOW + timedelta(minutes=5))
    assert (replay.state, replay.status, replay.response) == (
        "done",
        201,
        {"id": 7, "text": "보냈어요"},
    )
    assert (await actions.claim("k1", STAFF, "/desk/api/reminders", NOW)).state == "reused"
    assert (await actions.claim("k1", 3003, path, NOW)).state == "unknown"  # not theirs
    assert (await actions.claim("nope", STAFF, path, NOW)).state == "unknown"


async def test_a_released_key_runs_again_and_an_expired_one_is_unknown_and_pruned(
    db: Database,
) -> None:
    await UserRepository(db).touch(STAFF, "ko")
    actions = WebActionRepository(db)
    await actions.issue("k2", STAFF, NOW, NOW + HOUR)
    assert (await actions.claim("k2", STAFF, "/a", NOW)).state == "claimed"
    await actions.release("k2")  # the request was at fault: fix and resend
    assert (await actions.claim("k2", STAFF, "/b", NOW)).state == "claimed"
    assert (await actions.claim("k2", STAFF, "/b", NOW + 2 * HOUR)).state == "unknown"
    # Issuing is one statement: the expired key stays until the pruning's due work, and
    # is unknown all the same meanwhile (replay protection does not wait for the prune).
    with store_calls(db) as calls:
        await actions.issue("k3", STAFF, NOW + 2 * HOUR, NOW + 3 * HOUR)
    assert calls == ["write"]
    assert (await actions.claim("k2", STAFF, "/b", NOW + 2 * HOUR)).state == "unknown"
    assert await actions.prune(NOW + 2 * HOUR) == 1
    keys = await db.fetch_all("SELECT key FROM web_actions ORDER BY key")
    assert [r["key"] for r in keys] == ["k3"]
    assert await actions.prune(NOW + 2 * HOUR) == 0


async def test_menu_rows_only_for_known_users(db: Database) -> None:
    await UserRepository(db).touch(STAFF, "ko")
    actions = WebActionRepository(db)
    await actions.menu_set(STAFF, NOW)
    await actions.menu_set(STAFF, NOW)  # twice: one row
    await actions.menu_set(4040, NOW)  # never wrote to the bot: no row
    assert await actions.menus() == [STAFF]
    await actions.menu_dropped(STAFF)
    assert await actions.menus() == []


async def test_a_volunteer_by_vms_id_and_their_profile(db: Database) -> None:
    users = UserRepository(db)
    for uid in (1, 2):
        await users.touch(uid, "ko")
    await db.write(
        "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
        " VALUES (?, ?, ?, NULL, ?)",
        (1, "lnk1", "vms0001", to_text(NOW)),
    )
    desk = DeskRepository(db)
    assert await desk.by_vms_id("vms0001") == 1
    assert await desk.by_vms_id("vms000") is None  # exact only
    linked = await desk.profile(1, admins=())
    unlinked = await desk.profile(2, admins=())
    assert linked is not None and unlinked is not None
    assert linked.vms_id == "vms0001" and "all" in linked.segments
    assert "not_linked" in unlinked.segments and "not_linked" not in linked.segments
    assert await desk.profile(99, admins=()) is None


async def test_the_audit_log_by_pages(db: Database) -> None:
    for n in range(5):
        await db.write(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)",
            (to_text(NOW + timedelta(minutes=n)), STAFF, "desk.lookup", json.dumps({"n": n})),
        )
    desk = DeskRepository(db)
    first = await desk.audit_page(None, 2)
    assert [e.detail["n"] for e in first] == [4, 3]
    second = await desk.audit_page(first[-1].id, 2)
    assert [e.detail["n"] for e in second] == [2, 1]


async def test_a_reminders_skipped_runs_behind_a_busier_reminders(db: Database) -> None:
    """Its history shows its own skips however many another reminder had since."""
    at = NOW
    for reminder in [1] + [2] * 11:
        at += timedelta(hours=1)
        detail = {"reminder": reminder, "missed": 1, "due": to_text(at)}
        await db.write(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, NULL, ?, ?)",
            (to_text(at), "reminder.skip", json.dumps(detail)),
        )
    desk = DeskRepository(db)
    mine = await desk.reminder_runs(1, 1)
    assert [(r.at, r.broadcast_id) for r in mine] == [(NOW + HOUR, None)]
    assert len(await desk.reminder_runs(2, 20)) == 11


async def test_many_askers_in_one_go_match_each_alone(db: Database) -> None:
    users = UserRepository(db)
    for uid in (1, 2, 3):
        await users.touch(uid, "ko")
    await users.mark_blocked(3)
    await db.write(
        "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
        " VALUES (?, ?, ?, NULL, ?)",
        (1, "lnk1", "vms0001", to_text(NOW)),
    )
    for uid in (1, 1, 2):
        await db.write(
            "INSERT INTO help_requests (telegram_id, created_at, question, expires_at)"
            " VALUES (?, ?, ?, ?)",
            (uid, to_text(NOW), "?", to_text(NOW + HOUR)),
        )
    desk = DeskRepository(db)
    many = await desk.profiles([1, 2, 3, 99], admins=())
    assert sorted(many) == [1, 2, 3]
    for uid in (1, 2, 3):
        assert many[uid] == await desk.profile(uid, admins=())
    assert many[3].blocked and not many[1].blocked
    open_ids = await desk.open_question_ids_of([1, 2, 3])
    assert {k: len(v) for k, v in open_ids.items()} == {1: 2, 2: 1, 3: 0}
    assert open_ids[1] == await desk.open_question_ids(1)


async def test_the_caller_in_one_read_user_row_staff_row_and_kept_name(db: Database) -> None:
    """DeskRepository.caller: what three reads gave on every desk call, from one query."""
    desk = DeskRepository(db)
    users = UserRepository(db)
    assert await desk.caller(STAFF) is None  # never wrote: no user row
    made = await users.touch(STAFF, "en")
    plain = await desk.caller(STAFF)
    assert plain is not None
    assert (plain.user, plain.staff, plain.first_name) == (made, False, None)
    await StaffRepository(db).add(STAFF, added_by=None)
    await StaffChatRepository(db).note_name(STAFF, "수진")
    staff = await desk.caller(STAFF)
    assert staff is not None
    assert (staff.user.language, staff.staff, staff.first_name) == ("en", True, "수진")
    # The visit from that read: what touch() gives, without a second read of the row.
    seen = await users.touch_read(staff.user, "en")
    assert seen.language == "en" and seen.last_seen >= made.last_seen
    assert (await users.touch_read(staff.user, "ko")).language == "ko"  # follows the client
    stored = await users.get(STAFF)
    assert stored is not None and stored.language == "ko"


async def test_a_question_list_with_its_askers_and_the_open_count_is_one_read(
    db: Database,
) -> None:
    """The desk's lists (오늘, 질문함) read the questions, each asker as the segments see
    them with their open question numbers, and the open count in one statement: the same
    as the separate reads, which took four."""
    users = UserRepository(db)
    for uid in (1, 2, 3):
        await users.touch(uid, "ko")
    await db.write(
        "INSERT INTO links (telegram_id, link_id, vms_id, id_1365_masked, linked_at)"
        " VALUES (?, ?, ?, NULL, ?)",
        (1, "lnk1", "vms0001", to_text(NOW)),
    )
    desk = DeskRepository(db)
    empty = await desk.question_page(False, 10, admins=(9,))
    assert (empty.questions, empty.askers, empty.open_count) == ([], {}, 0)
    for uid in (1, 1, 2, 3):
        rows = await db.write(
            "INSERT INTO help_requests (telegram_id, created_at, question, expires_at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (uid, to_text(NOW), "?", to_text(NOW + HOUR)),
        )
        await db.write(
            "INSERT INTO help_request_copies (request_id, chat_id, message_id) VALUES (?, 9, ?)",
            (rows[0]["id"], rows[0]["id"]),
        )
    await users.mark_blocked(3)  # still listed; not in the count (an answer cannot reach them)
    await db.write("DELETE FROM users WHERE telegram_id = 2")  # /forget: the asker is gone
    with store_calls(db) as calls:
        page = await desk.question_page(False, 2, admins=(9,))
    assert calls == ["fetch_all"]
    assert [q.telegram_id for q in page.questions] == [1, 1]  # oldest first, 2 of them
    assert page.open_count == 2
    assert page.askers[1] == (
        await desk.profile(1, admins=(9,)),
        await desk.open_question_ids(1),
    )
    assert len(page.askers[1][1]) == 2
    whole = await desk.question_page(False, 10, admins=(9,))
    assert [q.telegram_id for q in whole.questions] == [1, 1, 3]  # 2's went with them
    assert whole.askers[3][0] == await desk.profile(3, admins=(9,))
    assert whole.askers[3][0] is not None and whole.askers[3][0].blocked
