"""The /status cache on each engine: a new attempt keeps the cache of the same link and drops
one of an earlier link."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from store.db import Database
from store.status_cache import StatusCacheRepository
from store.users import UserRepository
from store.volunteer_facts import VolunteerFactsRepository

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


async def test_many_users_status_at_once(db: Database) -> None:
    """Thirty users' /status at the same moment, as on several webhook workers: every
    attempt and save stands, and so do the facts learned (on PostgreSQL plain SERIALIZABLE
    transactions of different users failed some with SerializationError)."""
    ids = [5_100 + n for n in range(30)]
    for telegram_id in ids:
        await UserRepository(db).touch(telegram_id, "ko")
    cache = StatusCacheRepository(db)
    facts = VolunteerFactsRepository(db)

    async def status(telegram_id: int) -> None:
        await cache.tried(telegram_id, f"lnk{telegram_id}", AT)
        await facts.records(telegram_id, f"lnk{telegram_id}", AT, unsent=2, resendable_failed=0)
        await cache.save(telegram_id, f"lnk{telegram_id}", '{"unsent": {"count": 2}}', [], AT)

    await asyncio.gather(*(status(t) for t in ids))
    for telegram_id in ids:
        kept = await cache.get(telegram_id)
        assert kept is not None and kept.fetched_at == AT
