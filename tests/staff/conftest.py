"""The staff features' service tests run the whole bot on each engine: [sqlite], then
[postgres] on a fresh database (tests/engines.py). A test about SQLite's own file is marked
`sqlite_only`."""

from __future__ import annotations

import pytest


@pytest.fixture
def database_url(each_engine_url: str | None) -> str | None:
    return each_engine_url
