"""A kill -9 of run_bot.py after the gateway accepted a send still ends in one result message."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from datetime import timedelta
from pathlib import Path

from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import GATEWAY_KEY, TOKEN
from tests.helpers.processes import clean_env, query, says, start_real, until


async def test_kill_9_with_a_pending_transmission_gives_exactly_one_result(
    tmp_path: Path,
) -> None:
    gateway = GatewaySandbox(api_key=GATEWAY_KEY, db_path=tmp_path / "gateway.sqlite3")
    db = tmp_path / "bot.sqlite3"
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox, gateway:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=sandbox.base_url,
            VMS_GATEWAY_URL=gateway.base_url,
            VMS_GATEWAY_API_KEY=GATEWAY_KEY,
            DATABASE_PATH=str(db),
            LOG_LEVEL="INFO",
        )
        log = tmp_path / "bot.log"
        first = await start_real(env, tmp_path, log)
        try:
            await sandbox.user_send(1001, "/link", first_name="민지")
            asked = await says(sandbox, 1001, 0, "아이디를 보내 주세요")
            await sandbox.user_send(1001, "kindly0904", first_name="민지")
            sent = await says(sandbox, 1001, asked, "인증번호를")
            await sandbox.user_send(1001, gateway.last_code("kindly0904") or "", first_name="민지")
            linked = await says(sandbox, 1001, sent, "연결했어요")
            await sandbox.user_send(1001, "/send", first_name="민지")
            prompt = await says(sandbox, 1001, linked, "1365로 보낼까요?")
            await sandbox.press(1001, 1001, prompt, "보내기")
            await until(lambda: query(db, "SELECT state FROM sends") == [("accepted",)], "accepted")
        finally:
            first.send_signal(signal.SIGKILL)  # before any result was asked for
            await first.wait()
        assert first.returncode == -signal.SIGKILL
        # The gateway completes the transmission, and the first poll's time comes (the bot's
        # clock is the wall clock: move the item's time instead of waiting 30 s).
        gateway.advance_clock(timedelta(seconds=61))
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE due_work SET next_try_at = '2000-01-01T00:00:00.000000+00:00'")

        second = await start_real(env, tmp_path, log)
        try:
            await says(sandbox, 1001, prompt, "1365 전송 결과가 나왔어요")
            await until(lambda: query(db, "SELECT state FROM sends") == [("reported",)], "reported")
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 30)
        assert second.returncode == 0, log.read_text()
        results = [m for m in sandbox.bot_messages(1001) if "1365 전송 결과가 나왔어요" in m.text]
        assert len(results) == 1
        # The daily new-record nudge and the flows sweep stay too.
        kinds = "SELECT kind FROM due_work WHERE kind LIKE 'send.%' AND kind != 'send.nudge'"
        assert query(db, kinds) == [("send.visible",)]
        assert sandbox.rejections == []
