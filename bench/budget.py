"""What a message's token of the Telegram budget costs: the one process's own bucket (SQLite)
beside the deployment's row in PostgreSQL (bot/rate_limit.py), with the rate lifted so only
the taking is measured. Prints CPU of this process per token, and wall time per token.

    python -m bench.budget [--tokens 2000] [--database-url postgresql://…]

Without --database-url a throwaway server is started from the installed binaries, as the
tests do (tests/postgres_server.py).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from contextlib import ExitStack

from bot.rate_limit import BotBudget, SharedBotBudget
from core.clock import SystemClock
from store.budget import BudgetRepository
from store.db import Database

LIFTED = 1_000_000.0  # messages a second: never the limit here


async def _take(budget: BotBudget, tokens: int) -> tuple[float, float]:
    async with budget:  # warm-up: the pool's first connection, the row made
        pass
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(tokens):
        async with budget:
            pass
    return (
        (time.process_time() - cpu) / tokens * 1e6,
        (time.perf_counter() - wall) / tokens * 1e6,
    )


async def main(args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        url = args.database_url
        if url is None:
            from tests.postgres_server import find_bin_dir, start

            bin_dir = find_bin_dir()
            if bin_dir is None:
                raise SystemExit("no PostgreSQL server binaries: pass --database-url")
            server = start(bin_dir)
            stack.callback(server.stop)
            url = server.url("postgres")
        db = await Database.open(url, clock=SystemClock())
        try:
            local = await _take(BotBudget(LIFTED), args.tokens)
            shared = await _take(SharedBotBudget(BudgetRepository(db), LIFTED), args.tokens)
        finally:
            await db.close()
    print(f"{'budget':<28}{'CPU µs/token':>14}{'wall µs/token':>15}")
    print(f"{'in-process (SQLite)':<28}{local[0]:>14.1f}{local[1]:>15.1f}")
    print(f"{'shared row (PostgreSQL)':<28}{shared[0]:>14.1f}{shared[1]:>15.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    asyncio.run(main(parser.parse_args()))
