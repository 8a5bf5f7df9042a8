"""Polling is one process per bot: a second poller stops with one line (exit 4) and leaves the
first one serving; polling never deletes a webhook it was not told to take over; a webhook
deployment that starts takes the updates over and the poller stops."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from telegram import Bot

from app.main import EXIT_ELSEWHERE
from bot import messages
from sandbox.botapi import BotApiSandbox
from tests.conftest import TOKEN
from tests.helpers.processes import RUN_BOT, clean_env, free_port, run, says, start_real

WAIT = 30.0
SECRET = "polling-safety_Secret-7"


def polling_env(sandbox: BotApiSandbox, tmp_path: Path) -> dict[str, str]:
    return clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=sandbox.base_url,
        DATABASE_PATH=str(tmp_path / "bot.sqlite3"),
        LOG_LEVEL="WARNING",
        POLLING_PROBE_SECONDS="3",
    )


def one_line_saying(err: str, line: str) -> None:
    """The reason in one line, after nothing but the start's own notice (guide mode)."""
    lines = [x for x in err.strip().splitlines() if x != messages.GUIDE_MODE]
    assert lines == [line], err


async def test_a_second_poller_says_so_and_exits_4(tmp_path: Path) -> None:
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox:
        env = polling_env(sandbox, tmp_path)
        log = tmp_path / "first.log"
        first = await start_real(env, tmp_path, log)
        try:
            await sandbox.user_send(1001, "/start", first_name="민지")
            hello = await says(sandbox, 1001, 0, "안녕하세요, 민지님!")
            code, _, err = await run(["real"], tmp_path, env)
            assert code == EXIT_ELSEWHERE
            one_line_saying(err, messages.POLLING_CONFLICT)
            # The first one was never stopped: it still answers.
            await sandbox.user_send(1001, "/help", first_name="민지")
            await says(sandbox, 1001, hello, "이렇게 쓰시면 돼요")
        finally:
            first.send_signal(signal.SIGTERM)
            await asyncio.wait_for(first.wait(), WAIT)
        logs = log.read_text()
        assert first.returncode == 0, logs
        assert "another process polls this bot" in logs and "Traceback" not in logs


async def test_polling_leaves_a_webhook_alone_unless_told_to_take_it_over(
    tmp_path: Path,
) -> None:
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox:
        origin = f"http://127.0.0.1:{free_port()}"
        hook = f"{origin}/hook"
        async with Bot(TOKEN, base_url=f"{sandbox.base_url}/bot") as bot:
            assert await bot.set_webhook(hook, secret_token=SECRET)
        env = polling_env(sandbox, tmp_path)
        code, _, err = await run(["real"], tmp_path, env)
        assert code == EXIT_ELSEWHERE
        one_line_saying(err, messages.WEBHOOK_IS_SET.format(url=origin))
        assert "--take-over-webhook" in err and "/hook" not in err
        assert sandbox.webhook.info()["url"] == hook  # still there

        await sandbox.user_send(1001, "/start", first_name="민지")
        log = tmp_path / "bot.log"
        with log.open("ab") as sink:
            taking_over = await asyncio.create_subprocess_exec(
                sys.executable,
                RUN_BOT,
                "real",
                "--take-over-webhook",
                cwd=tmp_path,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=sink,
            )
        try:
            # Sent while the webhook was set, answered by the poller that took over.
            await says(sandbox, 1001, 0, "안녕하세요, 민지님!")
            assert sandbox.webhook.info()["url"] == ""
        finally:
            taking_over.send_signal(signal.SIGTERM)
            await asyncio.wait_for(taking_over.wait(), WAIT)
        assert taking_over.returncode == 0, log.read_text()


async def test_a_webhook_deployment_takes_over_from_a_poller(tmp_path: Path) -> None:
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox:
        env = polling_env(sandbox, tmp_path)
        poller_log = tmp_path / "poller.log"
        poller = await start_real(env, tmp_path, poller_log)
        await sandbox.user_send(1001, "/start", first_name="민지")
        hello = await says(sandbox, 1001, 0, "안녕하세요, 민지님!")
        port = free_port()
        hooked_env = {
            **env,
            "WEBHOOK_URL": f"http://127.0.0.1:{port}/tg",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        }
        hooked = await start_real(hooked_env, tmp_path, tmp_path / "webhook.log")
        try:
            await asyncio.wait_for(poller.wait(), WAIT)
            assert poller.returncode == EXIT_ELSEWHERE
            assert messages.WEBHOOK_TOOK_OVER in poller_log.read_text()
            await sandbox.user_send(1001, "/help", first_name="민지")
            await says(sandbox, 1001, hello, "이렇게 쓰시면 돼요")
        finally:
            if poller.returncode is None:
                poller.send_signal(signal.SIGTERM)
                await asyncio.wait_for(poller.wait(), WAIT)
            hooked.send_signal(signal.SIGTERM)
            await asyncio.wait_for(hooked.wait(), WAIT)
        assert hooked.returncode == 0, (tmp_path / "webhook.log").read_text()
        assert "Traceback" not in poller_log.read_text()
