"""The /status cache on each engine: a new attempt keeps the cache of the same link and drops
one of an earlier link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.db import Database
from store.status_cache import StatusCacheRepository
from store.users import UserRepository

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


async def test_an_attempt_keeps_the_same_links_cache_and_drops_another_links(
    db: Database,
) -> None:
    await UserRepository(db).touch(1, "ko")
    cache = StatusCacheRepository(db)
    await cache.tried(1, "lnkA", AT)
    await cache.save(1, "lnkA", '{"unsent": {"count": 2}}', [], AT)
    await cache.tried(1, "lnkA", AT + timedelta(minutes=1))
    kept = await cache.get(1)
    assert kept is not None and kept.summary == '{"unsent": {"count": 2}}'
    assert kept.tried_at == AT + timedelta(minutes=1) and kept.fetched_at == AT
    await cache.tried(1, "lnkB", AT + timedelta(minutes=2))
    dropped = await cache.get(1)
    assert dropped is not None and dropped.link_id == "lnkB"
    assert (dropped.summary, dropped.fetched_at) == (None, None)
