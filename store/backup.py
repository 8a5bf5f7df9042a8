"""Online backup of the bot's database: safe while the bot runs (SQLite's backup API, WAL-aware)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path


def backup(source: Path, target: Path) -> Path:
    """Copies a consistent snapshot of `source` to `target` and returns the target."""
    if not source.exists():
        raise FileNotFoundError(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A plain file copy of a WAL database can miss committed pages; the backup API cannot.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def default_target(source: Path, now: datetime) -> Path:
    """backups/<name>-YYYYmmdd-HHMMSS.sqlite3 beside the working directory."""
    return Path("backups") / f"{source.stem}-{now:%Y%m%d-%H%M%S}.sqlite3"
