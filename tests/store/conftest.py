"""Shared fixtures: a fake clock, and `db` on each engine (a real SQLite file under tmp_path,
or a fresh PostgreSQL database: tests/engines.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FakeClock
from store.db import Database


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    # A folder that does not exist yet, so every test also covers "creates the parent folder".
    return tmp_path / "data" / "bot.sqlite3"


@pytest.fixture
async def db(store_target: str | Path, clock: FakeClock) -> AsyncIterator[Database]:
    database = await Database.open(store_target, clock=clock)
    try:
        yield database
    finally:
        await database.close()
