"""The features' start-up work (menus, standing due items, the sandbox's links retired, the
nudge backfill) is the deployment's: workers starting together do it once, a later restart
does it again, and each worker's own part (listeners in its memory) runs in every one."""

from __future__ import annotations

import asyncio

from bot.context import BotApplication
from bot.services.desk import PRUNE_KEYS
from bot.services.flows import SWEEP
from bot.services.inbox import PRUNE
from tests.workers.conftest import BuildWorker


async def times_scheduled(app: BotApplication, kind: str) -> int:
    """Each start-up's scheduling of a standing item bumps its revision (store/due_work.py)."""
    backend = app.bot_data.backend
    assert backend is not None
    row = await backend.db.fetch_one("SELECT revision FROM due_work WHERE kind = ?", (kind,))
    assert row is not None, kind
    return int(row["revision"])


async def start_up(app: BotApplication) -> None:
    """What BotRuntime.start runs between initialising the app and receiving updates."""
    assert app.bot_data.start_up is not None
    await app.bot_data.start_up()


async def test_two_workers_starting_together_do_the_start_up_work_once(
    build_worker: BuildWorker,
) -> None:
    first, second = await build_worker(), await build_worker()
    await asyncio.gather(start_up(first), start_up(second))
    assert await times_scheduled(first, SWEEP) == 1
    assert await times_scheduled(first, PRUNE) == 1
    assert await times_scheduled(first, PRUNE_KEYS) == 1
    # Each process's own part ran in both: the reminders' skip listener lives in memory.
    for app in (first, second):
        services = app.bot_data.services
        assert services is not None and len(services.reminders.on_skipped) == 1

    # A restart later (a worker that opened the store after that run began) does it again.
    later = await build_worker()
    await start_up(later)
    assert await times_scheduled(later, SWEEP) == 2
    assert await times_scheduled(later, PRUNE) == 2
    assert await times_scheduled(later, PRUNE_KEYS) == 2
