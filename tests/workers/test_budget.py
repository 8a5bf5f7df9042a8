"""Telegram's ~30 messages a second are the deployment's, not each worker's: three workers
sending a burst at once stay under the sandbox's flood limit (almost no 429) and still use
nearly all of it."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import RetryAfter

from bot.rate_limit import TELEGRAM_RATE, SharedBotBudget
from sandbox.botapi import BotApiSandbox
from tests.workers.conftest import BuildWorker

WORKERS = 3
PER_WORKER = 70
FIRST_CHAT = 50_001


@pytest.mark.rejections_expected
async def test_three_workers_under_a_burst_share_one_budget(
    build_worker: BuildWorker, sandbox: BotApiSandbox
) -> None:
    # Telegram's overall limit, on the sandbox's real clock (its bucket holds one second's
    # worth, as Telegram tolerates short bursts).
    sandbox.set_flood_limits(per_bot_per_second=TELEGRAM_RATE)
    workers = [await build_worker() for _ in range(WORKERS)]
    for app in workers:
        assert isinstance(app.bot_data.budget, SharedBotBudget)
    chats = range(FIRST_CHAT, FIRST_CHAT + WORKERS * PER_WORKER)
    for chat in chats:
        await sandbox.user_send(chat, "/start")

    async def burst(n: int) -> list[object]:
        app = workers[n]
        mine = chats[n * PER_WORKER : (n + 1) * PER_WORKER]
        return await asyncio.gather(
            *(app.bot.send_message(chat, f"안내 {chat}") for chat in mine),
            return_exceptions=True,
        )

    results = [r for rs in await asyncio.gather(*map(burst, range(WORKERS))) for r in rs]

    floods = [r for r in sandbox.rejections if r.error_code == 429]
    given_up = [r for r in results if isinstance(r, RetryAfter)]
    assert len(floods) <= 10, f"{len(floods)} answers of 429"
    assert given_up == [] and all(not isinstance(r, BaseException) for r in results)
    sent = [m for chat in chats for m in sandbox.bot_messages(chat)]
    assert len(sent) == len(chats)  # each once
    # Use of the cap: messages accepted per second over the burst, against 30 a second.
    times = sorted(m.sent_at for m in sent)
    use = len(sent) / (TELEGRAM_RATE * (times[-1] - times[0]))
    print(f"429 answers: {len(floods)}; use of the cap: {use:.3f}")
    assert use >= 0.9
    taken = sum(app.bot_data.budget.taken for app in workers if app.bot_data.budget)
    assert taken == len(chats) + len(floods)  # a retried call takes a new slot
