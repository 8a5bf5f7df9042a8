"""The worker sending a broadcast dies by kill -9 (issue 16, part 7: broadcast sender failover
mid-run): two real `run_bot.py real` webhook workers on one PostgreSQL database behind the
round-robin proxy, the sandbox Bot API holding one delivery's answer until the sending worker
is killed. The other worker takes the run over once the lease lapses (BROADCAST_LEASE_SECONDS,
short here) and finishes it. Against what the stand-in Telegram delivered: nobody got two
copies, and anyone who got none is a delivery recorded 'unknown' (counted as possibly missed,
never resent); the staff report says it finished, with the unknown ones counted.

tests/workers/test_broadcast_failover.py shows the same on the injectable clock, with the
death stood in for by closing the store; here the process really dies.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.conftest import ADMIN_ID
from tests.e2e.workers import WAIT, Deployment, deployment, reply_with, until
from tests.engines import postgres_database
from tests.postgres_server import PostgresServer

PEOPLE = list(range(5001, 5031))
HELD = PEOPLE[12]  # the delivery whose answer is held until its worker is dead
NEEDLE = "센터 안내 kill-9"
LEASE_SECONDS = "3"


@pytest.fixture
async def database_url(postgres_server: PostgresServer) -> object:
    async with postgres_database(postgres_server, migrated=True) as url:
        yield url


async def started(deployed: Deployment, person: int) -> None:
    await deployed.sandbox.user_send(person, "/start", first_name=f"봉사{person}")
    await reply_with(deployed.sandbox, person, "안녕하세요")


async def press(deployed: Deployment, starts: str) -> None:
    """Presses the admin's newest button whose label starts so."""
    sandbox = deployed.sandbox
    for message in reversed(sandbox.bot_messages(ADMIN_ID)):
        label = next((b for b in message.buttons if b.startswith(starts)), None)
        if label is not None:
            await sandbox.press(ADMIN_ID, ADMIN_ID, message.message_id, label)
            return
    raise AssertionError(f"no button {starts!r}")


async def has_button(deployed: Deployment, starts: str) -> bool:
    return any(
        b.startswith(starts) for m in deployed.sandbox.bot_messages(ADMIN_ID) for b in m.buttons
    )


async def test_a_broadcast_survives_a_kill_9_of_its_sending_worker(
    tmp_path: Path, database_url: str
) -> None:
    async with deployment(
        tmp_path,
        database_url,
        ADMIN_TELEGRAM_IDS=str(ADMIN_ID),
        BROADCAST_LEASE_SECONDS=LEASE_SECONDS,
    ) as deployed:
        sandbox = deployed.sandbox
        await asyncio.gather(*(started(deployed, p) for p in PEOPLE))
        hold = sandbox.hold("sendMessage", HELD, NEEDLE, delivered=True)

        # The admin composes and launches it in the chat, as staff do.
        await sandbox.user_send(ADMIN_ID, "/broadcast", first_name="관리")
        await until(lambda: has_button(deployed, "모든 봉사자"))
        await press(deployed, "모든 봉사자")
        await reply_with(sandbox, ADMIN_ID, "보낼 글을 써 주세요")
        await sandbox.user_send(ADMIN_ID, f"<b>{NEEDLE}</b> 이번 달 실적을 보내셨나요?")
        await until(lambda: has_button(deployed, "모두 같은 글로 보내기"))
        await press(deployed, "모두 같은 글로 보내기")
        await until(lambda: has_button(deployed, f"보내기 · {len(PEOPLE)}명"))
        await press(deployed, f"보내기 · {len(PEOPLE)}명")

        # The sending worker has handed Telegram the held message and waits for its answer.
        await asyncio.wait_for(hold.reached.wait(), WAIT)
        victim = deployed.worker_for(hold.caller)
        await deployed.kill(victim)
        hold.release()

        async def finished() -> bool:
            rows = await deployed.query("SELECT state FROM broadcasts")
            return [r["state"] for r in rows] == ["done"]

        await until(finished)
        rows = await deployed.query("SELECT telegram_id, state, error FROM deliveries")
        states = {r["telegram_id"]: (r["state"], r["error"]) for r in rows}
        assert set(states) == set(PEOPLE)
        unknown = {p for p, (state, error) in states.items() if error == "unknown"}
        copies = {p: sum(NEEDLE in m.text for m in sandbox.bot_messages(p)) for p in PEOPLE}
        # 0 duplicates; 0 missed but for the unknown ones, and every 'sent' one got its copy.
        assert all(n <= 1 for n in copies.values()), copies
        missed = {p for p, n in copies.items() if n == 0}
        assert missed <= unknown, (missed, unknown)
        assert HELD in unknown and copies[HELD] == 1  # in flight at the death: delivered
        assert {p for p, (state, _) in states.items() if state == "sent"} == set(PEOPLE) - unknown
        assert all(states[p][0] == "failed" for p in unknown)

        # The staff report: finished, the unknown ones counted apart (possibly missed).
        report = await reply_with(sandbox, ADMIN_ID, "전송을 마쳤어요")
        text = next(m.text for m in sandbox.bot_messages(ADMIN_ID) if m.message_id == report)
        assert f"받은 사람: {len(PEOPLE) - len(unknown)}명" in text
        assert f"받았는지 알 수 없는 사람이 {len(unknown)}명" in text
        print(
            f"\nbroadcast kill -9: killed worker {victim.name} mid-run; {len(PEOPLE)} "
            f"recipients, {len(unknown)} unknown (possibly missed), {len(missed)} of them "
            "without a copy, 0 duplicates"
        )
        assert sandbox.rejections == []
    logs = deployed.logs()
    assert "Traceback" not in logs, logs[-4000:]
