"""/forget while another process reads the database (a backup, a sqlite3 shell): the answer
does not wait for the reader, and the WAL is emptied by due work once the reader is gone."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

import store.db
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.helpers.privacy import TELEGRAM_ID, VMS_ID, raw_bytes, start
from tests.journey import User


async def test_forget_answers_at_once_and_due_work_empties_the_wal_after_the_reader(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every other statement may wait a minute for a busy database: far longer than the
    # journey waits for an answer (10 s). The answer comes only if the checkpoint behind it
    # gives up on the reader much sooner than that.
    monkeypatch.setattr(store.db, "BUSY_TIMEOUT_MS", 60_000)
    runtime = await start(sandbox, gateway, db_path, clock)
    backup = sqlite3.connect(db_path, isolation_level=None)
    try:
        minji = User(sandbox, runtime, TELEGRAM_ID)
        await minji.send("/start")
        await minji.send("/link")
        await minji.send(VMS_ID)
        await minji.send(gateway.last_code(VMS_ID) or "")
        # A backup in progress: a read transaction that has read, so it holds its snapshot.
        backup.execute("BEGIN")
        assert backup.execute("SELECT count(*) FROM users").fetchone()[0] == 1

        await minji.send("/forget")
        assert "모두 지웠어요" in (await minji.click("네, 모두 지워 주세요")).text
        as_integer = TELEGRAM_ID.to_bytes(6, "big")
        needles = [VMS_ID.encode(), as_integer, str(TELEGRAM_ID).encode()]
        held = raw_bytes(db_path)
        # The reader still sees the user, so SQLite could not drop the old pages yet.
        assert any(n in held[f"{db_path.name}-wal"] for n in needles[:2])

        backup.rollback()  # the backup ends
        backend = runtime.app.bot_data.backend  # type: ignore[union-attr]
        clock.advance(timedelta(hours=1))
        await backend.poller.run_due()
        after = raw_bytes(db_path)
    finally:
        backup.close()
        await runtime.stop()
    assert [(name, n) for name, data in after.items() for n in needles if n in data] == []
