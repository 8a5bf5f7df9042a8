"""A kill -9 of run_bot.py mid-broadcast: the next start resumes it by itself, nobody is
skipped, nobody gets it twice; deliveries in flight at the kill are 'unknown', never resent."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

from core.clock import SystemClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.broadcasts import Audience, BroadcastRepository
from store.db import Database
from tests.conftest import GATEWAY_KEY, TOKEN
from tests.helpers.processes import clean_env, query, says, start_real, until
from tests.staff.broadcast_helpers import TEXT_KO, copies

PEOPLE = range(1001, 1031)


async def _launch(db_path: Path) -> int:
    """What the composer's confirm does, from another connection to the bot's store."""
    db = await Database.open(db_path, clock=SystemClock())
    try:
        broadcast_id, recipients = await BroadcastRepository(db).create(
            created_by=None, audience=Audience("all"), text_ko=TEXT_KO, text_en=None
        )
    finally:
        await db.close()
    assert recipients == len(PEOPLE)
    return broadcast_id


def _states(db: Path) -> dict[str, int]:
    rows = query(
        db, "SELECT state || COALESCE(':' || error, ''), COUNT(*) FROM deliveries GROUP BY 1"
    )
    return {str(state): int(str(n)) for state, n in rows}


async def test_kill_9_mid_broadcast_resumes_with_exact_totals(tmp_path: Path) -> None:
    gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3")
    db = tmp_path / "bot.sqlite3"
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox, gateway:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=sandbox.base_url,
            VMS_GATEWAY_URL=gateway.base_url,
            VMS_GATEWAY_API_KEY=GATEWAY_KEY,
            DATABASE_PATH=str(db),
            BROADCAST_RATE="5",
            LOG_LEVEL="INFO",
        )
        log = tmp_path / "bot.log"
        first = await start_real(env, tmp_path, log)
        try:
            for person in PEOPLE:
                await sandbox.user_send(person, "/start")
                await says(sandbox, person, 0, "연계도우미")
            broadcast_id = await _launch(db)
            sent = "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'"
            await until(lambda: int(str(query(db, sent)[0][0])) >= 10, "ten sent")
        finally:
            first.send_signal(signal.SIGKILL)
            await first.wait()
        assert first.returncode == -signal.SIGKILL
        at_kill = _states(db)
        assert at_kill.get("queued", 0) > 0, at_kill
        # The heartbeat would bring the work back within 30 s, once the dead run's lease has
        # lapsed; move both times instead of waiting.
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE due_work SET next_try_at = '2000-01-01T00:00:00.000000+00:00'")
            lapsed = conn.execute("UPDATE leases SET until = '2000-01-01T00:00:00.000000+00:00'")
            assert lapsed.rowcount == 1  # the dead run's lease

        second = await start_real(env, tmp_path, log)
        try:
            done = f"SELECT state FROM broadcasts WHERE id = {broadcast_id}"
            await until(lambda: query(db, done) == [("done",)], "the broadcast done")
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 30)
        assert second.returncode == 0, log.read_text()

    after = _states(db)
    in_flight = at_kill.get("sending", 0)
    # Exact totals: everyone accounted for once; the in-flight ones are the only unknowns.
    expected = {"sent": len(PEOPLE) - in_flight, "failed:unknown": in_flight}
    assert after == {state: n for state, n in expected.items() if n}
    state_of = dict(query(db, "SELECT telegram_id, state FROM deliveries"))
    for person in PEOPLE:
        got = copies(sandbox, person, "센터 안내")
        if state_of[person] == "sent":
            assert got == 1, person
        else:
            assert got <= 1, person  # at most once: maybe delivered just before the kill
    assert sandbox.rejections == []
