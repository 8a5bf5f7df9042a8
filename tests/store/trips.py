"""Trips to the store, counted around the real engine (no timing): a test that some work takes
N trips fails if more come back.

`store_calls(db)`: the Database calls made (each a statement, or a snapshot / transaction
opened), on either engine. `sqlite_trips()`: every call run on aiosqlite's threads (each
connection's queue), with its SQL; on SQLite this is what each trip costs in CPU.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiosqlite

from store.engine import Database

_CALLS = (
    "fetch_all",
    "fetch_one",
    "fetch_all_aside",
    "write",
    "write_first",
    "snapshot",
    "transaction",
)


@contextmanager
def store_calls(db: Database) -> Iterator[list[str]]:
    """The names of the Database calls made inside the block, in order (fetch_one counts as
    fetch_one only, not also as the fetch_all it makes)."""
    made: list[str] = []
    depth = [0]
    originals = {name: getattr(db, name) for name in _CALLS}

    def spy(name: str) -> Any:
        original = originals[name]
        if name in ("snapshot", "transaction"):

            def opened(*args: Any, **kwargs: Any) -> Any:
                made.append(name)
                return original(*args, **kwargs)

            return opened

        async def called(*args: Any, **kwargs: Any) -> Any:
            if depth[0] == 0:
                made.append(name)
            depth[0] += 1
            try:
                return await original(*args, **kwargs)
            finally:
                depth[0] -= 1

        return called

    for name in _CALLS:
        setattr(db, name, spy(name))
    try:
        yield made
    finally:
        for name in _CALLS:
            delattr(db, name)


@contextmanager
def sqlite_trips() -> Iterator[list[str]]:
    """What ran on aiosqlite's threads inside the block: the SQL of each trip (or the
    function's name: rollback, close)."""
    ran: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        ran.append(args[0] if args and isinstance(args[0], str) else fn.__name__)
        return await original(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counted  # type: ignore[method-assign]
    try:
        yield ran
    finally:
        aiosqlite.Connection._execute = original  # type: ignore[method-assign]


@contextmanager
def sqlite_queue() -> Iterator[list[tuple[str, str]]]:
    """As sqlite_trips(), with when each trip was queued and when its answer came back:
    ("queued", sql) and ("done", sql), in order."""
    events: list[tuple[str, str]] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        what = args[0] if args and isinstance(args[0], str) else fn.__name__
        events.append(("queued", what))
        try:
            return await original(self, fn, *args, **kwargs)
        finally:
            events.append(("done", what))

    aiosqlite.Connection._execute = counted  # type: ignore[method-assign]
    try:
        yield events
    finally:
        aiosqlite.Connection._execute = original  # type: ignore[method-assign]
