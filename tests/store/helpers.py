"""A plain sqlite3 connection, standing in for another process opening the same file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def other_process(path: Path) -> Iterator[sqlite3.Connection]:
    """An autocommit sqlite3 connection to the file, closed afterwards."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()
