"""The /status cache on each engine: a new attempt keeps the cache of the same link and drops
one of an earlier link."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

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


async def test_a_record_reads_back_from_the_cache_as_the_line_the_gateway_record_made(
    db: Database,
) -> None:
    """One record type from the store up: what views get is what line_of made, field by field
    (dates and times included), in the gateway's order, by page, ref and id alike."""
    from bot.services.status import line_of
    from linkage.models import Record

    def record(record_id: str, status: str, reason: str | None) -> Record:
        return Record.model_validate_json(
            json.dumps(
                {
                    "record_id": record_id,
                    "activity_date": "2026-02-28",
                    "host": "구립도서관",
                    "activity": "책 정리",
                    "minutes": 50,
                    "kind": "개인봉사",
                    "status": status,
                    "sent_at": None if status == "unsent" else "2026-03-01T00:05:00+09:00",
                    "reason": None if reason is None else {"code": reason, "message": "포털 오류"},
                    "visible_on_1365_at": "2026-03-02T00:00:00Z" if reason is None else None,
                }
            )
        )

    await UserRepository(db).touch(1, "ko")
    cache = StatusCacheRepository(db)
    lines = [
        line_of(record("r-9", "failed", "portal_error")),
        line_of(record("r-1", "unsent", None)),
        line_of(record("r-5", "succeeded", None)),
    ]
    await cache.save(1, "lnkA", "{}", lines, AT)
    page, total = await cache.page(1, None, 0, 10)
    assert (page, total) == (lines, 3)
    assert await cache.records_by_id(1, ["r-5", "r-9"]) == [lines[0], lines[2]]
    assert await cache.record(1, lines[1].ref) == lines[1]
    assert lines[0].activity_date == date(2026, 2, 28) and lines[0].under_an_hour
    assert lines[0].sent_at == datetime(2026, 2, 28, 15, 5, tzinfo=UTC)


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
