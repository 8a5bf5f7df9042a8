"""Links on both engines: saving under concurrency, as several webhook workers do."""

from __future__ import annotations

import asyncio

from store.db import Database
from store.links import LinkRepository
from store.users import UserRepository


async def test_many_volunteers_link_at_once(db: Database) -> None:
    """Thirty users finishing /link at the same moment, each for their own member: every
    save stands (on PostgreSQL a plain SERIALIZABLE save, which reads the user's and the
    member's links before replacing them, failed some with SerializationError)."""
    users = UserRepository(db)
    ids = [4_100 + n for n in range(30)]
    for telegram_id in ids:
        await users.touch(telegram_id, "ko")
    links = LinkRepository(db, "sandbox")
    await asyncio.gather(*(links.save(t, f"lnk_{t}", f"member{t}", "v1365****") for t in ids))
    for telegram_id in ids:
        stored = await links.get(telegram_id)
        assert stored is not None and stored.vms_id == f"member{telegram_id}"
