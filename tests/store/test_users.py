"""Users: created on first contact, language follows the client until chosen, block tracking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import FakeClock
from store.db import Database
from store.timestamps import to_text
from store.users import SEEN_FLUSH_EVERY, UserRepository


@pytest.fixture
def users(db: Database) -> UserRepository:
    return UserRepository(db)


async def test_touch_refuses_unknown_languages(users: UserRepository) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        await users.touch(1, "ja")  # type: ignore[arg-type]


async def test_touch_creates_with_client_language(users: UserRepository, clock: FakeClock) -> None:
    user = await users.touch(1, "en")

    assert user.telegram_id == 1
    assert user.language == "en"
    assert not user.language_chosen
    assert user.first_seen == user.last_seen == clock.now()
    assert user.blocked_at is None
    assert user.reminders
    assert await users.get(1) == user
    assert (await users.touch(2, None)).language == "ko"


async def test_language_follows_client_until_chosen(
    users: UserRepository, clock: FakeClock
) -> None:
    first = await users.touch(1, "en")
    clock.advance(timedelta(hours=1))
    switched = await users.touch(1, "ko")
    assert switched.language == "ko"
    assert switched.first_seen == first.first_seen
    assert switched.last_seen == clock.now()
    # A client that does not say which language it uses changes nothing.
    assert (await users.touch(1, None)).language == "ko"

    assert await users.set_language(1, "en")
    pinned = await users.touch(1, "ko")
    assert pinned.language == "en"
    assert pinned.language_chosen


async def test_blocked_is_cleared_when_the_user_writes_again(
    users: UserRepository, clock: FakeClock
) -> None:
    await users.touch(1, "ko")
    blocked_when = clock.now() + timedelta(days=1)
    clock.set(blocked_when)
    assert await users.mark_blocked(1)
    clock.advance(timedelta(days=1))
    assert await users.mark_blocked(1)  # a later failure does not move the date
    user = await users.get(1)
    assert user is not None and user.blocked_at == blocked_when

    assert (await users.touch(1, "ko")).blocked_at is None


async def test_reminders_toggle(users: UserRepository) -> None:
    await users.touch(1, "ko")
    assert await users.set_reminders(1, False)
    user = await users.get(1)
    assert user is not None and not user.reminders
    assert await users.set_reminders(1, True)
    user = await users.get(1)
    assert user is not None and user.reminders


async def test_unknown_users(users: UserRepository) -> None:
    assert await users.get(404) is None
    assert not await users.set_language(404, "en")
    assert not await users.set_reminders(404, False)
    assert not await users.mark_blocked(404)
    assert not await users.delete(404)


async def test_unsupported_language_is_refused(users: UserRepository) -> None:
    await users.touch(1, "ko")
    with pytest.raises(ValueError, match="unsupported language"):
        await users.set_language(1, "ja")  # type: ignore[arg-type]


async def test_delete_and_count(users: UserRepository) -> None:
    assert await users.count() == 0
    for telegram_id in (1, 2, 3):
        await users.touch(telegram_id, "ko")
    assert await users.count() == 3

    assert await users.delete(2)
    assert await users.get(2) is None
    assert await users.count() == 2


async def test_large_telegram_ids_fit(users: UserRepository) -> None:
    big = 2**52 + 7  # Telegram promises ids fit in 52 bits
    assert (await users.touch(big, "ko")).telegram_id == big


async def stored_last_seen(db: Database, telegram_id: int) -> str:
    row = await db.fetch_one("SELECT last_seen FROM users WHERE telegram_id = ?", (telegram_id,))
    assert row is not None
    return str(row["last_seen"])


async def test_a_known_users_visits_are_saved_in_batches(
    db: Database, users: UserRepository, clock: FakeClock
) -> None:
    first = await users.touch(1, "ko")
    await users.touch(2, "ko")
    clock.advance(timedelta(seconds=10))
    again = await users.touch(1, "ko")
    # Answered from memory with the new time; the row keeps the old one until a flush.
    assert again.last_seen == clock.now() and (await users.get(1)) == again
    assert await stored_last_seen(db, 1) == to_text(first.last_seen)
    clock.advance(SEEN_FLUSH_EVERY)
    await users.touch(2, "ko")  # the visit that finds the batch old enough writes all of it
    assert await stored_last_seen(db, 1) == to_text(again.last_seen)
    assert (await UserRepository(db).get(1)) == (await users.get(1))


async def test_flush_writes_what_waits_and_never_moves_last_seen_back(
    db: Database, users: UserRepository, clock: FakeClock
) -> None:
    await users.touch(1, "ko")
    clock.advance(timedelta(seconds=5))
    latest = await users.touch(1, "ko")
    assert await users.flush_seen() == 1
    assert (await UserRepository(db).get(1)) == latest
    assert await users.flush_seen() == 0


async def test_changes_are_seen_at_once_despite_the_copy_in_memory(
    users: UserRepository, clock: FakeClock
) -> None:
    await users.touch(1, "ko")
    await users.set_reminders(1, False)
    assert (await users.touch(1, "ko")).reminders is False
    await users.set_language(1, "en")
    assert (await users.touch(1, "ko")).language == "en"
    await users.mark_blocked(1)
    assert (await users.get(1)).blocked_at is not None  # type: ignore[union-attr]
    assert (await users.touch(1, "ko")).blocked_at is None
    await users.delete(1)
    assert await users.get(1) is None
    assert await users.count() == 0
    await users.flush_seen()  # a visit waiting in memory must not bring the row back
    assert await users.count() == 0


async def test_changes_another_worker_makes_are_seen_at_once(
    db: Database, users: UserRepository, clock: FakeClock
) -> None:
    """Two repositories over one store are two workers: what one writes, the other's very
    next visit reads (language, reminders, nudges, blocked), and their batches of last-seen
    times never move it back nor bring a deleted user back."""
    there = UserRepository(db)
    await users.touch(1, "ko")
    await there.set_language(1, "en")
    await there.set_reminders(1, False)
    await there.set_nudges(1, False)
    seen = await users.touch(1, "ko")
    assert (seen.language, seen.reminders, seen.nudges) == ("en", False, False)
    await there.mark_blocked(1)
    assert (await users.get(1)).blocked_at is not None  # type: ignore[union-attr]
    assert (await users.touch(1, "ko")).blocked_at is None  # the visit unblocks, in the store
    assert (await there.get(1)).blocked_at is None  # type: ignore[union-attr]
    clock.advance(timedelta(seconds=5))
    later = await there.touch(1, "ko")
    await there.flush_seen()
    await users.flush_seen()  # holds an older visit: it must not win
    assert await stored_last_seen(db, 1) == to_text(later.last_seen)
    await users.touch(1, "ko")
    await there.delete(1)
    await users.flush_seen()
    assert await users.get(1) is None and await users.count() == 0


async def test_a_visit_touches_like_touch_and_reads_staff_and_flow(
    users: UserRepository, db: Database, clock: FakeClock
) -> None:
    new = await users.visit(1, "en")
    assert (new.user.language, new.staff, new.flow_open) == ("en", False, False)
    assert await users.get(1) == new.user
    await db.write(
        "INSERT INTO staff (telegram_id, added_by, added_at) VALUES (?, NULL, ?)",
        (1, to_text(clock.now())),
    )
    await db.write(
        "INSERT INTO flows (telegram_id, name, step, token, started_at, updated_at, expires_at)"
        " VALUES (?, 'link', 'vms_id', 't', ?, ?, ?)",
        (1, *[to_text(clock.now())] * 2, to_text(clock.now() + timedelta(hours=1))),
    )
    clock.advance(timedelta(minutes=1))
    again = await users.visit(1, "ko")  # the language follows the client: a write
    assert (again.user.language, again.staff, again.flow_open) == ("ko", True, True)
    assert again.user.last_seen == clock.now()
    assert (await users.visit(2, None)).staff is False  # another user's rows are not theirs


async def test_a_visit_says_whether_a_question_could_reach_another_staff_member(
    users: UserRepository, db: Database, clock: FakeClock
) -> None:
    """The same answer as HelpRequestRepository.reachable_staff minus the asker, in the
    visit's one read: admins (given) and the staff table's members who wrote and did not
    block the bot."""
    admins = [7]

    async def reachable(asker: int) -> bool:
        return (await users.visit(asker, None, admins)).staff_reachable

    assert not await reachable(1)  # nobody at all
    await users.touch(2, None)
    await db.write(
        "INSERT INTO staff (telegram_id, added_by, added_at) VALUES (?, NULL, ?)",
        (2, to_text(clock.now())),
    )
    assert await reachable(1)
    assert not await reachable(2)  # only themself
    await users.mark_blocked(2)
    assert not await reachable(1)  # blocked the bot: nothing reaches them
    assert not await reachable(3)
    await users.touch(7, None)  # the admin writes to the bot for the first time
    assert await reachable(1)
    assert not await reachable(7)
    assert not (await users.visit(1, None)).staff_reachable  # no admins given, none on staff
