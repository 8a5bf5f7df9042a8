"""The delivery rules of the README's table, each shown with a real kill -9 of run_bot.py.

The sandbox Bot API holds the one sendMessage that matters (sandbox/botapi/holds.py): either
after carrying it out, so the process is killed exactly between Telegram's 200 and the record
that follows (the gap), or before, so it is killed with the message not yet sent. Then the
bot starts again and the copies the user got are counted: at most once means ≤ 1 even when
killed in the gap; at least once means ≥ 1 always, and exactly 1 when killed outside the gap.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.clock import SystemClock
from sandbox.botapi import BotApiSandbox
from sandbox.botapi.holds import Hold
from sandbox.gateway import GatewaySandbox
from store.broadcasts import Audience, BroadcastRepository
from store.db import Database
from store.timestamps import to_text
from tests.conftest import GATEWAY_KEY, TOKEN
from tests.helpers.processes import clean_env, query, says, start_real, until
from tests.helpers.sending import RECORD
from tests.staff.broadcast_helpers import TEXT_KO, copies

RESULT = "1365 전송 결과가 나왔어요"
VISIBLE = "이제 1365에서 확인해 보세요"
REFUSED = "조금 전 전송은 접수되지 않았어요"
NUDGE = "VMS에 들어왔어요. 1365로 보낼까요?"
BROADCAST = "센터 안내"
PAST = "2000-01-01T00:00:00.000000+00:00"


@dataclass
class Run:
    """One sandbox Telegram, one sandbox gateway, one bot store; the bot process comes and
    goes (start, kill -9, start again)."""

    sandbox: BotApiSandbox
    gateway: GatewaySandbox
    db: Path
    env: dict[str, str]
    log: Path
    cwd: Path
    process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await start_real(self.env, self.cwd, self.log)

    async def kill_at(self, hold: Hold) -> None:
        """SIGKILL once the bot is at the hold: no shutdown, no flush, no answer read."""
        assert self.process is not None
        try:
            await asyncio.wait_for(hold.reached.wait(), 60)
        finally:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()
        assert self.process.returncode == -signal.SIGKILL
        self.process = None

    async def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 30)
            assert self.process.returncode == 0, self.log.read_text()
            self.process = None

    def due_now(self, kind: str) -> None:
        """Makes the items of `kind` runnable at once, a dead process's lease included (the
        bot runs on the wall clock: moving the times beats waiting minutes or a day)."""
        with sqlite3.connect(self.db) as conn:
            conn.execute(
                "UPDATE due_work SET next_try_at = ?, claim_token = NULL, claimed_until = NULL "
                "WHERE kind = ?",
                (PAST, kind),
            )

    def copies(self, chat_id: int, needle: str) -> int:
        return copies(self.sandbox, chat_id, needle)

    def sends(self) -> list[tuple[object, ...]]:
        return query(self.db, "SELECT state FROM sends")


@asynccontextmanager
async def bot_world(tmp_path: Path) -> AsyncIterator[Run]:
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
        run = Run(sandbox, gateway, db, env, tmp_path / "bot.log", tmp_path)
        try:
            yield run
        finally:
            if run.process is not None and run.process.returncode is None:
                run.process.send_signal(signal.SIGKILL)
                await run.process.wait()
        assert sandbox.rejections == []


async def linked(run: Run) -> int:
    """민지 links kindly0904 (4 unsent records); the id of the last bot message."""
    sandbox, gateway = run.sandbox, run.gateway
    await sandbox.user_send(1001, "/link", first_name="민지")
    asked = await says(sandbox, 1001, 0, "아이디를 보내 주세요")
    await sandbox.user_send(1001, "kindly0904", first_name="민지")
    sent = await says(sandbox, 1001, asked, "인증번호를")
    await sandbox.user_send(1001, gateway.last_code("kindly0904") or "", first_name="민지")
    return await says(sandbox, 1001, sent, "연결했어요")


async def sent(run: Run) -> None:
    """민지 links and sends; the gateway accepts, and its result is ready to be polled."""
    last = await linked(run)
    await run.sandbox.user_send(1001, "/send", first_name="민지")
    prompt = await says(run.sandbox, 1001, last, "1365로 보낼까요?")
    await run.sandbox.press(1001, 1001, prompt, "보내기")
    await until(lambda: run.sends() == [("accepted",)], "the send accepted")
    run.gateway.advance_clock(timedelta(seconds=61))  # the transmission completes


# --- at least once: the result and the visibility message --------------------------------


async def test_result_killed_in_the_gap_is_told_again(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as run:
        await run.start()
        await sent(run)
        hold = run.sandbox.hold("sendMessage", 1001, RESULT, delivered=True)
        run.due_now("send.result")
        await run.kill_at(hold)
        assert run.copies(1001, RESULT) == 1 and run.sends() == [("accepted",)]

        run.due_now("send.result")  # the dead process's lease, expired
        await run.start()
        await until(lambda: run.sends() == [("reported",)], "the result recorded")
        await run.stop()
        # Never lost; the one repeat the rule allows, because the kill hit the gap.
        assert run.copies(1001, RESULT) == 2


async def test_result_killed_before_sending_is_told_exactly_once(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as run:
        await run.start()
        await sent(run)
        hold = run.sandbox.hold("sendMessage", 1001, RESULT, delivered=False)
        run.due_now("send.result")
        await run.kill_at(hold)
        assert run.copies(1001, RESULT) == 0

        run.due_now("send.result")
        await run.start()
        await until(lambda: run.sends() == [("reported",)], "the result recorded")
        await run.stop()
        assert run.copies(1001, RESULT) == 1


async def test_visible_killed_in_the_gap_is_told_again(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as run:
        await run.start()
        await sent(run)
        run.due_now("send.result")
        await until(lambda: run.sends() == [("reported",)], "the result recorded")
        hold = run.sandbox.hold("sendMessage", 1001, VISIBLE, delivered=True)
        run.due_now("send.visible")  # a day later
        await run.kill_at(hold)
        assert run.copies(1001, VISIBLE) == 1

        run.due_now("send.visible")
        await run.start()
        await until(lambda: run.sends() == [("done",)], "the visibility message recorded")
        await run.stop()
        assert run.copies(1001, VISIBLE) == 2
        assert run.copies(1001, RESULT) == 1


# --- at most once: the refusal, the nudge, a broadcast -------------------------------------


async def test_refusal_killed_in_the_gap_is_not_told_again(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as run:
        await run.start()
        await linked(run)
        # A send whose outcome stayed unknown (its process died mid-request); meanwhile the
        # volunteer withdrew the VMS consent, so settling it gets the contract's explicit
        # refusal (409 consent_vms_missing), checked after the idempotency key.
        run.gateway.set_consents("kindly0904", vms=None)
        (link_id,) = query(run.db, "SELECT link_id FROM links WHERE telegram_id = 1001")[0]
        with sqlite3.connect(run.db) as conn:
            (send_id,) = conn.execute(
                "INSERT INTO sends (telegram_id, idempotency_key, link_id, state, claimed_at) "
                "VALUES (1001, 'tg-send-unknown', ?, 'claimed', ?) RETURNING id",
                (link_id, to_text(datetime.now(UTC))),
            ).fetchone()
            conn.execute(
                "INSERT INTO due_work (kind, key, payload, due_at, next_try_at) "
                "VALUES ('send.result', ?, ?, ?, ?)",
                (str(send_id), f'{{"send_id": {send_id}}}', PAST, PAST),
            )
        hold = run.sandbox.hold("sendMessage", 1001, REFUSED, delivered=True)
        await run.kill_at(hold)
        # Released before the message, and its item with it (the sends trigger): nothing is
        # left that could tell it again.
        result = "SELECT COUNT(*) FROM due_work WHERE kind = 'send.result'"
        assert (
            run.copies(1001, REFUSED) == 1 and run.sends() == [] and query(run.db, result) == [(0,)]
        )

        await run.start()  # runs its start-up settling and a first due-work pass
        last = run.sandbox.bot_messages(1001)[-1].message_id
        await run.sandbox.user_send(1001, "/status", first_name="민지")
        await says(run.sandbox, 1001, last, "VMS")
        await run.stop()
        assert run.copies(1001, REFUSED) == 1


async def test_nudge_killed_in_the_gap_is_not_told_again(tmp_path: Path) -> None:
    async with bot_world(tmp_path) as run:
        await run.start()
        await linked(run)
        nudge = "SELECT next_try_at, payload FROM due_work WHERE kind = 'send.nudge'"
        await until(lambda: "seen" in str(query(run.db, nudge)), "the nudge's baseline")
        run.gateway.add_records("kindly0904", [RECORD])
        hold = run.sandbox.hold("sendMessage", 1001, NUDGE, delivered=True)
        run.due_now("send.nudge")
        await run.kill_at(hold)
        assert run.copies(1001, NUDGE) == 1

        run.due_now("send.nudge")  # even run again at once, it does not repeat
        await run.start()
        await until(lambda: query(run.db, nudge)[0][0] != PAST, "the nudge item ran again")
        await run.stop()
        assert run.copies(1001, NUDGE) == 1


async def test_broadcast_killed_in_the_gap_is_not_sent_again(tmp_path: Path) -> None:
    people = (1001, 1002, 1003)
    async with bot_world(tmp_path) as run:
        await run.start()
        for person in people:
            await run.sandbox.user_send(person, "/start")
            await says(run.sandbox, person, 0, "연계도우미")
        hold = run.sandbox.hold("sendMessage", 1002, BROADCAST, delivered=True)
        db = await Database.open(run.db, clock=SystemClock())
        try:
            broadcast_id, _ = await BroadcastRepository(db).create(
                created_by=None, audience=Audience("all"), text_ko=TEXT_KO, text_en=None
            )
        finally:
            await db.close()
        await run.kill_at(hold)
        assert run.copies(1002, BROADCAST) == 1

        run.due_now("broadcast.run")
        await run.start()
        done = f"SELECT state FROM broadcasts WHERE id = {broadcast_id}"
        await until(lambda: query(run.db, done) == [("done",)], "the broadcast done")
        await run.stop()
        state = "SELECT telegram_id, state || COALESCE(':' || error, '') FROM deliveries"
        states = dict(query(run.db, state))
        assert states[1002] == "failed:unknown"
        assert run.copies(1002, BROADCAST) == 1  # delivered in the gap, never sent again
        for person in people:
            # Others may have been in flight at the kill too (the sender overlaps its calls):
            # unknown ones at most once, sent ones exactly once.
            expected = {1} if states[person] == "sent" else {0, 1}
            assert run.copies(person, BROADCAST) in expected, (person, states)
