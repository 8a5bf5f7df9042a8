"""What one click costs the store: the trips to aiosqlite's thread per API call, counted by a
spy around the real connection (tests/store/trips.py), so a change that brings trips back
fails here. At 20 staff clicking at once every trip is CPU the others wait behind
(bench/miniapp_api.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.runtime import BotRuntime
from core.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers.help_requests import ask, staff_team
from tests.journey import User
from tests.miniapp.conftest import Desk
from tests.store.trips import sqlite_queue, sqlite_trips


async def test_a_key_is_one_write_and_expired_keys_go_with_the_hourly_due_work(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime, clock: FakeClock
) -> None:
    await user(ADMIN_ID).send("/start")
    admin = desk(ADMIN_ID)
    await admin.key()  # the caller's row is written on the first call
    with sqlite_trips() as trips:
        first = await admin.key()
    # The caller's read, then the key's insert: no prune on the way.
    assert len(trips) == 2, trips
    assert trips[1].startswith("INSERT INTO web_actions")

    clock.advance(timedelta(hours=2))  # both keys expired; the pruning is due
    later = await admin.key()
    assert bot.app.bot_data.backend is not None
    db = bot.app.bot_data.backend.db
    kept = await db.fetch_all("SELECT key FROM web_actions")
    assert first in {r["key"] for r in kept}  # expired, not yet pruned ...
    refused = await admin.post("api/reminders", {}, key=first)
    assert refused.json()["error"]["code"] == "key_unknown"  # ... and refused all the same
    await bot.poller.run_due()
    assert [r["key"] for r in await db.fetch_all("SELECT key FROM web_actions")] == [later]
    due = await db.fetch_one("SELECT due_at FROM due_work WHERE kind = 'desk.prune_keys'")
    assert due is not None  # it comes back in an hour


async def test_today_and_the_question_list_read_the_store_a_few_times_whatever_the_list(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime
) -> None:
    """오늘: the caller, the questions with their askers and the open count (one query),
    running broadcasts, reminders, the week's chart (one statement on the reader); 질문함:
    the caller and the list. The same however many questions and askers are listed."""
    await staff_team(user, bot)
    admin = desk(ADMIN_ID)
    for volunteer in (3001, 3002):
        await user(volunteer).send("/start")
        await ask(user(volunteer), f"{volunteer}의 질문이에요")
    await admin.get("api/today")  # the first call writes the caller's row and opens the reader
    with sqlite_trips() as trips:
        today = await admin.get("api/today")
    assert len(today.json()["questions"]) == 2 and today.json()["open_questions"] == 2
    assert len(trips) == 5, trips
    with sqlite_trips() as trips:
        listed = await admin.get("api/questions")
    assert len(listed.json()["questions"]) == 2 and listed.json()["open_count"] == 2
    assert len(trips) == 2, trips


async def test_the_segment_picker_is_the_caller_and_one_query(
    desk: Callable[..., Desk], user: Callable[..., User]
) -> None:
    """Every segment's live count and how fresh the facts are: one statement."""
    await user(ADMIN_ID).send("/start")
    admin = desk(ADMIN_ID)
    await admin.get("api/segments")
    with sqlite_trips() as trips:
        picked = await admin.get("api/segments", params={"language": "ko"})
    assert picked.status_code == 200 and picked.json()["segments"]
    assert len(trips) == 2, trips


async def test_todays_reads_are_asked_at_once(
    desk: Callable[..., Desk], user: Callable[..., User], bot: BotRuntime
) -> None:
    """After the caller's read, 오늘's four reads need nothing from each other: all are on
    the store's queues before the first answer comes back (one wake of aiosqlite's thread
    for the three on the main connection, not three)."""
    await staff_team(user, bot)
    admin = desk(ADMIN_ID)
    await admin.get("api/today")
    with sqlite_queue() as events:
        assert (await admin.get("api/today")).status_code == 200
    assert [kind for kind, _ in events[:2]] == ["queued", "done"]  # the caller
    reads = events[2:]
    assert [kind for kind, _ in reads[:4]] == ["queued"] * 4, reads
    assert [kind for kind, _ in reads[4:]] == ["done"] * 4, reads
