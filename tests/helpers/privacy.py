"""A bot with one linked volunteer who has asked for help, and the raw bytes of its store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app import build_application
from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import make_settings

# A Telegram id no timestamp, token or random salt is likely to contain by chance.
TELEGRAM_ID = 7_402_815_963


VMS_ID = "kindly0904"


async def start(sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    app = await build_application(make_settings(sandbox, db_path, gateway), clock=clock)
    runtime = BotRuntime(app, poll_timeout=0.5)
    await runtime.start()
    return runtime


def raw_bytes(db_path: Path) -> dict[str, bytes]:
    """The bot's own database files as they lie on disk: main file, WAL and shared memory."""
    files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
    return {f.name: f.read_bytes() for f in files if f.exists()}


def every_value(db_path: Path) -> list[tuple[str, object]]:
    """(table, value) for every value of every row of every table, as SQL reads them."""
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [
            (table, value)
            for table in tables
            for row in conn.execute(f"SELECT * FROM {table}")
            for value in row
        ]
