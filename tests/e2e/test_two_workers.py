"""Two workers over one database: what one of them changes, the other acts on at once.

Each worker is the production-built bot with its own stand-in Telegram (one sandbox Bot API
each, the same users and ids on both), so a test decides which worker receives each update,
as a load balancer in front of several webhook workers would. Both share the store (one
SQLite file, or one PostgreSQL database), the gateway and the clock. Every check here went
stale before the caches were made to read through the store (issue 16, part 4).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import build_application
from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from tests.conftest import ADMIN_ID, TOKEN, make_settings
from tests.helpers.linking import link
from tests.journey import User
from tests.staff.helpers import ONLY, invite_link

REMOVE_SUJIN = "수진님 내보내기"


@pytest.fixture
def database_url(each_engine_url: str | None) -> str | None:
    return each_engine_url


@dataclass
class Worker:
    sandbox: BotApiSandbox
    runtime: BotRuntime

    def user(self, user_id: int, **kwargs: object) -> User:
        return User(self.sandbox, self.runtime, user_id, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
async def workers(
    gateway: GatewaySandbox, db_path: Path, clock: FakeClock, database_url: str | None
) -> AsyncIterator[tuple[Worker, Worker]]:
    """Worker A and worker B, started one after the other on the same store."""
    started: list[Worker] = []
    async with (
        BotApiSandbox(tokens=[TOKEN]) as sandbox_a,
        BotApiSandbox(tokens=[TOKEN]) as sandbox_b,
    ):
        try:
            for sandbox in (sandbox_a, sandbox_b):
                settings = make_settings(sandbox, db_path, gateway, database_url=database_url)
                runtime = BotRuntime(
                    await build_application(settings, clock=clock), poll_timeout=0.5
                )
                await runtime.start()
                started.append(Worker(sandbox, runtime))
            yield started[0], started[1]
        finally:
            for worker in reversed(started):
                await worker.runtime.stop()
        for sandbox in (sandbox_a, sandbox_b):
            assert sandbox.rejections == [], sandbox.rejections


async def test_staff_added_and_removed_on_one_worker_counts_at_once_on_the_other(
    workers: tuple[Worker, Worker],
) -> None:
    a, b = workers
    assert (await b.user(2002, first_name="수진").send("/broadcast")).texts == [ONLY]
    _, payload = await invite_link(a.user(ADMIN_ID, first_name="관리"))
    await a.user(2002, first_name="수진").send(f"/start {payload}")
    assert ONLY not in (await b.user(2002, first_name="수진").send("/broadcast")).text
    # A set the member's staff menu; B knows, and does not set it a second time.
    assert ("chat:2002", "") not in b.sandbox.commands
    # The name A saw is the one B shows in the list.
    listing = await b.user(ADMIN_ID, first_name="관리").send("/staff")
    assert "• 수진 — 담당자 (" in listing.text
    admin_a = a.user(ADMIN_ID, first_name="관리")
    await admin_a.send("/staff")
    await admin_a.click(REMOVE_SUJIN)
    await admin_a.click("네, 내보낼게요")
    assert (await b.user(2002, first_name="수진").send("/broadcast")).texts == [ONLY]


async def test_a_language_chosen_on_one_worker_is_spoken_on_the_other(
    workers: tuple[Worker, Worker],
) -> None:
    a, b = workers
    assert "이렇게 쓰시면 돼요" in (await b.user(1001).send("/help")).text
    minji_a = a.user(1001)
    await minji_a.send("/lang")
    await minji_a.click("English")
    assert "How to use me" in (await b.user(1001).send("/help")).text


async def test_a_flow_opened_on_one_worker_is_continued_on_the_other(
    workers: tuple[Worker, Worker],
) -> None:
    a, b = workers
    await b.user(1001).send("/help")  # B has seen this user without a flow
    assert "아이디를 보내 주세요" in (await a.user(1001).send("/link")).text
    assert "6자리 인증번호가 가요" in (await b.user(1001).send("kindly0904")).text


async def test_stats_on_one_worker_count_a_send_made_on_the_other(
    workers: tuple[Worker, Worker], gateway: GatewaySandbox
) -> None:
    a, b = workers
    minji = a.user(1001)
    await minji.send("/start")
    await link(minji, gateway)
    assert "최근 7일 0번" in (await b.user(ADMIN_ID).send("/stats")).new[0].text
    await minji.send("/send")
    await minji.click("보내기")
    assert "최근 7일 1번" in (await b.user(ADMIN_ID).send("/stats")).new[0].text
