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
from tests.journey import User
from tests.miniapp.conftest import Desk
from tests.store.trips import sqlite_trips


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
